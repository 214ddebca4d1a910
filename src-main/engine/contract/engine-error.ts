// The engine's own typed error: the engine (pure Node, shared by the engine process, the CLI and
// tests) does not throw the contract's class. The boundaries map it to the contract's ApiError:
// api/dispatch.ts for engine code the handlers call in-process, engine/process/engine-worker.ts for
// what crosses back from the engine process. Its codes are a subset of the contract's, checked here.
import type { ApiError, ErrorCode } from '../../../src-shared/contract-core.js';

export const ENGINE_ERROR_CODES = [
  'invalid-request',
  'not-found',
  'forbidden',
  'unsupported',
  'io',
  'busy',
  'cancelled',
  'internal',
] as const satisfies readonly ErrorCode[];
export type EngineErrorCode = (typeof ENGINE_ERROR_CODES)[number];

export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    /** The file or field the error is about, when there is one. */
    readonly subject?: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/** The contract's form of an engine error; called at the boundaries only. */
export function engineErrorToApi(error: EngineError): ApiError {
  return error.subject === undefined
    ? { code: error.code, message: error.message }
    : { code: error.code, message: error.message, subject: error.subject };
}
