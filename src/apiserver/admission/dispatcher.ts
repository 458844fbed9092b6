/**
 * @module
 * Dynamic admission: sends each write to the webhooks whose configuration selects it, after
 * k8s.io/apiserver pkg/admission/plugin/webhook/{generic/webhook.go, mutating/dispatcher.go,
 * validating/dispatcher.go}. Mutating webhooks run one after another, each seeing the object as
 * the previous ones patched it; one with reinvocationPolicy IfNeeded runs a second time when a later
 * webhook changed the object. Validating webhooks then run all at once, and the first refusal in
 * their order wins. A webhook that cannot be called (refused connection, timeout, a redirect, a
 * malformed answer) fails the request with 500 `failed calling webhook "<name>": …` under
 * failurePolicy Fail and is skipped under Ignore. Dry-run requests refuse webhooks whose
 * sideEffects are not None or NoneOnDryRun.
 *
 * Under matchPolicy Equivalent (the default) a webhook whose rules name another served version of
 * the request's resource is called with the request in that version (equivalent.ts); a mutating
 * webhook's patch applies to that object and the result is converted back.
 *
 * The webhook configurations themselves are never sent to webhooks, so a broken webhook can always
 * be removed.
 */
import { randomUUID } from 'node:crypto';
import { type JsonObject, type JsonValue, jsonEqual } from '../../api/json.js';
import type { Labels } from '../../api/labels.js';
import { StatusError, badRequest, internalError } from '../../api/status.js';
import { type Logger, silentLogger } from '../../util/logger.js';
import { applyJsonPatch } from '../patch/json-patch.js';
import type { AdmissionAttributes } from './attributes.js';
import { type EquivalentResourceMapper, matchingAttributes, noEquivalentResources, toRequestVersion } from './equivalent.js';
import { type MatchConditionEvaluator, noCelMatchConditions } from './match-conditions.js';
import { admissionReview, InvalidResponseError, rejection, verifyResponse, type WebhookVerdict } from './review.js';
import { ResponseDecodeError } from './review-decode.js';
import { isExemptResource, namespaceObjectLabels, namespaceSelectorApplies, objectSelectorMatches } from './rules.js';
import { httpsTransport, WebhookCallError, type WebhookTransport } from './webhook-client.js';
import { type Webhook, webhooksOf } from './webhook.js';

/** Where the dispatcher reads configurations and namespaces from (the watch caches, in the server). */
export interface WebhookSource {
  /** Whether any configuration exists: a cheap, synchronous check made on every write. */
  hasAny(): boolean;
  /** MutatingWebhookConfigurations, in name order. */
  mutating(): readonly JsonObject[];
  /** ValidatingWebhookConfigurations, in name order. */
  validating(): readonly JsonObject[];
  /** A namespace's labels, or undefined when it does not exist. */
  namespaceLabels(name: string): Promise<Labels | undefined>;
  /**
   * The versions served over the request's storage, for matchPolicy Equivalent.
   * @defaultValue none
   */
  readonly equivalents?: EquivalentResourceMapper;
}

/** What the generic store calls around a write. */
export interface AdmissionChain {
  /** False when no webhook is configured: then the store skips admission altogether. */
  active(): boolean;
  /** Mutating admission: the object as the webhooks left it, and their warnings. */
  admit(attributes: AdmissionAttributes): Promise<AdmissionOutcome>;
  /** Validating admission: throws the refusal; returns the webhooks' warnings. */
  validate(attributes: AdmissionAttributes): Promise<readonly string[]>;
}

export interface AdmissionOutcome {
  readonly object: JsonObject | undefined;
  readonly warnings: readonly string[];
}

export interface WebhookDispatcherOptions {
  readonly source: WebhookSource;
  /** @defaultValue HTTPS */
  readonly transport?: WebhookTransport;
  /**
   * Evaluates webhooks' matchConditions; the API server passes its CEL evaluator.
   * @defaultValue refuses webhooks that have matchConditions
   */
  readonly matchConditions?: MatchConditionEvaluator;
  /** @defaultValue silent */
  readonly logger?: Logger;
  /** Review uids. @defaultValue randomUUID */
  readonly uid?: () => string;
}

export class WebhookDispatcher implements AdmissionChain {
  private readonly source: WebhookSource;
  private readonly equivalents: EquivalentResourceMapper;
  private readonly transport: WebhookTransport;
  private readonly conditions: MatchConditionEvaluator;
  private readonly logger: Logger;
  private readonly uid: () => string;

  constructor(options: WebhookDispatcherOptions) {
    this.source = options.source;
    this.equivalents = options.source.equivalents ?? noEquivalentResources;
    this.transport = options.transport ?? httpsTransport;
    this.conditions = options.matchConditions ?? noCelMatchConditions;
    this.logger = options.logger ?? silentLogger;
    this.uid = options.uid ?? randomUUID;
  }

  active(): boolean {
    return this.source.hasAny();
  }

  async admit(attributes: AdmissionAttributes): Promise<AdmissionOutcome> {
    const warnings: string[] = [];
    if (isExemptResource(attributes.group, attributes.resource)) return { object: attributes.object, warnings };
    const hooks = this.source.mutating().flatMap((config) => webhooksOf(config, 'mutating'));
    let current = attributes;
    const invokedReinvocable = new Set<Webhook>();
    const reinvoke = new Set<Webhook>();
    const run = async (hook: Webhook): Promise<void> => {
      const seen = await this.shouldCall(hook, current);
      if (seen === undefined) return;
      const verdict = await this.call(hook, seen, true);
      if (verdict === undefined) return;
      warnings.push(...verdict.warnings);
      if (!verdict.allowed) throw rejection(hook.name, verdict.status);
      // The patch applies to the object as the webhook saw it; converted back to the request's version.
      const patched = applyWebhookPatch(hook, seen.object, verdict.patch);
      if (patched !== undefined) {
        for (const earlier of invokedReinvocable) reinvoke.add(earlier);
        current = { ...current, object: toRequestVersion(seen, patched, current.object) };
      }
      if (hook.reinvocationPolicy === 'IfNeeded') invokedReinvocable.add(hook);
    };
    for (const hook of hooks) await run(hook);
    // One more round for the IfNeeded webhooks that ran before a later one changed the object.
    if (reinvoke.size > 0) {
      invokedReinvocable.clear();
      const again = hooks.filter((hook) => reinvoke.has(hook));
      reinvoke.clear();
      for (const hook of again) await run(hook);
    }
    return { object: current.object, warnings };
  }

  async validate(attributes: AdmissionAttributes): Promise<readonly string[]> {
    if (isExemptResource(attributes.group, attributes.resource)) return [];
    const hooks = this.source.validating().flatMap((config) => webhooksOf(config, 'validating'));
    const selected: { readonly hook: Webhook; readonly seen: AdmissionAttributes }[] = [];
    for (const hook of hooks) {
      const seen = await this.shouldCall(hook, attributes);
      if (seen !== undefined) selected.push({ hook, seen });
    }
    const results = await Promise.all(
      selected.map(async ({ hook, seen }) => {
        try {
          return { hook, verdict: await this.call(hook, seen, false) };
        } catch (error) {
          return { hook, error };
        }
      }),
    );
    const warnings: string[] = [];
    let refusal: unknown;
    for (const result of results) {
      if ('error' in result) {
        refusal ??= result.error;
        continue;
      }
      if (result.verdict === undefined) continue;
      warnings.push(...result.verdict.warnings);
      if (!result.verdict.allowed) refusal ??= rejection(result.hook.name, result.verdict.status);
    }
    if (refusal !== undefined) throw refusal;
    return warnings;
  }

  /**
   * ShouldCallHook: rules, namespace selector, object selector, then matchConditions; and the dry-run
   * check of a webhook that is called. A selector that does not parse, or conditions that cannot be
   * evaluated, are failures of the webhook (its failurePolicy decides). Returns the request as the
   * webhook sees it — in the version its rules matched, under matchPolicy Equivalent — or undefined
   * when the webhook is not called.
   */
  private async shouldCall(hook: Webhook, attributes: AdmissionAttributes): Promise<AdmissionAttributes | undefined> {
    const seen = matchingAttributes(hook.rules, hook.matchPolicy === 'Equivalent', attributes, this.equivalents);
    if (seen === undefined) return undefined;
    if (namespaceSelectorApplies(attributes)) {
      const selector = hook.namespaceSelector;
      if (!selector.ok) return this.failed(hook, `invalid namespaceSelector: ${selector.error}`);
      if (!selector.selector.empty) {
        const labels = namespaceObjectLabels(attributes) ?? (await this.source.namespaceLabels(attributes.namespace));
        if (labels === undefined) throw new StatusError('NotFound', `namespaces ${JSON.stringify(attributes.namespace)} not found`, { details: { name: attributes.namespace, kind: 'namespaces' } });
        if (!selector.selector.matches(labels)) return undefined;
      }
    }
    const object = objectSelectorMatches(hook.objectSelector, attributes);
    if (typeof object === 'string') return this.failed(hook, `invalid objectSelector: ${object}`);
    if (!object) return undefined;
    // matchConditions see the request as the webhook will (upstream: VersionedAttribute(invocation.Kind)).
    const conditions = this.conditions.evaluate(hook.matchConditions, seen);
    if ('error' in conditions) return this.failed(hook, conditions.error);
    if (!conditions.matches) return undefined;
    if (attributes.dryRun && hook.sideEffects !== 'None' && hook.sideEffects !== 'NoneOnDryRun') {
      throw badRequest(`admission webhook ${JSON.stringify(hook.name)} does not support dry run`);
    }
    return seen;
  }

  /** A webhook that cannot be judged: skipped under Ignore, a 500 under Fail. */
  private failed(hook: Webhook, reason: string): undefined {
    const error = callingError(hook, reason);
    if (hook.failurePolicy === 'Ignore') {
      this.logger.warn(`${error.message} (failurePolicy Ignore: skipped)`);
      return undefined;
    }
    throw internalError(error);
  }

  /** Calls the webhook; undefined when the call failed and the webhook's failures are ignored. */
  private async call(hook: Webhook, attributes: AdmissionAttributes, mutating: boolean): Promise<WebhookVerdict | undefined> {
    try {
      if (!hook.admissionReviewVersions.includes('v1')) {
        throw new WebhookCallError('could not create admission objects: webhook does not accept known AdmissionReview versions');
      }
      const uid = this.uid();
      const body = await this.transport(hook.clientConfig, JSON.stringify(admissionReview(uid, attributes)), hook.timeoutSeconds);
      try {
        return verifyResponse(uid, mutating, body);
      } catch (error) {
        if (error instanceof InvalidResponseError) throw new WebhookCallError(`received invalid webhook response: ${error.message}`);
        if (error instanceof ResponseDecodeError) throw new WebhookCallError(`failed to call webhook: ${error.message}`);
        throw error;
      }
    } catch (error) {
      if (!(error instanceof WebhookCallError)) throw error;
      this.failed(hook, error.message);
      return undefined;
    }
  }
}

/** ErrCallingWebhook's words. */
export function callingError(hook: Webhook, reason: string): Error {
  return new Error(`failed calling webhook ${JSON.stringify(hook.name)}: ${reason}`);
}

/**
 * The object after a mutating webhook's JSON patch; undefined when nothing changed (mutating/
 * dispatcher.go callAttrMutatingHook). An empty patch changes nothing. A non-empty patch with no
 * object to apply it to (a DELETE) is a 500, in upstream's words.
 *
 * A patch may not change the object's apiVersion or kind: upstream decodes the patched JSON back
 * into the request's typed object, which never yields another kind (an unknown apiVersion/kind is a
 * decode error, 500; another registered kind leaves the typed object empty), and the stored object's
 * apiVersion/kind always come from the endpoint. kubelite keeps JSON throughout, so it refuses the
 * change here, as a 500, rather than storing an object under another kind's name.
 */
function applyWebhookPatch(hook: Webhook, object: JsonObject | undefined, patch: JsonValue | undefined): JsonObject | undefined {
  if (patch === undefined || (Array.isArray(patch) && patch.length === 0)) return undefined;
  if (object === undefined) {
    throw internalError(new Error(`admission webhook ${JSON.stringify(hook.name)} attempted to modify the object, which is not supported for this operation`));
  }
  let patched: JsonObject;
  try {
    patched = applyJsonPatch(object, patch);
  } catch (error) {
    throw internalError(new Error(`admission webhook ${JSON.stringify(hook.name)} returned a patch that cannot be applied: ${error instanceof Error ? error.message : String(error)}`));
  }
  if (patched.apiVersion !== object.apiVersion || patched.kind !== object.kind) {
    throw internalError(
      new Error(
        `admission webhook ${JSON.stringify(hook.name)} attempted to change the object's apiVersion/kind from ${typeString(object)} to ${typeString(patched)}, which is not supported`,
      ),
    );
  }
  return jsonEqual(patched, object) ? undefined : patched;
}

/** `"<apiVersion>, Kind=<kind>"`, as Go prints a GroupVersionKind. */
function typeString(object: JsonObject): string {
  return JSON.stringify(`${typeof object.apiVersion === 'string' ? object.apiVersion : ''}, Kind=${typeof object.kind === 'string' ? object.kind : ''}`);
}
