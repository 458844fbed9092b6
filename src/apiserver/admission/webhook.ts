/**
 * @module
 * One admission webhook as the dispatcher uses it, read from a Mutating- or
 * ValidatingWebhookConfiguration object (admissionregistration.k8s.io/v1), with upstream's v1
 * defaults filled in for anything the stored object lacks (pkg/apis/admissionregistration/v1
 * defaults.go), and its selectors parsed once. Follows k8s.io/apiserver
 * pkg/admission/plugin/webhook/accessors.go: a configuration's webhooks are read once per stored
 * version of it (the parsed form is cached per object, and cached objects are never changed).
 */
import { type JsonObject, type JsonValue, isJsonObject } from '../../api/json.js';
import { type LabelSelector, type MetaLabelSelector, everythingLabelSelector, selectorFromLabelSelector } from '../../api/labels.js';
import { metadataName, str, strings } from './read-json.js';

export type WebhookType = 'mutating' | 'validating';

/** A RuleWithOperations, scope defaulted to "*". */
export interface WebhookRule {
  readonly operations: readonly string[];
  readonly apiGroups: readonly string[];
  readonly apiVersions: readonly string[];
  readonly resources: readonly string[];
  readonly scope: string;
}

export interface ServiceReference {
  readonly namespace: string;
  readonly name: string;
  readonly path: string | undefined;
  readonly port: number;
}

export interface WebhookClientConfig {
  readonly url: string | undefined;
  readonly service: ServiceReference | undefined;
  /** PEM bundle decoded from base64 caBundle; undefined trusts the system roots. */
  readonly caBundle: string | undefined;
}

export interface MatchCondition {
  readonly name: string;
  readonly expression: string;
}

/** A selector as parsed, or the reason it does not parse (an error when the webhook is matched). */
export type ParsedSelector = { readonly ok: true; readonly selector: LabelSelector } | { readonly ok: false; readonly error: string };

export interface Webhook {
  readonly type: WebhookType;
  /** The configuration's metadata.name. */
  readonly configuration: string;
  /** The webhook's position in its configuration. */
  readonly index: number;
  readonly name: string;
  readonly clientConfig: WebhookClientConfig;
  readonly rules: readonly WebhookRule[];
  readonly failurePolicy: 'Fail' | 'Ignore';
  readonly matchPolicy: string;
  readonly namespaceSelector: ParsedSelector;
  readonly objectSelector: ParsedSelector;
  readonly sideEffects: string;
  readonly timeoutSeconds: number;
  readonly admissionReviewVersions: readonly string[];
  readonly reinvocationPolicy: 'Never' | 'IfNeeded';
  readonly matchConditions: readonly MatchCondition[];
}

export const DEFAULT_TIMEOUT_SECONDS = 10;

const parsed = new WeakMap<JsonObject, readonly Webhook[]>();

/** The webhooks of a configuration object, parsed once per (immutable, cached) object. */
export function webhooksOf(configuration: JsonObject, type: WebhookType): readonly Webhook[] {
  let webhooks = parsed.get(configuration);
  if (webhooks === undefined) {
    webhooks = parseWebhooks(configuration, type);
    parsed.set(configuration, webhooks);
  }
  return webhooks;
}

export function parseWebhooks(configuration: JsonObject, type: WebhookType): readonly Webhook[] {
  const name = metadataName(configuration);
  const list = Array.isArray(configuration.webhooks) ? configuration.webhooks : [];
  return list.filter(isJsonObject).map((hook, index) => parseWebhook(hook, type, name, index));
}

function parseWebhook(hook: JsonObject, type: WebhookType, configuration: string, index: number): Webhook {
  const client = isJsonObject(hook.clientConfig) ? hook.clientConfig : {};
  const service = isJsonObject(client.service) ? client.service : undefined;
  const caBundle = str(client.caBundle);
  return {
    type,
    configuration,
    index,
    name: str(hook.name) ?? '',
    clientConfig: {
      url: str(client.url),
      service:
        service === undefined
          ? undefined
          : { namespace: str(service.namespace) ?? '', name: str(service.name) ?? '', path: str(service.path), port: typeof service.port === 'number' ? service.port : 443 },
      caBundle: caBundle === undefined || caBundle === '' ? undefined : Buffer.from(caBundle, 'base64').toString('utf8'),
    },
    rules: (Array.isArray(hook.rules) ? hook.rules : []).filter(isJsonObject).map(parseRule),
    failurePolicy: hook.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail',
    matchPolicy: str(hook.matchPolicy) ?? 'Equivalent',
    namespaceSelector: parseSelector(hook.namespaceSelector),
    objectSelector: parseSelector(hook.objectSelector),
    sideEffects: str(hook.sideEffects) ?? 'Unknown',
    timeoutSeconds: typeof hook.timeoutSeconds === 'number' ? hook.timeoutSeconds : DEFAULT_TIMEOUT_SECONDS,
    admissionReviewVersions: strings(hook.admissionReviewVersions),
    reinvocationPolicy: hook.reinvocationPolicy === 'IfNeeded' ? 'IfNeeded' : 'Never',
    matchConditions: (Array.isArray(hook.matchConditions) ? hook.matchConditions : [])
      .filter(isJsonObject)
      .map((condition) => ({ name: str(condition.name) ?? '', expression: str(condition.expression) ?? '' })),
  };
}

/** A rule of a webhook (RuleWithOperations), read from its stored JSON. */
export function parseRule(rule: JsonObject): WebhookRule {
  return {
    operations: strings(rule.operations),
    apiGroups: strings(rule.apiGroups),
    apiVersions: strings(rule.apiVersions),
    resources: strings(rule.resources),
    scope: str(rule.scope) ?? '*',
  };
}

/** An absent selector matches everything, as the v1 default `{}` does. */
export function parseSelector(value: JsonValue | undefined): ParsedSelector {
  if (value === undefined || value === null) return { ok: true, selector: everythingLabelSelector };
  if (!isJsonObject(value)) return { ok: false, error: 'a label selector must be an object' };
  try {
    return { ok: true, selector: selectorFromLabelSelector(value as MetaLabelSelector) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

