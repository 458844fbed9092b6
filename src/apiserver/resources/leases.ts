/**
 * @module
 * coordination.k8s.io/v1 Leases: who holds a lock and until when (leader election, node heartbeats
 * in kube-node-lease). Validation follows pkg/apis/coordination/validation ValidateLeaseSpec: a
 * positive duration, non-negative transitions, a known or qualified strategy, and a preferred holder
 * only with a strategy. The strategy fields belong to the CoordinatedLeaderElection feature, off by
 * default, so they are dropped unless the stored Lease already has them
 * (pkg/registry/coordination/lease/strategy.go dropDisabledFields). `kubectl get leases` shows NAME
 * HOLDER AGE.
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, type JsonValue, getObject } from '../../api/json.js';
import { isQualifiedName } from '../../api/validation/names.js';
import type { ResourceDefinition } from '../registry/resource-definition.js';
import { age } from '../table.js';
import { nameOf } from './configmaps.js';
import { defineResource } from './define.js';
import { text } from '../../api/json-values.js';

const STRATEGIES = ['OldestEmulationVersion'];

export interface LeasesOptions {
  /** The CoordinatedLeaderElection feature gate: keeps spec.strategy and spec.preferredHolder. @defaultValue false */
  readonly coordinatedLeaderElection?: boolean;
}

export function createLeasesDefinition(options: LeasesOptions = {}): ResourceDefinition {
  const keepStrategy = options.coordinatedLeaderElection ?? false;
  const dropDisabled = (object: JsonObject, old: JsonObject | undefined): void => {
    const spec = getObject(object, 'spec');
    if (keepStrategy || spec === undefined) return;
    const before = old === undefined ? undefined : getObject(old, 'spec');
    if (before?.preferredHolder === undefined) delete spec.preferredHolder;
    if (before?.strategy === undefined) delete spec.strategy;
  };
  return defineResource({
    group: 'coordination.k8s.io',
    version: 'v1',
    kind: 'Lease',
    resource: 'leases',
    namespaced: true,
    schema: 'io.k8s.api.coordination.v1.Lease',
    strategy: {
      prepareForCreate: (object) => dropDisabled(object, undefined),
      prepareForUpdate: (object, old) => dropDisabled(object, old),
      validate: (object) => validateLeaseSpec(getObject(object, 'spec') ?? {}),
      validateUpdate: (object) => validateLeaseSpec(getObject(object, 'spec') ?? {}),
      selectableFields: () => ({}),
    },
    table: {
      columns: [
        { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
        { name: 'Holder', type: 'string', description: 'holderIdentity contains the identity of the holder of a current lease.', priority: 0 },
        { name: 'Age', type: 'string', description: 'Time since the object was created.', priority: 0 },
      ],
      cells: (object, now) => [nameOf(object), text(getObject(object, 'spec')?.holderIdentity), age(object, now)],
    },
  });
}

export const LEASES = createLeasesDefinition();

/** ValidateLeaseSpec. */
export function validateLeaseSpec(spec: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const duration = spec.leaseDurationSeconds;
  if (typeof duration === 'number' && duration <= 0) errors.push(fieldErrors.invalid('spec.leaseDurationSeconds', duration, 'must be greater than 0'));
  const transitions = spec.leaseTransitions;
  if (typeof transitions === 'number' && transitions < 0) {
    errors.push(fieldErrors.invalid('spec.leaseTransitions', transitions, 'must be greater than or equal to 0'));
  }
  const strategy = spec.strategy;
  if (typeof strategy === 'string') errors.push(...validateStrategy(strategy));
  if (text(spec.preferredHolder) !== '' && text(strategy) === '') {
    errors.push(fieldErrors.forbidden('spec.preferredHolder', 'may only be specified if `strategy` is defined'));
  }
  return errors;
}

/** ValidateCoordinatedLeaseStrategy; upstream names the field twice in the path, and so do we. */
function validateStrategy(strategy: string): FieldError[] {
  const path = 'spec.strategy.strategy';
  if (!strategy.includes('/')) return STRATEGIES.includes(strategy) ? [] : [fieldErrors.notSupported(path, strategy, STRATEGIES)];
  return isQualifiedName(strategy).map((msg) => fieldErrors.invalid(path, strategy, msg));
}

