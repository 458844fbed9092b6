/**
 * @module
 * matchPolicy Equivalent: a webhook or policy whose rules name one version of a resource also sees
 * writes through the other versions served over the same storage, in the version its rules named.
 * After k8s.io/apiserver pkg/admission/plugin/webhook/generic/webhook.go (ShouldCallHook) and
 * pkg/admission/plugin/policy/matching/matching.go (matchesResourceRules): the rules are tried
 * against the request's own resource first; only when none matches, and the policy is Equivalent,
 * each rule in turn against each equivalent resource (the EquivalentResourceMapper's order), the
 * first match winning.
 *
 * Equivalents here are the served versions of one CustomResourceDefinition: definitions of custom
 * resources whose `storedAs` group and resource are equal. Their conversion is None, so seeing an
 * object "in" another version only changes its apiVersion. Built-in resources have none (the two
 * Event APIs share storage but convert between different shapes, which admission does not do).
 */
import type { JsonObject } from '../../api/json.js';
import type { ResourceDefinition } from '../registry/resource-definition.js';
import type { AdmissionAttributes } from './attributes.js';
import { ruleMatches } from './rules.js';
import type { WebhookRule } from './webhook.js';

/** One version of a resource that shares the request's storage. */
export interface EquivalentResource {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly kind: string;
}

/**
 * The resources equivalent to a served one (EquivalentResourceMapper.EquivalentResourcesFor),
 * itself included, in the order the versions are served; empty when it has none.
 */
export type EquivalentResourceMapper = (group: string, version: string, resource: string) => readonly EquivalentResource[];

export const noEquivalentResources: EquivalentResourceMapper = () => [];

/** Equivalents from the served definitions (the server's registry): a CRD's served versions. */
export function registryEquivalents(served: () => readonly ResourceDefinition[]): EquivalentResourceMapper {
  return (group, version, resource) => {
    const definitions = served();
    const own = definitions.find((d) => d.group === group && d.version === version && d.resource === resource);
    const storage = own?.storedAs;
    if (own?.custom === undefined || storage === undefined) return [];
    return definitions
      .filter((d) => d.custom !== undefined && d.storedAs?.group === storage.group && d.storedAs.resource === storage.resource && d.group === group && d.resource === resource)
      .map((d) => ({ group: d.group, version: d.version, resource: d.resource, kind: d.kind }));
  };
}

/**
 * The attributes a webhook or policy with `rules` sees the request as: the request's own when a
 * rule matches it as is (the same object: no allocation on the common path); under Equivalent, the
 * request in the first equivalent version a rule matches (see {@link inEquivalentVersion});
 * undefined when nothing matches.
 */
export function matchingAttributes<R extends WebhookRule>(
  rules: readonly R[],
  equivalentPolicy: boolean,
  attributes: AdmissionAttributes,
  equivalents: EquivalentResourceMapper,
  matches: (rule: R, attributes: AdmissionAttributes) => boolean = ruleMatches,
): AdmissionAttributes | undefined {
  for (const rule of rules) if (matches(rule, attributes)) return attributes;
  if (!equivalentPolicy || rules.length === 0) return undefined;
  const candidates = equivalents(attributes.group, attributes.version, attributes.resource);
  // Honour earlier rules first: each rule against every equivalent before the next rule.
  for (const rule of rules) {
    for (const equivalent of candidates) {
      if (equivalent.group === attributes.group && equivalent.version === attributes.version && equivalent.resource === attributes.resource) continue;
      const override: AdmissionAttributes = { ...attributes, group: equivalent.group, version: equivalent.version, resource: equivalent.resource };
      if (matches(rule, override)) return inEquivalentVersion(attributes, equivalent);
    }
  }
  return undefined;
}

/**
 * The request as seen in an equivalent version: kind and resource of that version, objects with its
 * apiVersion, and the request's own resource and kind kept as requestResource/requestKind. A
 * subresource whose kind is another group's (a `scale` write's autoscaling/v1 Scale) keeps its kind
 * and objects: the Scale is the same in every version.
 */
export function inEquivalentVersion(attributes: AdmissionAttributes, equivalent: EquivalentResource): AdmissionAttributes {
  const ownKind = attributes.kindGroupVersion === undefined;
  const apiVersion = `${equivalent.group === '' ? '' : `${equivalent.group}/`}${equivalent.version}`;
  const convert = (object: JsonObject | undefined): JsonObject | undefined => (object === undefined || !ownKind ? object : { ...object, apiVersion });
  return {
    ...attributes,
    group: equivalent.group,
    version: equivalent.version,
    resource: equivalent.resource,
    kind: ownKind ? equivalent.kind : attributes.kind,
    object: convert(attributes.object),
    oldObject: convert(attributes.oldObject),
    request: attributes.request ?? {
      group: attributes.group,
      version: attributes.version,
      resource: attributes.resource,
      kind: attributes.kind,
      ...(attributes.kindGroupVersion === undefined ? {} : { kindGroupVersion: attributes.kindGroupVersion }),
    },
  };
}

/**
 * A mutated object seen in an equivalent version, converted back to the request's version (its
 * apiVersion restored); unchanged when the request was seen in its own version.
 */
export function toRequestVersion(seen: AdmissionAttributes, object: JsonObject, original: JsonObject | undefined): JsonObject {
  if (seen.request === undefined || seen.kindGroupVersion !== undefined || original === undefined) return object;
  const { apiVersion } = original;
  return apiVersion === undefined ? object : { ...object, apiVersion };
}
