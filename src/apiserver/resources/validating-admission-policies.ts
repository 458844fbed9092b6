/**
 * @module
 * admissionregistration.k8s.io/v1 ValidatingAdmissionPolicies (with a status subresource) and
 * ValidatingAdmissionPolicyBindings: cluster-scoped resources that the policy admission plugin
 * (src/apiserver/admission/policy-plugin.ts) reads from their watch caches. Defaults and validation
 * are in validating-admission-policy-validation.ts. `kubectl get` shows NAME VALIDATIONS PARAMKIND
 * AGE and NAME POLICYNAME PARAMREF AGE, as upstream's printers (pkg/printers/internalversion
 * printValidatingAdmissionPolicy / printValidatingAdmissionPolicyBinding).
 *
 * status.observedGeneration is the policy's generation as soon as it is written (upstream's
 * type-checking controller sets it a moment later); status.typeChecking is never computed.
 */
import { type JsonObject, type JsonValue, isJsonObject, jsonEqual } from '../../api/json.js';
import { age } from '../table.js';
import { nameOf } from './configmaps.js';
import { defineResource } from './define.js';
import { defaultBinding, defaultPolicy, validateBinding, validatePolicy } from './validating-admission-policy-validation.js';

const GROUP = 'admissionregistration.k8s.io';
const NAME_COLUMN = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 } as const;
const AGE_COLUMN = { name: 'Age', type: 'string', description: 'Time since the object was created.', priority: 0 } as const;

export const VALIDATING_ADMISSION_POLICIES = defineResource({
  group: GROUP,
  version: 'v1',
  kind: 'ValidatingAdmissionPolicy',
  resource: 'validatingadmissionpolicies',
  namespaced: false,
  schema: `io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicy`,
  categories: ['api-extensions'],
  statusSubresource: true,
  tracksGeneration: true,
  strategy: {
    defaults: (object) => defaultPolicy(object),
    prepareForCreate: (object) => {
      object.status = { observedGeneration: 1 };
    },
    prepareForUpdate: (object, old, context) => {
      if (context.subresource === 'status') return;
      const changed = !jsonEqual(object.spec ?? null, old.spec ?? null);
      const status = isJsonObject(object.status) ? object.status : {};
      status.observedGeneration = generationOf(old) + (changed ? 1 : 0);
      object.status = status;
    },
    validate: (object) => validatePolicy(object),
    validateUpdate: (object, _old, context) => (context.subresource === 'status' ? [] : validatePolicy(object)),
    selectableFields: () => ({}),
  },
  table: {
    columns: [
      NAME_COLUMN,
      { name: 'Validations', type: 'integer', description: 'Validations indicates the number of validation rules defined in this configuration', priority: 0 },
      { name: 'ParamKind', type: 'string', description: 'ParamKind specifies the kind of resources used to parameterize this policy', priority: 0 },
      AGE_COLUMN,
    ],
    cells: (object, now) => {
      const spec = isJsonObject(object.spec) ? object.spec : {};
      const paramKind = isJsonObject(spec.paramKind) ? `${text(spec.paramKind.apiVersion)}/${text(spec.paramKind.kind)}` : '<unset>';
      return [nameOf(object), Array.isArray(spec.validations) ? spec.validations.length : 0, paramKind, age(object, now)];
    },
  },
});

export const VALIDATING_ADMISSION_POLICY_BINDINGS = defineResource({
  group: GROUP,
  version: 'v1',
  kind: 'ValidatingAdmissionPolicyBinding',
  resource: 'validatingadmissionpolicybindings',
  namespaced: false,
  schema: `io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicyBinding`,
  categories: ['api-extensions'],
  tracksGeneration: true,
  strategy: {
    defaults: (object) => defaultBinding(object),
    validate: (object) => validateBinding(object),
    validateUpdate: (object) => validateBinding(object),
    selectableFields: () => ({}),
  },
  table: {
    columns: [
      NAME_COLUMN,
      { name: 'PolicyName', type: 'string', description: 'PolicyName indicates the policy definition which the policy binding binded to', priority: 0 },
      { name: 'ParamRef', type: 'string', description: 'ParamRef indicates the param resource which sets the configration param', priority: 0 },
      AGE_COLUMN,
    ],
    cells: (object, now) => {
      const spec = isJsonObject(object.spec) ? object.spec : {};
      return [nameOf(object), text(spec.policyName), paramRefCell(spec.paramRef), age(object, now)];
    },
  },
});

/** The PARAMREF cell: namespace/name, `*\/name` without a namespace, or the selector as Go prints it. */
function paramRefCell(value: JsonValue | undefined): string {
  if (!isJsonObject(value)) return '<unset>';
  const name = text(value.name);
  if (name !== '') return `${text(value.namespace) === '' ? '*' : text(value.namespace)}/${name}`;
  if (isJsonObject(value.selector)) return goSelectorString(value.selector);
  return '<unset>';
}

/** metav1.LabelSelector's generated String(). */
function goSelectorString(selector: JsonObject): string {
  const labels = isJsonObject(selector.matchLabels) ? selector.matchLabels : {};
  const matchLabels = Object.keys(labels)
    .sort()
    .map((key) => `${key}: ${text(labels[key])},`)
    .join('');
  const expressions = (Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [])
    .filter(isJsonObject)
    .map((e) => `LabelSelectorRequirement{Key:${text(e.key)},Operator:${text(e.operator)},Values:[${(Array.isArray(e.values) ? e.values : []).map(text).join(' ')}],},`)
    .join('');
  return `&LabelSelector{MatchLabels:map[string]string{${matchLabels}},MatchExpressions:[]LabelSelectorRequirement{${expressions}},}`;
}

function text(value: JsonValue | undefined): string {
  return typeof value === 'string' ? value : '';
}

function generationOf(object: JsonObject): number {
  const metadata = isJsonObject(object.metadata) ? object.metadata : {};
  return typeof metadata.generation === 'number' ? metadata.generation : 0;
}
