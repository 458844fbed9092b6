/**
 * @module
 * Subresources with behaviour of their own, by name: namespaces/finalize (the namespace controller
 * clears spec.finalizers through it, which lets a terminating namespace go), pods/binding (the
 * scheduler's), pods/eviction (drain's, which respects PodDisruptionBudgets), pods/log and the
 * refusals of pods/exec, attach and portforward (pod-log.ts).
 */
import { isJsonObject } from '../../api/json.js';
import { badRequest, methodNotSupported } from '../../api/status.js';
import { bodyFormat, decodeBody, protobufContext, readBody } from '../http/body.js';
import { sendObject } from '../http/respond.js';
import type { SubresourceHandler } from '../handlers/resource-handler.js';
import { parseWriteQuery } from '../handlers/query.js';
import { LOG_HANDLER, noProcessHandler } from './pod-log.js';
import { BINDING_HANDLER, EVICTION_HANDLER } from './pod-subresources.js';

/** PUT namespaces/<name>/finalize: replaces spec.finalizers, and nothing else. */
const finalizeNamespace: SubresourceHandler = async (scope, request, response, target, query) => {
  if (target.verb !== 'update') throw methodNotSupported(scope.store.groupResource, target.verb);
  const write = parseWriteQuery(query);
  const format = bodyFormat(request.headers['content-type'], ['json', 'yaml', 'protobuf']);
  const context = format === 'protobuf' ? protobufContext(scope.schemas, { apiVersion: 'v1', kind: 'Namespace' }) : undefined;
  const body = decodeBody(await readBody(request), format, context).value;
  if (!isJsonObject(body)) throw badRequest('the body must be a Namespace');
  const spec = isJsonObject(body.spec) ? body.spec : {};
  const finalizers = Array.isArray(spec.finalizers) ? spec.finalizers.filter((f): f is string => typeof f === 'string') : [];
  const result = await scope.store.patch(target.namespace, target.name, { subresource: 'finalize', dryRun: write.dryRun, now: scope.now() }, (current) => ({
    ...current,
    spec: { ...(isJsonObject(current.spec) ? current.spec : {}), finalizers },
  }));
  sendObject(response, 200, result.object);
};

export const SUBRESOURCE_HANDLERS: Readonly<Record<string, SubresourceHandler>> = {
  finalize: finalizeNamespace,
  binding: BINDING_HANDLER,
  eviction: EVICTION_HANDLER,
  log: LOG_HANDLER,
  exec: noProcessHandler('exec'),
  attach: noProcessHandler('attach'),
  portforward: noProcessHandler('portforward'),
};
