/**
 * @module
 * Content negotiation: which of the forms we can produce the client's Accept header asks for. Forms
 * are chosen as kube-apiserver's negotiation does (staging/src/k8s.io/apiserver/pkg/endpoints/
 * handlers/negotiation): the first acceptable media range in the client's order wins, `as=Table`,
 * `as=PartialObjectMetadata(List)` and `as=APIGroupDiscoveryList` select server-side
 * transformations, and a client that accepts only what we cannot produce (protobuf, CBOR) gets 406
 * Not Acceptable.
 */
import { notAcceptable } from '../../api/status.js';
import { BoundedMemo } from '../../api/bounded-memo.js';

export interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly params: Readonly<Record<string, string>>;
}

/** Response forms of resource endpoints. */
export type ResourceOutput =
  | { readonly kind: 'json' }
  | { readonly kind: 'yaml' }
  | { readonly kind: 'table'; readonly version: 'v1' | 'v1beta1' }
  /**
   * Metadata only (partial-metadata.ts), meta.k8s.io/v1 as upstream serves it (its v1beta1 is not
   * offered). `list` is which form was asked: PartialObjectMetadataList or PartialObjectMetadata;
   * whether it fits the request is the handler's to say.
   */
  | { readonly kind: 'metadata'; readonly list: boolean };

/** Response forms of /api and /apis. */
export type DiscoveryOutput = { readonly kind: 'json' } | { readonly kind: 'aggregated'; readonly version: 'v2' | 'v2beta1' };

/** Headers seen lately and their ranges: clients send the same few Accept and Content-Type values. */
const parsedHeaders = new BoundedMemo<string, readonly MediaRange[]>(64, (header) => Object.freeze(parseHeader(header)));

/** Parses an Accept (or Content-Type) header into media ranges, dropping malformed ones. */
export function parseMediaRanges(header: string | undefined): readonly MediaRange[] {
  return header === undefined ? [] : parsedHeaders.get(header);
}

function parseHeader(header: string): MediaRange[] {
  if (header.trim() === '') return [];
  const ranges: MediaRange[] = [];
  for (const part of header.split(',')) {
    const [mime = '', ...rawParams] = part.split(';');
    const [type, subtype] = mime.trim().toLowerCase().split('/');
    if (type === undefined || subtype === undefined || type === '' || subtype === '') continue;
    const params: Record<string, string> = {};
    for (const raw of rawParams) {
      const eq = raw.indexOf('=');
      if (eq < 0) continue;
      params[raw.slice(0, eq).trim().toLowerCase()] = raw.slice(eq + 1).trim().replace(/^"|"$/g, '');
    }
    ranges.push({ type, subtype, params });
  }
  return ranges;
}

const PRODUCIBLE =
  'application/json, application/yaml, application/json;as=Table;v=v1;g=meta.k8s.io, application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io, application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io';

export function negotiateResourceOutput(accept: string | undefined): ResourceOutput {
  const ranges = parseMediaRanges(accept);
  if (ranges.length === 0) return { kind: 'json' };
  for (const range of ranges) {
    if (range.params.q === '0') continue;
    if (range.type === '*' || (range.type === 'application' && range.subtype === '*')) return { kind: 'json' };
    if (range.type !== 'application') continue;
    if (range.subtype === 'json') {
      const as = range.params.as;
      if (as === undefined) return { kind: 'json' };
      if (as === 'Table' && range.params.g === 'meta.k8s.io' && (range.params.v === 'v1' || range.params.v === 'v1beta1')) {
        return { kind: 'table', version: range.params.v };
      }
      if ((as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') && range.params.g === 'meta.k8s.io' && range.params.v === 'v1') {
        return { kind: 'metadata', list: as === 'PartialObjectMetadataList' };
      }
      continue;
    }
    if (range.subtype === 'yaml' && range.params.as === undefined) return { kind: 'yaml' };
  }
  throw notAcceptable(`only the following media types are accepted: ${PRODUCIBLE}`);
}

export function negotiateDiscoveryOutput(accept: string | undefined): DiscoveryOutput {
  for (const range of parseMediaRanges(accept)) {
    if (range.type !== 'application' || range.subtype !== 'json') continue;
    if (range.params.as === 'APIGroupDiscoveryList' && range.params.g === 'apidiscovery.k8s.io') {
      if (range.params.v === 'v2' || range.params.v === 'v2beta1') return { kind: 'aggregated', version: range.params.v };
      continue;
    }
    if (range.params.as === undefined) return { kind: 'json' };
  }
  return { kind: 'json' };
}
