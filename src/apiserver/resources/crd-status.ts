/**
 * @module
 * The status the API server gives a CustomResourceDefinition whenever its spec is written: the names
 * it accepts, and the NamesAccepted, Established and (for Kubernetes' own groups)
 * KubernetesAPIApprovalPolicyConformant conditions. Upstream three controllers write these a moment
 * after the write (apiextensions-apiserver pkg/controller/status/naming_controller.go,
 * pkg/controller/establish/establishing_controller.go, pkg/controller/apiapproval); here the strategy
 * computes the same result, in the same words, before the CRD is stored.
 *
 * A name is accepted if it is the one already accepted, or if nothing else in the group claims it:
 * plurals, singulars and short names share one namespace, kinds and list kinds another. A CRD is
 * Established once its names are first accepted, and stays so (later conflicting names simply are
 * not accepted; the old ones go on being served).
 */
import { type JsonObject, isJsonObject } from '../../api/json.js';
import type { ResourceDefinition } from '../registry/resource-definition.js';
import { approvalCondition, isProtectedGroup } from './crd-api-approval.js';
import { type CrdCondition, type CrdNames, crdName, findCondition, groupOf, namesJson, readNames, setCondition, specOf, statusOf } from './crd-model.js';

/** The names other resources of a group hold: resource names (plural, singular, short) and kinds. */
export interface ClaimedNames {
  readonly resources: ReadonlySet<string>;
  readonly kinds: ReadonlySet<string>;
}

/** getAcceptedNamesForGroup, plus the built-in resources the group serves. */
export function claimedNames(crd: JsonObject, served: readonly ResourceDefinition[], crds: Iterable<JsonObject>): ClaimedNames {
  const group = groupOf(crd);
  const name = crdName(crd);
  const resources = new Set<string>();
  const kinds = new Set<string>();
  for (const definition of served) {
    if (definition.custom !== undefined || definition.group !== group) continue;
    for (const resource of [definition.resource, definition.singular, ...definition.shortNames]) resources.add(resource);
    kinds.add(definition.kind).add(definition.listKind);
  }
  for (const other of crds) {
    if (crdName(other) === name || groupOf(other) !== group) continue;
    const accepted = readNames(statusOf(other).acceptedNames);
    for (const resource of [accepted.plural, accepted.singular, ...accepted.shortNames]) resources.add(resource);
    kinds.add(accepted.kind).add(accepted.listKind);
  }
  resources.delete('');
  kinds.delete('');
  return { resources, kinds };
}

/**
 * Sets status.acceptedNames and the conditions of `crd` (whose status holds what was accepted
 * before: the stored status on update, nothing on create).
 */
export function updateCrdStatus(crd: JsonObject, claimed: ClaimedNames, now: number): void {
  const { names, namesAccepted } = acceptNames(readNames(specOf(crd).names), readNames(statusOf(crd).acceptedNames), claimed);
  const established = establishedCondition(crd, namesAccepted);
  const status = isJsonObject(crd.status) ? crd.status : (crd.status = {});
  status.acceptedNames = namesJson(names);
  setCondition(crd, namesAccepted, now);
  setCondition(crd, established, now);
  if (isProtectedGroup(groupOf(crd))) setCondition(crd, approvalCondition(crd), now);
}

/** calculateNamesAndConditions: the names that can be accepted, and the NamesAccepted condition. */
function acceptNames(requested: CrdNames, accepted: CrdNames, claimed: ClaimedNames): { names: CrdNames; namesAccepted: CrdCondition } {
  let conflict: CrdCondition | undefined;
  const refuse = (reason: string, message: string): void => {
    conflict = { type: 'NamesAccepted', status: 'False', reason, message };
  };
  const take = (wanted: string, held: string, used: ReadonlySet<string>, reason: string): string => {
    const problem = inUse(wanted, held, used);
    if (problem === undefined) return wanted;
    refuse(reason, problem);
    return held;
  };
  const plural = take(requested.plural, accepted.plural, claimed.resources, 'PluralConflict');
  const singular = take(requested.singular, accepted.singular, claimed.resources, 'SingularConflict');
  let shortNames = accepted.shortNames;
  if (!sameList(requested.shortNames, accepted.shortNames)) {
    const problems = requested.shortNames
      .filter((shortName) => !accepted.shortNames.includes(shortName))
      .map((shortName) => inUse(shortName, '', claimed.resources))
      .filter((problem): problem is string => problem !== undefined);
    if (problems.length === 0) shortNames = requested.shortNames;
    else refuse('ShortNamesConflict', problems.length === 1 ? (problems[0] as string) : `[${problems.join(', ')}]`);
  }
  const kind = take(requested.kind, accepted.kind, claimed.kinds, 'KindConflict');
  const listKind = take(requested.listKind, accepted.listKind, claimed.kinds, 'ListKindConflict');
  const names = { plural, singular, shortNames, kind, listKind, categories: requested.categories };
  return { names, namesAccepted: conflict ?? { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' } };
}

/** equalToAcceptedOrFresh: undefined when `wanted` may be taken, else upstream's complaint. */
function inUse(wanted: string, held: string, used: ReadonlySet<string>): string | undefined {
  if (wanted === held || !used.has(wanted)) return undefined;
  return `${JSON.stringify(wanted)} is already in use`;
}

/**
 * The Established condition: kept once True; set True (as the establishing controller words it)
 * when the names are accepted; otherwise False until they are.
 */
function establishedCondition(crd: JsonObject, namesAccepted: CrdCondition): CrdCondition {
  const old = findCondition(crd, 'Established');
  if (old?.status === 'True') return conditionOf(old);
  if (namesAccepted.status === 'True') {
    return { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' };
  }
  return old === undefined ? { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' } : conditionOf(old);
}

function conditionOf(condition: JsonObject): CrdCondition {
  const text = (field: string): string => (typeof condition[field] === 'string' ? (condition[field] as string) : '');
  const status = text('status');
  return {
    type: text('type'),
    status: status === 'True' || status === 'False' ? status : 'Unknown',
    reason: text('reason'),
    message: text('message'),
  };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
