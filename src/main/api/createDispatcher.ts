import { isMethodName, methods, type MethodName, type MethodParsedInput, type MethodResult, type StreamMessage } from '../../shared/api/contract';
import { ApiError, type ApiErrorShape } from '../../shared/api/errors';
import type { BridgeResponse } from '../../shared/api/wire';

/** One handler per API method; a method in the contract without a handler here does not compile. */
export type Handlers = { [M in MethodName]: (input: MethodParsedInput<M>) => Promise<MethodResult<M>> | MethodResult<M> };

export interface DispatcherOptions {
  /** Where unexpected errors (with their stacks) are logged; they never cross a door. Defaults to console.error. */
  logError?: (method: string, error: unknown) => void;
}

/** The one dispatcher every door (Electron IPC, WebSocket, tests) calls through. */
export interface Dispatcher {
  /** Validates, runs the handler, and rejects with an ApiError (code, message, detail) on any failure. */
  call(method: string, input: unknown): Promise<unknown>;
  /** As `call`, but never rejects: errors come back as data, ready for IPC or a wire message. */
  invoke(method: unknown, input: unknown): Promise<BridgeResponse>;
  /** Every stream event of every service; returns the unsubscribe function. */
  subscribe(listener: (message: StreamMessage) => void): () => void;
  /** Services publish stream events here. */
  emit(message: StreamMessage): void;
}

export function createDispatcher(handlers: Handlers, options: DispatcherOptions = {}): Dispatcher {
  const logError = options.logError ?? ((method, error) => console.error(`quarry: ${method} failed:`, error));
  const listeners = new Set<(message: StreamMessage) => void>();

  async function call(method: string, input: unknown): Promise<unknown> {
    try {
      if (!isMethodName(method)) throw new ApiError('UNKNOWN_METHOD', `Unknown method ${JSON.stringify(String(method)).slice(0, 120)}.`);
      const parsed = methods[method].input.safeParse(input ?? {});
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
        const first = issues[0];
        throw new ApiError(
          'BAD_INPUT',
          `Invalid input for ${method}${first ? `: ${first.path ? `${first.path}: ` : ''}${first.message}` : ''}.`,
          { issues },
        );
      }
      const handler = handlers[method] as (input: unknown) => unknown;
      return await handler(parsed.data);
    } catch (error) {
      throw toApiError(method, error, logError);
    }
  }

  return {
    call,
    async invoke(method, input) {
      try {
        return { ok: true, result: await call(typeof method === 'string' ? method : String(method), input) };
      } catch (error) {
        return { ok: false, error: toErrorShape(error as ApiError) };
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(message) {
      for (const listener of [...listeners]) {
        try {
          listener(message);
        } catch (error) {
          logError(`event listener (${message.stream})`, error);
        }
      }
    },
  };
}

/** ApiErrors (and DriverErrors, which extend them) pass through; anything else is a bug and becomes INTERNAL. */
export function toApiError(method: string, error: unknown, logError: (method: string, error: unknown) => void): ApiError {
  if (error instanceof ApiError) return error;
  logError(method, error);
  return new ApiError('INTERNAL', `Internal error in ${method}; see the Quarry log for details.`);
}

export function toErrorShape(error: ApiError): ApiErrorShape {
  return error.toJSON();
}
