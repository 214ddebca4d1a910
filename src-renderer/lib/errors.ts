// Turns the contract's typed errors into sentences for people, said near the action that failed.
import type { ApiError } from '../../src-shared/contract.js';

const leads: Record<ApiError['code'], string> = {
  'invalid-request': 'That input is not valid',
  'unknown-channel': 'This version of Clearframe cannot do that yet',
  'not-found': 'Not found',
  forbidden: 'Clearframe is not allowed to use that location',
  unsupported: 'Not supported',
  io: 'Reading or writing failed',
  busy: 'Clearframe is busy with another job',
  cancelled: 'Cancelled',
  'needs-confirmation': 'Please confirm first',
  'engine-crashed': 'The denoising engine stopped unexpectedly and has been restarted',
  internal: 'Something went wrong',
};

/**
 * "Could not open the folder: The folder /photos/x does not exist." Handlers already write their
 * messages for people; the code's lead only stands in when a message is missing or is a bare
 * validation path (invalid-request) that needs context.
 */
export function describeError(action: string, error: ApiError): string {
  const detail = error.message.trim().replace(/^Error:\s*/i, '');
  if (!detail) return `Could not ${action}. ${leads[error.code]}.`;
  if (error.code === 'invalid-request' || error.code === 'engine-crashed')
    return `Could not ${action}. ${leads[error.code]}: ${detail}`;
  return `Could not ${action}: ${detail}`;
}
