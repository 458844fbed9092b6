/**
 * @module
 * Objects as their metadata only: what a client gets when it asks for
 * `application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1` (a get, a watch's objects, a
 * write's answer) or `…;as=PartialObjectMetadataList;…` (a list). client-go's metadata client and
 * metadata informers, and the controllers built on them (upstream's garbage collector, quota), read
 * resources this way. Follows asPartialObjectMetadata and asPartialObjectMetadataList in
 * staging/src/k8s.io/apiserver/pkg/endpoints/handlers/response.go: the whole ObjectMeta, under
 * `kind: PartialObjectMetadata`, `apiVersion: meta.k8s.io/v1`; a Status passes through unchanged.
 */
import { type JsonObject, isJsonObject } from '../api/json.js';
import { type StatusError, notAcceptable } from '../api/status.js';

/** The metadata of `object`, as a PartialObjectMetadata of meta.k8s.io/`version`. */
export function asPartialObjectMetadata(object: JsonObject, version = 'v1'): JsonObject {
  if (object.kind === 'Status' && object.apiVersion === 'v1') return object;
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: isJsonObject(object.metadata) ? object.metadata : {},
  };
}

/** A list's items as a PartialObjectMetadataList (meta.k8s.io/v1) with the list's metadata. */
export function asPartialObjectMetadataList(items: readonly JsonObject[], listMeta: JsonObject): JsonObject {
  return {
    kind: 'PartialObjectMetadataList',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    items: items.map((item) => asPartialObjectMetadata(item)),
  };
}

/** The 406 of a single object asked for as a list, in upstream's words. */
export function notAList(kind: string): StatusError {
  return notAcceptable(`you requested PartialObjectMetadataList, but the requested object is not a list (${kind})`);
}

/** The 406 of a list asked for as one object, in upstream's words. */
export function aList(listKind: string): StatusError {
  return notAcceptable(`you requested PartialObjectMetadata, but the requested object is a list (${listKind})`);
}
