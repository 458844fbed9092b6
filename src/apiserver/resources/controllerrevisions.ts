/**
 * @module
 * apps/v1 ControllerRevisions: immutable snapshots the DaemonSet and StatefulSet controllers keep
 * of their templates, for rollouts and rollbacks. No defaults, no status, no generation; `data` is
 * required and cannot change, `revision` may not be negative (pkg/apis/apps/validation
 * ValidateControllerRevisionCreate and ValidateControllerRevisionUpdate,
 * pkg/registry/apps/controllerrevision/strategy.go). `kubectl get controllerrevisions` shows NAME
 * CONTROLLER REVISION AGE, the controller as `<kind>.<group>/<name>` (printers.go
 * printControllerRevision).
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import type { JsonObject } from '../../api/json.js';
import { metaString, readMetadata } from '../registry/object-meta.js';
import { age } from '../table.js';
import { defineResource } from './define.js';
import { objectsAt, stringAt } from './pod-json.js';
import { AGE_COLUMN, NAME_COLUMN, count, validateImmutable, validateNonnegative } from './workload-helpers.js';

export const CONTROLLER_REVISIONS = defineResource({
  group: 'apps',
  version: 'v1',
  kind: 'ControllerRevision',
  resource: 'controllerrevisions',
  namespaced: true,
  schema: 'io.k8s.api.apps.v1.ControllerRevision',
  strategy: {
    validate: validateControllerRevision,
    validateUpdate: (object, old) => [...validateControllerRevision(object), ...validateImmutable(object.data, old.data, 'data')],
    // ControllerRevisions are selectable by metadata.name and metadata.namespace only.
    selectableFields: () => ({}),
  },
  table: {
    columns: [
      NAME_COLUMN,
      { name: 'Controller', type: 'string', description: 'Controller of the object', priority: 0 },
      { name: 'Revision', type: 'string', description: 'Revision indicates the revision of the state represented by Data.', priority: 0 },
      AGE_COLUMN,
    ],
    cells: (object, now) => [metaString(object, 'name'), controllerName(object), count(object, 'revision'), age(object, now)],
  },
});

/** ValidateControllerRevision: data is mandatory, the revision number not negative. */
function validateControllerRevision(object: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  if (object.data === undefined || object.data === null) errors.push(fieldErrors.required('data', 'data is mandatory'));
  errors.push(...validateNonnegative(object, 'revision', 'revision'));
  return errors;
}

/**
 * The controlling owner as `<kind>.<group>/<name>` in lower case (metav1.GetControllerOf and
 * FormatResourceName with the kind), `<none>` without one.
 */
export function controllerName(object: JsonObject): string {
  const owner = objectsAt(readMetadata(object), 'ownerReferences').find((reference) => reference.controller === true);
  if (owner === undefined) return '<none>';
  const apiVersion = stringAt(owner, 'apiVersion');
  const slash = apiVersion.indexOf('/');
  const group = slash === -1 ? '' : apiVersion.slice(0, slash);
  const kind = stringAt(owner, 'kind');
  const groupKind = group === '' ? kind : `${kind}.${group}`;
  return groupKind === '' ? stringAt(owner, 'name') : `${groupKind.toLowerCase()}/${stringAt(owner, 'name')}`;
}
