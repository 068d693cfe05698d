// AppError: an error as a value with a code; server/plugins/error-handler.ts maps it to HTTP.
import { ERROR_STATUS, type ErrorCode } from './contract/errors';

export class AppError extends Error {
  override name = 'AppError';
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.statusCode = ERROR_STATUS[code];
  }
}
