/**
 * @module
 * Where a value is inside a custom resource, as a chain of steps: the path string is built only when
 * an error or a pruned field needs it, not for every field of every object. Steps render as
 * apimachinery's field.Path does: `.name` for a child, `[0]` for an index, `[key]` for a map key
 * (which the field.Path-based checks — list types, embedded resources — use for additionalProperties,
 * while kube-openapi's schema validator writes `.key`).
 */

export type Step = string | number | { readonly key: string };

export type FieldPath = { readonly parent: FieldPath; readonly step: Step } | undefined;

export function child(parent: FieldPath, step: Step): FieldPath {
  return { parent, step };
}

/** `spec.items[0].name`; the root renders as the empty string. */
export function renderPath(path: FieldPath): string {
  if (path === undefined) return '';
  const parent = renderPath(path.parent);
  const { step } = path;
  if (typeof step === 'number') return `${parent}[${step}]`;
  if (typeof step === 'object') return `${parent}[${step.key}]`;
  return parent === '' ? step : `${parent}.${step}`;
}
