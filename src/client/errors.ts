/**
 * @module
 * API errors as the client sees them: every non-2xx answer becomes an {@link ApiError} carrying the
 * server's Status (reason, code, message, details), and the `isX` predicates classify it the way
 * apimachinery's `pkg/api/errors/errors.go` does — by reason, or, when the server sent no known
 * reason (a proxy's plain-text 404), by HTTP code.
 */
import { isJsonObject } from '../api/json.js';

export interface StatusDetailsLike {
  readonly name?: string;
  readonly group?: string;
  readonly kind?: string;
  readonly uid?: string;
  readonly causes?: readonly { readonly reason?: string; readonly message?: string; readonly field?: string }[];
  readonly retryAfterSeconds?: number;
}

/** A failed API call. `reason` is the Status reason ('' when the body was not a Status). */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details: StatusDetailsLike | undefined = undefined,
    /** Seconds from the Retry-After header or the Status' details, when the server gave them. */
    readonly retryAfterSeconds: number | undefined = undefined,
  ) {
    super(message);
  }

  /**
   * Reads an error response: a Status body when there is one, else a message built from the code
   * and the start of the body (apimachinery's newUnstructuredResponseError).
   */
  static fromResponse(code: number, body: string, retryAfterHeader: string | undefined): ApiError {
    const retryAfter = parseRetryAfter(retryAfterHeader);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
    if (isJsonObject(parsed) && parsed.kind === 'Status') {
      const details = isJsonObject(parsed.details) ? (parsed.details as StatusDetailsLike) : undefined;
      const message = typeof parsed.message === 'string' ? parsed.message : `the server responded with ${code}`;
      const reason = typeof parsed.reason === 'string' ? parsed.reason : '';
      const statusCode = typeof parsed.code === 'number' && parsed.code > 0 ? parsed.code : code;
      return new ApiError(statusCode, reason, message, details, retryAfter ?? details?.retryAfterSeconds);
    }
    const snippet = body.length > 200 ? `${body.slice(0, 200)}…` : body;
    return new ApiError(code, reasonForCode(code), `the server responded with ${code}${snippet === '' ? '' : `: ${snippet.trim()}`}`, undefined, retryAfter);
  }
}

/** The reason upstream assumes for a code when the server gave none (errors.go NewGenericServerResponse). */
function reasonForCode(code: number): string {
  switch (code) {
    case 400: return 'BadRequest';
    case 401: return 'Unauthorized';
    case 403: return 'Forbidden';
    case 404: return 'NotFound';
    case 405: return 'MethodNotAllowed';
    case 406: return 'NotAcceptable';
    case 409: return 'Conflict';
    case 410: return 'Gone';
    case 413: return 'RequestEntityTooLarge';
    case 415: return 'UnsupportedMediaType';
    case 422: return 'Invalid';
    case 429: return 'TooManyRequests';
    case 500: return 'InternalError';
    case 503: return 'ServiceUnavailable';
    case 504: return 'Timeout';
    default: return 'Unknown';
  }
}

function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  return Number.isInteger(seconds) && seconds >= 0 ? seconds : undefined;
}

function is(error: unknown, reason: string, code: number): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.reason === reason) return true;
  return (error.reason === '' || error.reason === 'Unknown') && error.code === code;
}

export const isNotFound = (error: unknown): boolean => is(error, 'NotFound', 404);
export const isAlreadyExists = (error: unknown): boolean => is(error, 'AlreadyExists', 409) && !isConflictReason(error);
export const isConflict = (error: unknown): boolean => is(error, 'Conflict', 409);
export const isInvalid = (error: unknown): boolean => is(error, 'Invalid', 422);
export const isGone = (error: unknown): boolean => is(error, 'Gone', 410);
/** The resourceVersion asked for is older than the server keeps (a watch or list from it needs a relist). */
export const isResourceExpired = (error: unknown): boolean => is(error, 'Expired', 410);
export const isForbidden = (error: unknown): boolean => is(error, 'Forbidden', 403);
export const isUnauthorized = (error: unknown): boolean => is(error, 'Unauthorized', 401);
export const isBadRequest = (error: unknown): boolean => is(error, 'BadRequest', 400);
export const isMethodNotSupported = (error: unknown): boolean => is(error, 'MethodNotAllowed', 405);
export const isTooManyRequests = (error: unknown): boolean => is(error, 'TooManyRequests', 429);
export const isServerTimeout = (error: unknown): boolean => is(error, 'ServerTimeout', 500) && error instanceof ApiError && error.reason === 'ServerTimeout';
export const isTimeout = (error: unknown): boolean => is(error, 'Timeout', 504);
export const isInternalError = (error: unknown): boolean => is(error, 'InternalError', 500);
export const isServiceUnavailable = (error: unknown): boolean => is(error, 'ServiceUnavailable', 503);

function isConflictReason(error: unknown): boolean {
  return error instanceof ApiError && error.reason === 'Conflict';
}
