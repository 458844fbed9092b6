/**
 * @module
 * Validation results as values: a list of {@link FieldError}s, each naming the field (a path such as
 * `spec.containers[0].name`), what is wrong and the bad value. They become a 422 Invalid Status whose
 * causes name the fields. Types and wording follow apimachinery pkg/util/validation/field/errors.go,
 * so messages read as they do against Kubernetes: `Pod "x" is invalid: spec.containers[0].name:
 * Required value`.
 */
import { StatusError } from './status.js';

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueTypeInvalid'
  | 'InternalError';

/** The words each type prints as (field.ErrorType.String()). */
const TYPE_WORDS: Readonly<Record<FieldErrorType, string>> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueTypeInvalid: 'Invalid value',
  InternalError: 'Internal error',
};

/** Types whose message shows the bad value. */
const SHOWS_VALUE = new Set<FieldErrorType>([
  'FieldValueInvalid',
  'FieldValueTypeInvalid',
  'FieldValueNotSupported',
  'FieldValueNotFound',
  'FieldValueDuplicate',
  'FieldValueTooMany',
]);

export interface FieldError {
  readonly type: FieldErrorType;
  /** The path of the field, e.g. `metadata.labels` or `spec.template.spec.containers[0].image`. */
  readonly field: string;
  readonly badValue?: unknown;
  readonly detail?: string;
}

export const fieldErrors = {
  required: (field: string, detail?: string): FieldError => make('FieldValueRequired', field, undefined, detail),
  invalid: (field: string, value: unknown, detail?: string): FieldError => make('FieldValueInvalid', field, value, detail),
  notSupported: (field: string, value: unknown, supported: readonly string[]): FieldError =>
    make('FieldValueNotSupported', field, value, `supported values: ${supported.map((v) => JSON.stringify(v)).join(', ')}`),
  forbidden: (field: string, detail: string): FieldError => make('FieldValueForbidden', field, undefined, detail),
  duplicate: (field: string, value: unknown): FieldError => make('FieldValueDuplicate', field, value),
  notFound: (field: string, value: unknown): FieldError => make('FieldValueNotFound', field, value),
  tooLong: (field: string, maxLength: number): FieldError =>
    make('FieldValueTooLong', field, undefined, `may not be more than ${maxLength} bytes`),
  tooMany: (field: string, actual: number, max: number): FieldError =>
    make('FieldValueTooMany', field, actual, `must have at most ${max} items`),
  typeInvalid: (field: string, value: unknown, detail: string): FieldError => make('FieldValueTypeInvalid', field, value, detail),
};

function make(type: FieldErrorType, field: string, badValue: unknown, detail?: string): FieldError {
  return { type, field, ...(badValue === undefined ? {} : { badValue }), ...(detail === undefined ? {} : { detail }) };
}

/** The message after the field name (field.Error.ErrorBody). */
export function errorBody(error: FieldError): string {
  let body = TYPE_WORDS[error.type];
  if (SHOWS_VALUE.has(error.type) && error.badValue !== undefined) {
    const value = error.badValue;
    body += `: ${typeof value === 'string' ? JSON.stringify(value) : typeof value === 'object' ? JSON.stringify(value) : String(value)}`;
  }
  return error.detail === undefined || error.detail === '' ? body : `${body}: ${error.detail}`;
}

/** `field: body`, as one error prints. */
export function formatFieldError(error: FieldError): string {
  return `${error.field}: ${errorBody(error)}`;
}

/**
 * The 422 Invalid error for `kind` `name` (errors.NewInvalid): one cause per field error; the message
 * lists them, in brackets when there are several.
 */
export function invalidError(
  kind: { readonly group: string; readonly kind: string },
  name: string,
  errors: readonly FieldError[],
): StatusError {
  const qualified = kind.group === '' ? kind.kind : `${kind.kind}.${kind.group}`;
  const unique = [...new Map(errors.map((e) => [formatFieldError(e), e])).values()];
  const listed = unique.map(formatFieldError);
  const summary = listed.length === 0 ? '' : `: ${listed.length === 1 ? listed[0] : `[${listed.join(', ')}]`}`;
  return new StatusError('Invalid', `${qualified} "${name}" is invalid${summary}`, {
    details: {
      name,
      ...(kind.group === '' ? {} : { group: kind.group }),
      kind: kind.kind,
      causes: unique.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field })),
    },
  });
}
