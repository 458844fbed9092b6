/**
 * @module
 * API errors as values: a {@link StatusError} carries the `Status` object the API server returns
 * (kind Status, a reason, an HTTP code, details). Every error the API answers with is one of these;
 * one reason → code table decides the code. Constructors and messages follow apimachinery
 * pkg/api/errors/errors.go, because clients (kubectl, client-go) branch on `reason` and users read
 * the messages.
 */

/** metav1.StatusReason values (apimachinery pkg/apis/meta/v1/types.go). */
export type StatusReason =
  | 'Unknown'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'ServerTimeout'
  | 'Timeout'
  | 'TooManyRequests'
  | 'BadRequest'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'InternalError'
  | 'ServiceUnavailable';

/** The HTTP code for each reason (ServerTimeout is 500, as upstream's NewServerTimeout). */
export const STATUS_CODES: Readonly<Record<StatusReason, number>> = {
  Unknown: 500,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  Expired: 410,
  Invalid: 422,
  ServerTimeout: 500,
  Timeout: 504,
  TooManyRequests: 429,
  BadRequest: 400,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  RequestEntityTooLarge: 413,
  UnsupportedMediaType: 415,
  InternalError: 500,
  ServiceUnavailable: 503,
};

export interface StatusCause {
  readonly reason?: string;
  readonly message?: string;
  readonly field?: string;
}

export interface StatusDetails {
  readonly name?: string;
  readonly group?: string;
  readonly kind?: string;
  readonly uid?: string;
  readonly causes?: readonly StatusCause[];
  readonly retryAfterSeconds?: number;
}

/** The wire form of an API error (or of a successful delete). */
export interface Status {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: { readonly resourceVersion?: string; readonly continue?: string; readonly remainingItemCount?: number };
  readonly status: 'Success' | 'Failure';
  readonly message?: string;
  readonly reason?: StatusReason;
  readonly details?: StatusDetails;
  readonly code: number;
}

/** A group and resource, as errors name them ("deployments.apps", "pods"). */
export interface GroupResource {
  readonly group: string;
  readonly resource: string;
}

export function groupResourceString(gr: GroupResource): string {
  return gr.group === '' ? gr.resource : `${gr.resource}.${gr.group}`;
}

export interface StatusErrorOptions {
  readonly details?: StatusDetails;
  /** Overrides the code for the reason (rarely needed). */
  readonly code?: number;
  /** Extra fields of the Status' list metadata (the continue token of an expired list). */
  readonly metadata?: Status['metadata'];
  readonly cause?: unknown;
}

export class StatusError extends Error {
  override readonly name = 'StatusError';
  readonly reason: StatusReason;
  readonly code: number;
  readonly details: StatusDetails | undefined;
  readonly listMetadata: Status['metadata'];

  constructor(reason: StatusReason, message: string, options: StatusErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
    this.code = options.code ?? STATUS_CODES[reason];
    this.details = options.details;
    this.listMetadata = options.metadata ?? {};
  }

  /** The Status object to send. */
  toStatus(): Status {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: this.listMetadata,
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details === undefined ? {} : { details: this.details }),
      code: this.code,
    };
  }
}

export function isStatusError(error: unknown, reason?: StatusReason): error is StatusError {
  return error instanceof StatusError && (reason === undefined || error.reason === reason);
}

const details = (gr: GroupResource, name?: string): StatusDetails => ({
  ...(name === undefined ? {} : { name }),
  ...(gr.group === '' ? {} : { group: gr.group }),
  kind: gr.resource,
});

export function notFound(gr: GroupResource, name: string): StatusError {
  return new StatusError('NotFound', `${groupResourceString(gr)} "${name}" not found`, { details: details(gr, name) });
}

export function alreadyExists(gr: GroupResource, name: string): StatusError {
  return new StatusError('AlreadyExists', `${groupResourceString(gr)} "${name}" already exists`, {
    details: details(gr, name),
  });
}

export function conflict(gr: GroupResource, name: string, why: string): StatusError {
  return new StatusError('Conflict', `Operation cannot be fulfilled on ${groupResourceString(gr)} "${name}": ${why}`, {
    details: details(gr, name),
  });
}

export function forbidden(gr: GroupResource, name: string, why: string): StatusError {
  const subject = name === '' ? groupResourceString(gr) : `${groupResourceString(gr)} "${name}"`;
  return new StatusError('Forbidden', `${subject} is forbidden: ${why}`, { details: details(gr, name === '' ? undefined : name) });
}

export function badRequest(message: string): StatusError {
  return new StatusError('BadRequest', message);
}

/** 410 Expired: the resource version is too old (compacted). */
export function resourceExpired(message: string, metadata?: Status['metadata']): StatusError {
  return new StatusError('Expired', message, metadata === undefined ? {} : { metadata });
}

export function methodNotSupported(gr: GroupResource, action: string): StatusError {
  return new StatusError('MethodNotAllowed', `${action} is not supported on resources of kind "${groupResourceString(gr)}"`, {
    details: { ...(gr.group === '' ? {} : { group: gr.group }), kind: gr.resource },
  });
}

export function tooManyRequests(message: string, retryAfterSeconds: number): StatusError {
  return new StatusError('TooManyRequests', message, { details: { retryAfterSeconds } });
}

export function timeoutError(message: string, retryAfterSeconds: number): StatusError {
  return new StatusError('Timeout', `Timeout: ${message}`, { details: { retryAfterSeconds } });
}

export function serverTimeout(gr: GroupResource, operation: string, retryAfterSeconds: number): StatusError {
  return new StatusError(
    'ServerTimeout',
    `The ${operation} operation against ${groupResourceString(gr)} could not be completed at this time, please try again.`,
    { details: { ...details(gr, operation), retryAfterSeconds } },
  );
}

export function requestEntityTooLarge(message: string): StatusError {
  return new StatusError('RequestEntityTooLarge', `Request entity too large: ${message}`);
}

export function notAcceptable(message: string): StatusError {
  return new StatusError('NotAcceptable', message);
}

/** 415, naming what the endpoint does accept (apiserver's negotiation.NewUnsupportedMediaTypeError). */
export function unsupportedMediaType(accepted: readonly string[]): StatusError {
  return new StatusError(
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  );
}

export function serviceUnavailable(message: string): StatusError {
  return new StatusError('ServiceUnavailable', message);
}

export function internalError(error: unknown): StatusError {
  const message = error instanceof Error ? error.message : String(error);
  return new StatusError('InternalError', `Internal error occurred: ${message}`, {
    details: { causes: [{ message }] },
    cause: error,
  });
}

/** Any thrown value as a StatusError: StatusErrors as they are, anything else as a 500. */
export function toStatusError(error: unknown): StatusError {
  return error instanceof StatusError ? error : internalError(error);
}
