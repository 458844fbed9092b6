/**
 * @module
 * The API-approval policy for CRDs in Kubernetes' own groups (KEP-2337, "k8s.io group protection"):
 * a CRD whose group is k8s.io, kubernetes.io or a subdomain of either must carry the annotation
 * `api-approved.kubernetes.io`, set to the URL where the API was approved or to a reason starting
 * with "unapproved". The state and its words follow apiextensions-apiserver
 * pkg/apihelpers/helpers.go (GetAPIApprovalState) and pkg/controller/apiapproval (the
 * KubernetesAPIApprovalPolicyConformant condition).
 */
import { type JsonObject, isJsonObject } from '../../api/json.js';
import { readMetadata } from '../registry/object-meta.js';
import type { CrdCondition } from './crd-model.js';

export const API_APPROVED_ANNOTATION = 'api-approved.kubernetes.io';
export const API_APPROVAL_CONDITION = 'KubernetesAPIApprovalPolicyConformant';

export type ApprovalState = 'Approved' | 'Bypassed' | 'Missing' | 'Invalid';

/** Whether a group is one of Kubernetes' own, where CRDs need approval. */
export function isProtectedGroup(group: string): boolean {
  return group === 'k8s.io' || group.endsWith('.k8s.io') || group === 'kubernetes.io' || group.endsWith('.kubernetes.io');
}

/** GetAPIApprovalState: what the annotation says, and why, in upstream's words. */
export function apiApprovalState(crd: JsonObject): { readonly state: ApprovalState; readonly reason: string } {
  const annotations = readMetadata(crd).annotations;
  const raw = isJsonObject(annotations) ? annotations[API_APPROVED_ANNOTATION] : undefined;
  const annotation = typeof raw === 'string' ? raw : '';
  const guide = 'see https://github.com/kubernetes/enhancements/pull/1111';
  if (annotation === '') {
    return { state: 'Missing', reason: `protected groups must have approval annotation "${API_APPROVED_ANNOTATION}", ${guide}` };
  }
  if (annotation.startsWith('unapproved')) return { state: 'Bypassed', reason: `not approved: ${JSON.stringify(annotation)}` };
  if (isAbsoluteUrl(annotation)) return { state: 'Approved', reason: `approved in ${annotation}` };
  return {
    state: 'Invalid',
    reason: `protected groups must have approval annotation "${API_APPROVED_ANNOTATION}" with either a URL or a reason starting with "unapproved", ${guide}`,
  };
}

/** The KubernetesAPIApprovalPolicyConformant condition of a CRD in a protected group. */
export function approvalCondition(crd: JsonObject): CrdCondition {
  const { state, reason } = apiApprovalState(crd);
  switch (state) {
    case 'Approved':
      return { type: API_APPROVAL_CONDITION, status: 'True', reason: 'ApprovedAnnotation', message: reason };
    case 'Bypassed':
      return { type: API_APPROVAL_CONDITION, status: 'False', reason: 'UnapprovedAnnotation', message: reason };
    case 'Missing':
      return { type: API_APPROVAL_CONDITION, status: 'False', reason: 'MissingAnnotation', message: reason };
    case 'Invalid':
      return { type: API_APPROVAL_CONDITION, status: 'False', reason: 'InvalidAnnotation', message: reason };
    default: {
      const never: never = state;
      throw new Error(`unknown approval state ${String(never)}`);
    }
  }
}

/** url.ParseRequestURI with a scheme and a host. */
function isAbsoluteUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol !== '' && url.host !== '';
  } catch {
    return false;
  }
}
