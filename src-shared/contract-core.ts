// The machinery behind the contract: how a channel and an event are described, the typed error
// every boundary answers with, and the helpers that derive request/response types from schemas.
// Domain schemas live in src-shared/schemas/*; the list of channels lives in contract.ts.
import { z } from 'zod';

/** One request/response channel: the schemas are the single source of truth for both types. */
export interface ChannelSpec<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly request: Req;
  readonly response: Res;
  /** A line for people reading the contract (and for generated docs). */
  readonly doc: string;
}

export function channel<Req extends z.ZodType, Res extends z.ZodType>(
  request: Req,
  response: Res,
  doc: string,
): ChannelSpec<Req, Res> {
  return { request, response, doc };
}

/** Error codes a handler may answer with. The UI maps each to a human message near the action. */
export const ErrorCode = z.enum([
  'invalid-request', // the request does not match the channel's schema
  'unknown-channel',
  'not-found', // a file, folder, model or job that does not exist
  'forbidden', // outside the folders the user opened, or not allowed
  'unsupported', // a format or feature this build cannot handle
  'io', // reading or writing failed (permissions, disk full, ...)
  'busy', // a conflicting job is running
  'cancelled',
  'needs-confirmation', // the request would replace or lose something; the message asks, and the request may be repeated with its confirmation flag
  'engine-crashed', // the engine process died; it has been restarted
  'internal', // a bug: the message says what failed, never a stack trace
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ApiError = z.object({
  code: ErrorCode,
  message: z.string(),
  /** The file or field the error is about, when there is one. */
  subject: z.string().optional(),
});
export type ApiError = z.infer<typeof ApiError>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** Thrown inside handlers and the engine to answer a specific, typed error. */
export class ClearframeError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly subject?: string,
  ) {
    super(message);
    this.name = 'ClearframeError';
  }
  toApiError(): ApiError {
    return this.subject === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, subject: this.subject };
  }
}

/** Turns a zod failure into one readable sentence naming the offending fields (the API's and the CLI's). */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'request'}: ${issue.message}`)
    .join('; ');
}
