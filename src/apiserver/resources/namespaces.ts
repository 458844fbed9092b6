/**
 * @module
 * core/v1 Namespaces. A namespace starts Active with the "kubernetes" finalizer in spec.finalizers;
 * deleting it makes it Terminating, and it stays until its controller has emptied it and cleared
 * spec.finalizers through the /finalize subresource (pkg/registry/core/namespace/storage). Names
 * are DNS-1123 labels, and each namespace is labelled with its name. `kubectl get ns` shows NAME
 * STATUS AGE.
 */
import { type JsonObject, isJsonObject } from '../../api/json.js';
import { validateNamespaceName } from '../../api/validation/names.js';
import { age } from '../table.js';
import { nameOf } from './configmaps.js';
import { defineResource } from './define.js';

/** The finalizer the namespace controller removes once the namespace is empty. */
export const NAMESPACE_FINALIZER = 'kubernetes';

/** The label every namespace carries with its own name (v1.LabelMetadataName). */
export const METADATA_NAME_LABEL = 'kubernetes.io/metadata.name';

export const NAMESPACES = defineResource({
  group: '',
  version: 'v1',
  kind: 'Namespace',
  resource: 'namespaces',
  namespaced: false,
  schema: 'io.k8s.api.core.v1.Namespace',
  shortNames: ['ns'],
  statusSubresource: true,
  extraSubresources: ['finalize'],
  strategy: {
    validateName: (name, prefix) => validateNamespaceName(name, prefix),
    // Every namespace carries its name as a label, so selectors (a webhook's namespaceSelector, a
    // NetworkPolicy's) can pick namespaces by name; it cannot be removed or changed
    // (pkg/apis/core/v1/defaults.go, SetDefaults_Namespace).
    defaults: (object) => {
      const metadata = isJsonObject(object.metadata) ? object.metadata : {};
      const labels = isJsonObject(metadata.labels) ? metadata.labels : {};
      if (typeof metadata.name === 'string' && metadata.name !== '') labels[METADATA_NAME_LABEL] = metadata.name;
      metadata.labels = labels;
      object.metadata = metadata;
    },
    prepareForCreate: (object) => {
      object.spec = { finalizers: [NAMESPACE_FINALIZER] };
      object.status = { phase: 'Active' };
    },
    prepareForUpdate: (object, old, context) => {
      // spec.finalizers change only through /finalize.
      if (context.subresource !== 'finalize') object.spec = isJsonObject(old.spec) ? old.spec : {};
    },
    selectableFields: (object) => ({ 'status.phase': phaseOf(object) }),
    holdsDeletion: (object) => finalizersOf(object).length > 0,
    markDeleting: (object) => {
      object.status = { ...(isJsonObject(object.status) ? object.status : {}), phase: 'Terminating' };
    },
  },
  table: {
    columns: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
      { name: 'Status', type: 'string', description: 'The status of the namespace.', priority: 0 },
      { name: 'Age', type: 'string', description: 'Time since the object was created.', priority: 0 },
    ],
    cells: (object, now) => [nameOf(object), phaseOf(object), age(object, now)],
  },
});

export function phaseOf(object: JsonObject): string {
  const status = isJsonObject(object.status) ? object.status : {};
  return typeof status.phase === 'string' ? status.phase : '';
}

export function finalizersOf(object: JsonObject): string[] {
  const spec = isJsonObject(object.spec) ? object.spec : {};
  return Array.isArray(spec.finalizers) ? spec.finalizers.filter((f): f is string => typeof f === 'string') : [];
}

/** Namespaces that exist from the start (kube-apiserver's system namespaces). */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
