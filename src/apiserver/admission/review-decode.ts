/**
 * @module
 * Decoding the typed fields of a webhook's AdmissionReview response (`response.status`,
 * `response.warnings`) as kube-apiserver's JSON decoder does: unknown fields are ignored, but a field
 * of the wrong type fails the whole decode, and with it the call (upstream's webhook client returns
 * the decode error as `failed to call webhook: json: cannot unmarshal …`, see k8s.io/apiserver
 * pkg/admission/plugin/webhook/validating/dispatcher.go callHook). The words follow Go's
 * encoding/json UnmarshalTypeError. Pure.
 */
import { type JsonObject, type JsonValue, isJsonObject } from '../../api/json.js';
import type { StatusCause, StatusDetails } from '../../api/status.js';

/** A response field of the wrong type. */
export class ResponseDecodeError extends Error {
  override readonly name = 'ResponseDecodeError';
}

/** metav1.Status as a webhook may send it; absent fields are undefined. */
export interface WebhookStatus {
  readonly status?: string | undefined;
  readonly message?: string | undefined;
  readonly reason?: string | undefined;
  readonly code?: number | undefined;
  readonly details?: StatusDetails | undefined;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** `response.status` (null or absent: undefined). */
export function decodeStatus(value: JsonValue | undefined): WebhookStatus | undefined {
  if (value === undefined || value === null) return undefined;
  const status = object(value, 'Status', 'response.status', 'v1.Status');
  const detailsValue = status.details;
  return {
    status: str(status.status, 'Status', 'response.status.status'),
    message: str(status.message, 'Status', 'response.status.message'),
    reason: str(status.reason, 'Status', 'response.status.reason'),
    code: int32(status.code, 'Status', 'response.status.code'),
    details: detailsValue === undefined || detailsValue === null ? undefined : decodeDetails(detailsValue),
  };
}

/** `response.warnings`: a list of strings (null or absent: none). */
export function decodeWarnings(value: JsonValue | undefined): readonly string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw mismatch(value, 'AdmissionResponse', 'response.warnings', '[]string');
  return value.map((item) => {
    if (typeof item !== 'string') throw mismatch(item, 'AdmissionResponse', 'response.warnings', 'string');
    return item;
  });
}

function decodeDetails(value: JsonValue): StatusDetails {
  const at = 'response.status.details';
  const details = object(value, 'Status', at, 'v1.StatusDetails');
  const name = str(details.name, 'StatusDetails', `${at}.name`);
  const group = str(details.group, 'StatusDetails', `${at}.group`);
  const kind = str(details.kind, 'StatusDetails', `${at}.kind`);
  const uid = str(details.uid, 'StatusDetails', `${at}.uid`);
  const retryAfterSeconds = int32(details.retryAfterSeconds, 'StatusDetails', `${at}.retryAfterSeconds`);
  let causes: StatusCause[] | undefined;
  if (details.causes !== undefined && details.causes !== null) {
    if (!Array.isArray(details.causes)) throw mismatch(details.causes, 'StatusDetails', `${at}.causes`, '[]v1.StatusCause');
    causes = details.causes.map((item) => {
      const cause = object(item, 'StatusDetails', `${at}.causes`, 'v1.StatusCause');
      const reason = str(cause.reason, 'StatusCause', `${at}.causes.reason`);
      const message = str(cause.message, 'StatusCause', `${at}.causes.message`);
      const field = str(cause.field, 'StatusCause', `${at}.causes.field`);
      return { ...(reason === undefined ? {} : { reason }), ...(message === undefined ? {} : { message }), ...(field === undefined ? {} : { field }) };
    });
  }
  return {
    ...(name === undefined ? {} : { name }),
    ...(group === undefined ? {} : { group }),
    ...(kind === undefined ? {} : { kind }),
    ...(uid === undefined ? {} : { uid }),
    ...(causes === undefined ? {} : { causes }),
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  };
}

function object(value: JsonValue, struct: string, path: string, goType: string): JsonObject {
  if (!isJsonObject(value)) throw mismatch(value, struct, path, goType);
  return value;
}

function str(value: JsonValue | undefined, struct: string, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw mismatch(value, struct, path, 'string');
  return value;
}

function int32(value: JsonValue | undefined, struct: string, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX) throw mismatch(value, struct, path, 'int32');
  return value;
}

/** UnmarshalTypeError's words: `json: cannot unmarshal <json type> into Go struct field <Struct>.<path> of type <type>`. */
function mismatch(value: JsonValue, struct: string, path: string, goType: string): ResponseDecodeError {
  const kind =
    Array.isArray(value) ? 'array'
    : value === null ? 'null'
    : typeof value === 'object' ? 'object'
    : typeof value === 'boolean' ? 'bool'
    : typeof value === 'number' ? (goType === 'int32' ? `number ${String(value)}` : 'number')
    : 'string';
  return new ResponseDecodeError(`json: cannot unmarshal ${kind} into Go struct field ${struct}.${path} of type ${goType}`);
}
