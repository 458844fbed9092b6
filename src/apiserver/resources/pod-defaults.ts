/**
 * @module
 * Kubernetes' defaults for pod specs, so that what a client reads back after a create is what a
 * real cluster returns (`kubectl get pod -o yaml`): restartPolicy, dnsPolicy, schedulerName,
 * terminationGracePeriodSeconds, each container's imagePullPolicy and termination message
 * settings, ports' protocol, probe timings, volume source modes, and so on.
 *
 * Follows pkg/apis/core/v1/defaults.go and the generated walk over them,
 * pkg/apis/core/v1/zz_generated.defaults.go: {@link defaultPodTemplateSpec} is what
 * SetObjectDefaults_PodTemplate (and every workload's template) applies, {@link defaultPod} adds
 * SetDefaults_Pod's pod-only rules (requests copied from limits, enableServiceLinks, host-network
 * host ports), which upstream deliberately keeps out of templates (kubernetes#69445).
 */
import { type JsonObject, isJsonObject } from '../../api/json.js';
import { Quantity, formatQuantity } from '../../api/quantity.js';
import { ensureObject, numberAt, objectAt, objectsAt, present, stringAt } from './pod-json.js';

/** v1.DefaultTerminationGracePeriodSeconds. */
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
/** Secret, ConfigMap, DownwardAPI and Projected volume default mode: 0644. */
const DEFAULT_FILE_MODE = 0o644;

/** SetObjectDefaults_PodTemplate for a template's spec (created when absent, as Go's struct is). */
export function defaultPodTemplateSpec(template: JsonObject): void {
  defaultPodSpec(ensureObject(template, 'spec'));
}

/** SetObjectDefaults_Pod: the pod-only rules of SetDefaults_Pod, then the spec's defaults. */
export function defaultPod(pod: JsonObject): void {
  const spec = ensureObject(pod, 'spec');
  for (const key of ['containers', 'initContainers']) {
    for (const container of containerList(spec, key)) requestsFromLimits(container);
  }
  if (!present(spec, 'enableServiceLinks')) spec.enableServiceLinks = true;
  if (spec.hostNetwork === true) {
    // With host networking every container port is a host port.
    for (const key of ['containers', 'initContainers']) {
      for (const container of containerList(spec, key)) {
        for (const port of containerList(container, 'ports')) {
          if ((numberAt(port, 'hostPort') ?? 0) === 0 && typeof port.containerPort === 'number') port.hostPort = port.containerPort;
        }
      }
    }
  }
  defaultPodSpec(spec);
}

/** SetDefaults_PodSpec and the defaults of everything a pod spec holds. */
export function defaultPodSpec(spec: JsonObject): void {
  if (stringAt(spec, 'dnsPolicy') === '') spec.dnsPolicy = 'ClusterFirst';
  if (stringAt(spec, 'restartPolicy') === '') spec.restartPolicy = 'Always';
  if (!isJsonObject(spec.securityContext)) spec.securityContext = {};
  if (numberAt(spec, 'terminationGracePeriodSeconds') === undefined) {
    spec.terminationGracePeriodSeconds = DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
  }
  if (stringAt(spec, 'schedulerName') === '') spec.schedulerName = 'default-scheduler';
  for (const volume of containerList(spec, 'volumes')) defaultVolume(volume);
  for (const key of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const container of containerList(spec, key)) defaultContainer(container);
  }
  roundResourceList(objectAt(spec, 'overhead'));
}

/** SetDefaults_Container plus the defaults of its ports, env, resources, probes and hooks. */
function defaultContainer(container: JsonObject): void {
  if (stringAt(container, 'imagePullPolicy') === '') container.imagePullPolicy = imagePullPolicyFor(stringAt(container, 'image'));
  if (stringAt(container, 'terminationMessagePath') === '') container.terminationMessagePath = '/dev/termination-log';
  if (stringAt(container, 'terminationMessagePolicy') === '') container.terminationMessagePolicy = 'File';
  for (const port of containerList(container, 'ports')) {
    if (stringAt(port, 'protocol') === '') port.protocol = 'TCP';
  }
  for (const env of containerList(container, 'env')) {
    defaultFieldRef(objectAt(objectAt(env, 'valueFrom') ?? {}, 'fieldRef'));
  }
  // ResourceRequirements is a struct, not a pointer: a real API server always returns `resources: {}`.
  const resources = ensureObject(container, 'resources');
  roundResourceList(objectAt(resources, 'limits'));
  roundResourceList(objectAt(resources, 'requests'));
  for (const key of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const probe = objectAt(container, key);
    if (probe !== undefined) defaultProbe(probe);
  }
  const lifecycle = objectAt(container, 'lifecycle');
  if (lifecycle !== undefined) {
    for (const key of ['postStart', 'preStop']) defaultHttpGet(objectAt(objectAt(lifecycle, key) ?? {}, 'httpGet'));
  }
}

/** SetDefaults_Probe: a field left at 0 gets its default too, as in Go. */
function defaultProbe(probe: JsonObject): void {
  const defaults: ReadonlyArray<readonly [string, number]> = [
    ['timeoutSeconds', 1],
    ['periodSeconds', 10],
    ['successThreshold', 1],
    ['failureThreshold', 3],
  ];
  for (const [key, value] of defaults) {
    if ((numberAt(probe, key) ?? 0) === 0) probe[key] = value;
  }
  defaultHttpGet(objectAt(probe, 'httpGet'));
  const grpc = objectAt(probe, 'grpc');
  if (grpc !== undefined && !present(grpc, 'service')) grpc.service = '';
}

/** SetDefaults_HTTPGetAction. */
function defaultHttpGet(action: JsonObject | undefined): void {
  if (action === undefined) return;
  if (stringAt(action, 'path') === '') action.path = '/';
  if (stringAt(action, 'scheme') === '') action.scheme = 'HTTP';
}

/** SetDefaults_ObjectFieldSelector. */
function defaultFieldRef(fieldRef: JsonObject | undefined): void {
  if (fieldRef !== undefined && stringAt(fieldRef, 'apiVersion') === '') fieldRef.apiVersion = 'v1';
}

/** SetDefaults_Volume and the defaults of the volume sources that have any. */
function defaultVolume(volume: JsonObject): void {
  if (!VOLUME_SOURCES.some((key) => isJsonObject(volume[key]))) volume.emptyDir = {};
  const hostPath = objectAt(volume, 'hostPath');
  if (hostPath !== undefined && !present(hostPath, 'type')) hostPath.type = '';
  for (const key of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const source = objectAt(volume, key);
    if (source !== undefined && !present(source, 'defaultMode')) source.defaultMode = DEFAULT_FILE_MODE;
  }
  for (const item of objectsAt(objectAt(volume, 'downwardAPI') ?? {}, 'items')) defaultFieldRef(objectAt(item, 'fieldRef'));
  for (const source of objectsAt(objectAt(volume, 'projected') ?? {}, 'sources')) {
    for (const item of objectsAt(objectAt(source, 'downwardAPI') ?? {}, 'items')) defaultFieldRef(objectAt(item, 'fieldRef'));
    const token = objectAt(source, 'serviceAccountToken');
    if (token !== undefined && !present(token, 'expirationSeconds')) token.expirationSeconds = 3600;
  }
  setIfEmpty(objectAt(volume, 'iscsi'), { iscsiInterface: 'default' });
  setIfEmpty(objectAt(volume, 'rbd'), { pool: 'rbd', user: 'admin', keyring: '/etc/ceph/keyring' });
  setIfAbsent(objectAt(volume, 'azureDisk'), { cachingMode: 'ReadWrite', kind: 'Shared', fsType: 'ext4', readOnly: false });
  setIfEmpty(objectAt(volume, 'scaleIO'), { storageMode: 'ThinProvisioned', fsType: 'xfs' });
  const claimSpec = objectAt(objectAt(objectAt(volume, 'ephemeral') ?? {}, 'volumeClaimTemplate') ?? {}, 'spec');
  if (claimSpec !== undefined) {
    if (!present(claimSpec, 'volumeMode')) claimSpec.volumeMode = 'Filesystem';
    const resources = objectAt(claimSpec, 'resources') ?? {};
    roundResourceList(objectAt(resources, 'limits'));
    roundResourceList(objectAt(resources, 'requests'));
  }
  // ImageVolume: the pull policy follows the reference's tag, as a container's does.
  const image = objectAt(volume, 'image');
  if (image !== undefined && stringAt(image, 'pullPolicy') === '') image.pullPolicy = imagePullPolicyFor(stringAt(image, 'reference'));
}

/** The keys of v1.VolumeSource, in the order validation reports them. */
export const VOLUME_SOURCES = [
  'emptyDir', 'hostPath', 'gitRepo', 'gcePersistentDisk', 'awsElasticBlockStore', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'flocker', 'persistentVolumeClaim', 'rbd', 'cinder', 'cephfs', 'quobyte', 'downwardAPI', 'fc', 'flexVolume', 'configMap',
  'azureFile', 'vsphereVolume', 'photonPersistentDisk', 'portworxVolume', 'azureDisk', 'storageos', 'projected', 'scaleIO',
  'csi', 'ephemeral', 'image',
] as const;

export type VolumeSourceKey = (typeof VOLUME_SOURCES)[number];

/** String fields defaulted when empty (Go string fields: absent and "" are the same). */
function setIfEmpty(source: JsonObject | undefined, defaults: Readonly<Record<string, string>>): void {
  if (source === undefined) return;
  for (const [key, value] of Object.entries(defaults)) if (stringAt(source, key) === '') source[key] = value;
}

/** Pointer fields defaulted when absent. */
function setIfAbsent(source: JsonObject | undefined, defaults: Readonly<Record<string, string | boolean>>): void {
  if (source === undefined) return;
  for (const [key, value] of Object.entries(defaults)) if (!present(source, key)) source[key] = value;
}

/**
 * SetDefaults_ResourceList: quantities are rounded up to milli-units ("0.0001" → "1m") and, as
 * they would be after Go's decode and encode, printed as strings in canonical form ("0.5" and 0.5
 * → "500m").
 * Unparseable values are left for validation to report.
 */
function roundResourceList(list: JsonObject | undefined): void {
  if (list === undefined) return;
  for (const [key, value] of Object.entries(list)) {
    // A quantity may arrive as a JSON number; Go decodes it from its text all the same.
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    const parsed = Quantity.safeParse(String(value));
    if (!parsed.ok) continue;
    const quantity = parsed.quantity;
    const milli = Quantity.fromMilliValue(quantity.milliValue(), quantity.format);
    list[key] = formatQuantity(milli.cmp(quantity) === 0 ? quantity : milli);
  }
}

/** SetDefaults_Pod: a limit without a request makes the request equal to the limit. */
function requestsFromLimits(container: JsonObject): void {
  const resources = objectAt(container, 'resources');
  const limits = resources === undefined ? undefined : objectAt(resources, 'limits');
  if (resources === undefined || limits === undefined) return;
  const missing = Object.keys(limits).filter((key) => !(key in (objectAt(resources, 'requests') ?? {})));
  if (missing.length === 0) return;
  const requests = ensureObject(resources, 'requests');
  for (const key of missing) requests[key] = structuredClone(limits[key] ?? null);
}

function containerList(object: JsonObject, key: string): JsonObject[] {
  // Items that are not objects are left alone (validation reports them); the rest are defaulted in place.
  const value = object[key];
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

/**
 * The pull policy a container gets when it names none: Always for the tag "latest" (or no tag and
 * no digest, which means latest), IfNotPresent otherwise — including for references that do not
 * parse, whose tag upstream reads as empty (parsers.ParseImageName).
 */
export function imagePullPolicyFor(image: string): 'Always' | 'IfNotPresent' {
  return imageTag(image) === 'latest' ? 'Always' : 'IfNotPresent';
}

// distribution/reference grammar, as docker's ParseNormalizedNamed applies it.
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

/** The tag of an image reference ("latest" when it has neither tag nor digest); undefined when it does not parse. */
function imageTag(image: string): string | undefined {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag = '';
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  const components = rest.split('/');
  const first = components[0] ?? '';
  // The first component is a registry when it looks like one (splitDockerDomain).
  const hasDomain = components.length > 1 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first);
  if (hasDomain && !DOMAIN.test(first)) return undefined;
  const path = hasDomain ? components.slice(1) : components;
  if (path.length === 0 || !path.every((component) => PATH_COMPONENT.test(component))) return undefined;
  return tag === '' && digest === undefined ? 'latest' : tag;
}
