/**
 * @module
 * What admission knows about one write (k8s.io/apiserver pkg/admission/attributes.go): the
 * operation, the resource and subresource, the kind, the object before and after, dry run and the
 * request's options. The user is fixed: kubelite has no authentication, so every request is made by
 * {@link ADMIN_USER}, the user a kube-apiserver's loopback client would be.
 */
import type { JsonObject } from '../../api/json.js';

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface AdmissionAttributes {
  readonly operation: AdmissionOperation;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The kind's group and version when they differ from the resource's (a `scale` write's autoscaling/v1 Scale). */
  readonly kindGroupVersion?: { readonly group: string; readonly version: string };
  /** The plural resource (`pods`). */
  readonly resource: string;
  /** `status`, `scale`, …; '' for the main resource. */
  readonly subresource: string;
  /**
   * The object's namespace; for a Namespace itself, its name (as upstream: rules' scope and
   * namespaceSelector read it so).
   */
  readonly namespace: string;
  readonly name: string;
  /** The new object (CREATE, UPDATE); undefined for DELETE. */
  readonly object: JsonObject | undefined;
  /** The stored object (UPDATE, DELETE). */
  readonly oldObject: JsonObject | undefined;
  readonly dryRun: boolean;
  /**
   * The request's own resource and kind, when admission sees the request in an equivalent version
   * (matchPolicy Equivalent, see equivalent.ts): the review's requestResource and requestKind.
   * Absent when the request is seen as made.
   */
  readonly request?: RequestResource;
  /** CreateOptions, UpdateOptions or DeleteOptions (meta.k8s.io/v1), as the webhook receives them. */
  readonly options: JsonObject;
}

/** The resource and kind a request was made for. */
export interface RequestResource {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly kind: string;
  readonly kindGroupVersion?: { readonly group: string; readonly version: string };
}

/** authentication.k8s.io/v1 UserInfo of every request (no authentication in kubelite). */
export const ADMIN_USER: JsonObject = { username: 'system:admin', groups: ['system:masters', 'system:authenticated'] };

/** The options object a write's admission review carries. */
export function writeOptions(operation: AdmissionOperation, dryRun: boolean, extra: JsonObject = {}): JsonObject {
  const kind = operation === 'CREATE' ? 'CreateOptions' : operation === 'UPDATE' ? 'UpdateOptions' : operation === 'DELETE' ? 'DeleteOptions' : 'ConnectOptions';
  return { kind, apiVersion: 'meta.k8s.io/v1', ...(dryRun ? { dryRun: ['All'] } : {}), ...extra };
}
