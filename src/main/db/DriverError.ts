import { ApiError, type ErrorCode } from '../../shared/api/errors';

/**
 * A database error mapped to the API's codes, keeping the server's own code (SQLSTATE, errno) and, for syntax
 * errors, the 0-based character offset into the statement that failed.
 */
export class DriverError extends ApiError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly serverCode?: string,
    readonly offset?: number,
    detail?: unknown,
  ) {
    super(code, message, detail);
    this.name = 'DriverError';
  }
}
