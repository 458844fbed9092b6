/**
 * @module
 * AdmissionReview v1 (admission.k8s.io/v1): the request a webhook receives and what its response
 * means. After k8s.io/apiserver pkg/admission/plugin/webhook/request/admissionreview.go
 * (CreateV1AdmissionReview, VerifyAdmissionResponse) and errors/statuserror.go (ToStatusErr). Pure.
 */
import { type JsonObject, type JsonValue, isJsonObject } from '../../api/json.js';
import { STATUS_CODES, StatusError, type Status, type StatusDetails, type StatusReason } from '../../api/status.js';
import { ADMIN_USER, type AdmissionAttributes } from './attributes.js';
import { decodeStatus, decodeWarnings, type WebhookStatus } from './review-decode.js';

/** The AdmissionReview sent to a webhook for one request. */
export function admissionReview(uid: string, attributes: AdmissionAttributes): JsonObject {
  const { kind, resource, requestKind, requestResource } = reviewResources(attributes);
  const request: JsonObject = {
    uid,
    kind,
    resource,
    ...(attributes.subresource === '' ? {} : { subResource: attributes.subresource }),
    requestKind,
    requestResource,
    ...(attributes.subresource === '' ? {} : { requestSubResource: attributes.subresource }),
    ...(attributes.name === '' ? {} : { name: attributes.name }),
    ...(attributes.namespace === '' ? {} : { namespace: attributes.namespace }),
    operation: attributes.operation,
    userInfo: ADMIN_USER,
    object: attributes.object ?? null,
    oldObject: attributes.oldObject ?? null,
    dryRun: attributes.dryRun,
    options: attributes.options,
  };
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request };
}

/**
 * kind/resource as the webhook or policy sees the request, and requestKind/requestResource as it
 * was made: equal unless it is seen in an equivalent version (matchPolicy Equivalent).
 */
export function reviewResources(attributes: AdmissionAttributes): {
  readonly kind: JsonObject;
  readonly resource: JsonObject;
  readonly requestKind: JsonObject;
  readonly requestResource: JsonObject;
} {
  const kindGv = attributes.kindGroupVersion ?? attributes;
  const kind = { group: kindGv.group, version: kindGv.version, kind: attributes.kind };
  const resource = { group: attributes.group, version: attributes.version, resource: attributes.resource };
  const made = attributes.request;
  if (made === undefined) return { kind, resource, requestKind: kind, requestResource: resource };
  const madeGv = made.kindGroupVersion ?? made;
  return {
    kind,
    resource,
    requestKind: { group: madeGv.group, version: madeGv.version, kind: made.kind },
    requestResource: { group: made.group, version: made.version, resource: made.resource },
  };
}

/** What a webhook answered, once checked. */
export type WebhookVerdict =
  | { readonly allowed: true; readonly patch: JsonValue | undefined; readonly warnings: readonly string[] }
  | { readonly allowed: false; readonly status: WebhookStatus | undefined; readonly warnings: readonly string[] };

/** A response that is not a valid AdmissionReview for the request: a failure to call the webhook. */
export class InvalidResponseError extends Error {
  override readonly name = 'InvalidResponseError';
}

/**
 * VerifyAdmissionResponse for v1: the envelope, the uid, and a patch only from a mutating webhook.
 * A status or warnings of the wrong shape throw {@link ResponseDecodeError} (upstream fails to
 * decode such a response at all).
 */
export function verifyResponse(uid: string, mutating: boolean, body: unknown): WebhookVerdict {
  if (!isJsonObject(body)) throw new InvalidResponseError('webhook response was not an object');
  if (body.apiVersion !== 'admission.k8s.io/v1' || body.kind !== 'AdmissionReview') {
    throw new InvalidResponseError(
      `expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got ${String(body.apiVersion ?? '')}, Kind=${String(body.kind ?? '')}`,
    );
  }
  const response = body.response;
  if (!isJsonObject(response)) throw new InvalidResponseError('webhook response was absent');
  if (response.uid !== uid) throw new InvalidResponseError(`expected response.uid="${uid}", got "${String(response.uid ?? '')}"`);
  const warnings = decodeWarnings(response.warnings);
  const status = decodeStatus(response.status);
  const patch = response.patch;
  const patchType = response.patchType;
  let decoded: JsonValue | undefined;
  if (patch !== undefined && patch !== null && patch !== '') {
    if (!mutating) throw new InvalidResponseError('validating webhooks may not return patches');
    if (patchType === undefined || patchType === null || patchType === '') {
      throw new InvalidResponseError('webhook returned response.patch but not response.patchType');
    }
    if (patchType !== 'JSONPatch') throw new InvalidResponseError(`webhook returned invalid response.patchType of "${String(patchType)}"`);
    if (typeof patch !== 'string') throw new InvalidResponseError('webhook returned a response.patch that is not base64');
    try {
      decoded = JSON.parse(Buffer.from(patch, 'base64').toString('utf8')) as JsonValue;
    } catch (error) {
      throw new InvalidResponseError(`webhook returned a response.patch that is not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  } else if (patchType !== undefined && patchType !== null && patchType !== '') {
    throw new InvalidResponseError('webhook returned response.patchType but not response.patch');
  }
  if (response.allowed === true) return { allowed: true, patch: decoded, warnings };
  return { allowed: false, status, warnings };
}

/** A webhook's rejection: the Status as the webhook wrote it, with upstream's prefix and an error code. */
export class WebhookRejection extends StatusError {
  private readonly webhookReason: StatusReason | undefined;

  constructor(reason: StatusReason | undefined, message: string, code: number, details: StatusDetails | undefined) {
    super(reason ?? 'Forbidden', message, { code, ...(details === undefined ? {} : { details }) });
    this.webhookReason = reason;
  }

  /** Without a reason of the webhook's, the Status has none (kubectl then prints no reason). */
  override toStatus(): Status {
    const { reason: _reason, ...status } = super.toStatus();
    return this.webhookReason === undefined ? status : { ...status, reason: this.webhookReason };
  }
}

/**
 * ToStatusErr: `admission webhook "<name>" denied the request: <message>`. The webhook's code is
 * kept only when it is an error code an HTTP response can carry (an integer 400–599); anything else
 * is 403. Upstream defaults an absent code to 403 (errors/statuserror.go) and leaves other odd
 * codes to Go's ResponseWriter, which panics on codes outside 100–999; Node throws on them, and
 * would crash the server, so a code that is not an error is replaced rather than passed on.
 */
export function rejection(webhook: string, status: WebhookStatus | undefined): WebhookRejection {
  const deniedBy = `admission webhook ${JSON.stringify(webhook)} denied the request`;
  const code = status?.code !== undefined && isErrorCode(status.code) ? status.code : 403;
  const message = status?.message !== undefined && status.message !== '' ? status.message : undefined;
  const reasonText = status?.reason !== undefined && status.reason !== '' ? status.reason : undefined;
  const text = message !== undefined ? `${deniedBy}: ${message}` : reasonText !== undefined ? `${deniedBy}: ${reasonText}` : `${deniedBy} without explanation`;
  const reason = reasonText !== undefined && Object.hasOwn(STATUS_CODES, reasonText) ? (reasonText as StatusReason) : undefined;
  return new WebhookRejection(reason, text, code, status?.details);
}

function isErrorCode(code: number): boolean {
  return Number.isInteger(code) && code >= 400 && code <= 599;
}
