/**
 * @module
 * The `pod-template-hash` of a Deployment's pod template, and template equality ignoring it
 * (upstream pkg/controller/controller_utils.go ComputeHash, apimachinery util/rand SafeEncodeString,
 * pkg/controller/deployment/util/deployment_util.go EqualIgnoreHash).
 *
 * Upstream hashes the template's go-spew dump with FNV-32a, then the collisionCount as 8
 * little-endian bytes (the upper four zero), and encodes the decimal digits of the 32-bit sum with
 * SafeEncodeString's alphabet. The spew dump of a Go struct cannot be reproduced byte for byte
 * here, so we hash a canonical JSON of the template instead (object keys sorted, empty maps and
 * lists dropped): the hash is stable across processes and restarts and changes with the template,
 * which is all the controller relies on, but it differs from the hash Kubernetes would compute for
 * the same template.
 */
import type { coreV1 } from '../../api/types/index.js';
import type { DeepReadonly } from '../../client/object.js';
import { canonicalJson } from '../controller-utils/hash.js';

export { computeHash } from '../controller-utils/hash.js';

/** The label (and selector requirement) that tells a Deployment's ReplicaSets and pods apart. */
export const DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY = 'pod-template-hash';

/** The template without the pod-template-hash label. */
function withoutHash(template: DeepReadonly<coreV1.PodTemplateSpec> | undefined): unknown {
  if (template === undefined) return undefined;
  const labels: Record<string, string> = { ...(template.metadata?.labels ?? {}) };
  delete labels[DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY];
  return { ...template, metadata: { ...(template.metadata ?? {}), labels } };
}

/** Whether two templates are semantically equal once their pod-template-hash labels are ignored (EqualIgnoreHash). */
export function equalIgnoreHash(a: DeepReadonly<coreV1.PodTemplateSpec> | undefined, b: DeepReadonly<coreV1.PodTemplateSpec> | undefined): boolean {
  return canonicalJson(withoutHash(a)) === canonicalJson(withoutHash(b));
}
