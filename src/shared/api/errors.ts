/** Every error crosses a door as this shape, never as a stack trace. */
export interface ApiErrorShape {
  code: ErrorCode;
  message: string;
  detail?: unknown;
}

export type ErrorCode =
  | 'BAD_INPUT' // the input failed the method's schema
  | 'UNKNOWN_METHOD'
  | 'NOT_FOUND'
  | 'FORBIDDEN' // sender or token rejected
  | 'CONFIRM_REQUIRED' // destructive statement not confirmed; detail lists them
  | 'READ_ONLY' // a write on a read-only session
  | 'CONNECTION_FAILED' // could not reach or log in
  | 'CONNECTION_LOST'
  | 'TIMEOUT'
  | 'CANCELLED'
  | 'QUERY_FAILED'
  | 'SYNTAX_ERROR'
  | 'IO_ERROR'
  | 'NO_MODEL' // an AI feature was asked for and no model is loaded; the Models screen loads one
  | 'MODEL_ERROR' // a model file that cannot be loaded (not GGUF, truncated, too large for memory)
  | 'DOWNLOAD_FAILED' // 404, redirect loop, stalled server, checksum mismatch, full disk
  | 'INTERNAL';

/** An error a service throws on purpose; its code and message are safe to show the user. */
export class ApiError extends Error implements ApiErrorShape {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toJSON(): ApiErrorShape {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail };
  }
}

export function isApiErrorShape(x: unknown): x is ApiErrorShape {
  return typeof x === 'object' && x !== null && typeof (x as ApiErrorShape).code === 'string' && typeof (x as ApiErrorShape).message === 'string';
}
