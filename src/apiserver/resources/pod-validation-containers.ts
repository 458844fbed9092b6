/**
 * @module
 * Validation of a pod's containers — regular, init and ephemeral: names (DNS labels, unique across
 * all three lists), images, ports, environment, volume mounts and devices, pull policy, resources,
 * probes and lifecycle hooks, and the rules particular to each kind of container. Follows
 * pkg/apis/core/validation/validation.go (validateContainers, validateInitContainers,
 * validateEphemeralContainers, validateContainerCommon, validateProbe, validateHandler,
 * ValidateVolumeMounts, ValidateVolumeDevices), with its field paths and messages; environment
 * variables are in pod-validation-env.ts, resources in pod-validation-resources.ts.
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, type JsonValue, isJsonObject } from '../../api/json.js';
import { isDNS1123Label } from '../../api/validation/names.js';
import { IS_NEGATIVE_ERROR_MSG } from '../../api/validation/object-meta.js';
import { numberAt, objectAt, objectsAt, present, stringAt, stringsAt } from './pod-json.js';
import { validateEnv, validateEnvFrom } from './pod-validation-env.js';
import { validateResourceRequirements } from './pod-validation-resources.js';
import { isValidPortName, localDescendingPathErrors, validatePortNum, validatePortNumOrName } from './pod-validation-paths.js';

/** What container validation needs to know about the rest of the pod. */
export interface ContainerContext {
  /** The pod's valid volumes, by name. */
  readonly volumes: ReadonlyMap<string, JsonObject>;
  /** spec.terminationGracePeriodSeconds (sleep hooks must fit in it). */
  readonly gracePeriod: number | undefined;
  /** The names in spec.resourceClaims. */
  readonly podClaimNames: ReadonlySet<string>;
}

/** validateContainers: at least one, names unique, probes and hooks valid, no restartPolicy. */
export function validateContainers(containers: readonly JsonObject[], context: ContainerContext, path: string): FieldError[] {
  if (containers.length === 0) return [fieldErrors.required(path, '')];
  const errors: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((container, index) => {
    const at = `${path}[${index}]`;
    errors.push(...validateContainerCommon(container, context, at));
    const name = stringAt(container, 'name');
    if (names.has(name)) errors.push(fieldErrors.duplicate(`${at}.name`, name));
    else names.add(name);
    errors.push(...validateHooksAndProbes(container, context, at));
    if (present(container, 'restartPolicy')) errors.push(fieldErrors.forbidden(`${at}.restartPolicy`, 'may not be set for non-init containers'));
  });
  errors.push(...hostPortConflicts(containers, path));
  return errors;
}

/**
 * validateInitContainers: names unique across init and regular containers; hooks and probes only
 * on restartable (sidecar, restartPolicy Always) init containers.
 */
export function validateInitContainers(
  containers: readonly JsonObject[],
  regular: readonly JsonObject[],
  context: ContainerContext,
  path: string,
): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set(regular.map((container) => stringAt(container, 'name')));
  containers.forEach((container, index) => {
    const at = `${path}[${index}]`;
    errors.push(...validateContainerCommon(container, context, at));
    let restartAlways = false;
    if (present(container, 'restartPolicy')) {
      const policy = stringAt(container, 'restartPolicy');
      if (policy !== 'Always') errors.push(fieldErrors.notSupported(`${at}.restartPolicy`, policy, ['Always']));
      restartAlways = policy === 'Always';
    }
    const name = stringAt(container, 'name');
    if (names.has(name)) errors.push(fieldErrors.duplicate(`${at}.name`, name));
    else if (name !== '') names.add(name);
    // Init containers run one at a time, so their host ports are checked one container at a time.
    errors.push(...hostPortConflicts([container], path));
    if (restartAlways) {
      errors.push(...validateHooksAndProbes(container, context, at));
    } else {
      for (const key of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (present(container, key)) errors.push(fieldErrors.forbidden(`${at}.${key}`, 'may not be set for init containers without restartPolicy=Always'));
      }
    }
  });
  return errors;
}

/** EphemeralContainerCommon fields an ephemeral container may not set, in struct order. */
const EPHEMERAL_FORBIDDEN = ['ports', 'resources', 'resizePolicy', 'restartPolicy', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle'];

/** validateEphemeralContainers: debugging containers, with no ports, resources, probes or hooks. */
export function validateEphemeralContainers(
  ephemeral: readonly JsonObject[],
  containers: readonly JsonObject[],
  initContainers: readonly JsonObject[],
  context: ContainerContext,
  path: string,
): FieldError[] {
  const errors: FieldError[] = [];
  const others = new Set([...containers, ...initContainers].map((container) => stringAt(container, 'name')));
  const names = new Set(others);
  ephemeral.forEach((container, index) => {
    const at = `${path}[${index}]`;
    errors.push(...validateContainerCommon(container, context, at), ...validateContainerOnlyForPod(container, at));
    const name = stringAt(container, 'name');
    if (names.has(name)) errors.push(fieldErrors.duplicate(`${at}.name`, name));
    else names.add(name);
    const target = stringAt(container, 'targetContainerName');
    if (target !== '' && !others.has(target)) errors.push(fieldErrors.notFound(`${at}.targetContainerName`, target));
    for (const key of EPHEMERAL_FORBIDDEN) {
      if (isSet(container[key])) errors.push(fieldErrors.forbidden(`${at}.${key}`, 'cannot be set for an Ephemeral Container'));
    }
    objectsAt(container, 'volumeMounts').forEach((mount, i) => {
      for (const key of ['subPath', 'subPathExpr']) {
        if (stringAt(mount, key) !== '') errors.push(fieldErrors.forbidden(`${at}.volumeMounts[${i}].${key}`, 'cannot be set for an Ephemeral Container'));
      }
    });
  });
  return errors;
}

/** validateContainerOnlyForPod: a pod's images may not have surrounding spaces (templates may). */
export function validateContainerOnlyForPod(container: JsonObject, path: string): FieldError[] {
  const image = stringAt(container, 'image');
  return image !== image.trim() ? [fieldErrors.invalid(`${path}.image`, image, 'must not have leading or trailing whitespace')] : [];
}

/** validateContainerCommon: what every kind of container must satisfy. */
function validateContainerCommon(container: JsonObject, context: ContainerContext, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const name = stringAt(container, 'name');
  if (name === '') errors.push(fieldErrors.required(`${path}.name`, ''));
  else errors.push(...isDNS1123Label(name).map((msg) => fieldErrors.invalid(`${path}.name`, name, msg)));
  if (stringAt(container, 'image') === '') errors.push(fieldErrors.required(`${path}.image`, ''));
  errors.push(...validateEnum(stringAt(container, 'terminationMessagePolicy'), ['File', 'FallbackToLogsOnError'], `${path}.terminationMessagePolicy`));
  const mounts = objectsAt(container, 'volumeMounts');
  const devices = objectsAt(container, 'volumeDevices');
  errors.push(
    ...validateContainerPorts(objectsAt(container, 'ports'), `${path}.ports`),
    ...validateEnv(objectsAt(container, 'env'), `${path}.env`),
    ...validateEnvFrom(objectsAt(container, 'envFrom'), `${path}.envFrom`),
    ...validateVolumeMounts(mounts, devices, container, context.volumes, `${path}.volumeMounts`),
    ...validateVolumeDevices(devices, mounts, context.volumes, `${path}.volumeDevices`),
    ...validateEnum(stringAt(container, 'imagePullPolicy'), ['Always', 'IfNotPresent', 'Never'], `${path}.imagePullPolicy`),
    ...validateResourceRequirements(objectAt(container, 'resources') ?? {}, `${path}.resources`, context.podClaimNames),
  );
  return errors;
}

/** Required when empty, NotSupported when not one of `values`. */
export function validateEnum(value: string, values: readonly string[], path: string): FieldError[] {
  if (value === '') return [fieldErrors.required(path, '')];
  return values.includes(value) ? [] : [fieldErrors.notSupported(path, value, values)];
}

/** validateContainerPorts: numbers in range, protocol known, names IANA service names and unique. */
function validateContainerPorts(ports: readonly JsonObject[], path: string): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((port, index) => {
    const at = `${path}[${index}]`;
    const name = stringAt(port, 'name');
    if (name !== '') {
      const problems = isValidPortName(name);
      if (problems.length > 0) errors.push(...problems.map((msg) => fieldErrors.invalid(`${at}.name`, name, msg)));
      else if (names.has(name)) errors.push(fieldErrors.duplicate(`${at}.name`, name));
      else names.add(name);
    }
    const containerPort = numberAt(port, 'containerPort') ?? 0;
    if (containerPort === 0) errors.push(fieldErrors.required(`${at}.containerPort`, ''));
    else errors.push(...validatePortNum(containerPort, `${at}.containerPort`));
    const hostPort = numberAt(port, 'hostPort') ?? 0;
    if (hostPort !== 0) errors.push(...validatePortNum(hostPort, `${at}.hostPort`));
    const protocol = stringAt(port, 'protocol');
    if (protocol === '') errors.push(fieldErrors.required(`${at}.protocol`, ''));
    else if (!['SCTP', 'TCP', 'UDP'].includes(protocol)) errors.push(fieldErrors.notSupported(`${at}.protocol`, protocol, ['SCTP', 'TCP', 'UDP']));
  });
  return errors;
}

/** AccumulateUniqueHostPorts: one protocol/hostIP/hostPort triple per pod. */
function hostPortConflicts(containers: readonly JsonObject[], path: string): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((container, ci) => {
    objectsAt(container, 'ports').forEach((port, pi) => {
      const hostPort = numberAt(port, 'hostPort') ?? 0;
      if (hostPort === 0) return;
      const key = `${stringAt(port, 'protocol')}/${stringAt(port, 'hostIP')}/${hostPort}`;
      if (seen.has(key)) errors.push(fieldErrors.duplicate(`${path}[${ci}].ports[${pi}].hostPort`, key));
      else seen.add(key);
    });
  });
  return errors;
}

/** The lifecycle hooks and the three probes, as regular and restartable init containers have them. */
function validateHooksAndProbes(container: JsonObject, context: ContainerContext, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const lifecycle = objectAt(container, 'lifecycle');
  if (lifecycle !== undefined) {
    for (const key of ['postStart', 'preStop']) {
      const hook = objectAt(lifecycle, key);
      if (hook !== undefined) errors.push(...validateHandler(hook, ['exec', 'httpGet', 'tcpSocket', 'sleep'], context, `${path}.lifecycle.${key}`));
    }
  }
  for (const key of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const probe = objectAt(container, key);
    if (probe === undefined) continue;
    const at = `${path}.${key}`;
    errors.push(...validateProbe(probe, context, at));
    if (key !== 'readinessProbe' && probe.successThreshold !== 1) {
      errors.push(fieldErrors.invalid(`${at}.successThreshold`, numberAt(probe, 'successThreshold') ?? 0, 'must be 1'));
    }
    if (key === 'readinessProbe' && present(probe, 'terminationGracePeriodSeconds')) {
      errors.push(fieldErrors.invalid(`${at}.terminationGracePeriodSeconds`, probe.terminationGracePeriodSeconds ?? null, 'must not be set for readinessProbes'));
    }
  }
  return errors;
}

/** validateProbe: one handler, non-negative timings, a positive grace period if any. */
function validateProbe(probe: JsonObject, context: ContainerContext, path: string): FieldError[] {
  const errors = validateHandler(probe, ['exec', 'httpGet', 'tcpSocket', 'grpc'], context, path);
  for (const key of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    const value = numberAt(probe, key) ?? 0;
    if (value < 0) errors.push(fieldErrors.invalid(`${path}.${key}`, value, IS_NEGATIVE_ERROR_MSG));
  }
  const grace = numberAt(probe, 'terminationGracePeriodSeconds');
  if (grace !== undefined && grace <= 0) errors.push(fieldErrors.invalid(`${path}.terminationGracePeriodSeconds`, grace, 'must be greater than 0'));
  return errors;
}

/** The handler types of probes and lifecycle hooks (commonHandler). */
type HandlerKind = 'exec' | 'httpGet' | 'tcpSocket' | 'grpc' | 'sleep';

/** validateHandler: exactly one of the handler types in `kinds`, each valid. */
function validateHandler(handler: JsonObject, kinds: readonly HandlerKind[], context: ContainerContext, path: string): FieldError[] {
  const errors: FieldError[] = [];
  let count = 0;
  for (const kind of kinds) {
    const action = objectAt(handler, kind);
    if (action === undefined) continue;
    const at = `${path}.${kind}`;
    if (count > 0) {
      errors.push(fieldErrors.forbidden(at, 'may not specify more than 1 handler type'));
      continue;
    }
    count++;
    errors.push(...validateAction(kind, action, context, at));
  }
  if (count === 0) errors.push(fieldErrors.required(path, 'must specify a handler type'));
  return errors;
}

function validateAction(kind: HandlerKind, action: JsonObject, context: ContainerContext, path: string): FieldError[] {
  switch (kind) {
    case 'exec':
      return stringsAt(action, 'command').length === 0 ? [fieldErrors.required(`${path}.command`, '')] : [];
    case 'httpGet': {
      const errors: FieldError[] = [];
      if (stringAt(action, 'path') === '') errors.push(fieldErrors.required(`${path}.path`, ''));
      errors.push(...validatePortNumOrName(action.port, `${path}.port`));
      const scheme = stringAt(action, 'scheme');
      if (scheme !== 'HTTP' && scheme !== 'HTTPS') errors.push(fieldErrors.notSupported(`${path}.scheme`, scheme, ['HTTP', 'HTTPS']));
      for (const header of objectsAt(action, 'httpHeaders')) {
        const name = stringAt(header, 'name');
        if (!/^[-A-Za-z0-9]+$/.test(name)) {
          errors.push(fieldErrors.invalid(`${path}.httpHeaders`, name, "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')"));
        }
      }
      return errors;
    }
    case 'tcpSocket':
      return validatePortNumOrName(action.port, `${path}.port`);
    case 'grpc':
      return validatePortNumOrName(numberAt(action, 'port') ?? 0, `${path}.port`);
    case 'sleep': {
      const seconds = numberAt(action, 'seconds') ?? 0;
      const grace = context.gracePeriod;
      // A missing grace period is reported elsewhere; zero is allowed (PodLifecycleSleepActionAllowZero).
      if (grace !== undefined && (seconds < 0 || seconds > grace)) {
        return [fieldErrors.invalid(path, seconds, `must be non-negative and less than terminationGracePeriodSeconds (${grace})`)];
      }
      return [];
    }
    default: {
      const never: never = kind;
      throw new Error(`unknown handler type ${String(never)}`);
    }
  }
}

/** ValidateVolumeMounts, including upstream's paths for subPath and propagation (the list's, not the item's). */
function validateVolumeMounts(
  mounts: readonly JsonObject[],
  devices: readonly JsonObject[],
  container: JsonObject,
  volumes: ReadonlyMap<string, JsonObject>,
  path: string,
): FieldError[] {
  const errors: FieldError[] = [];
  const mountPaths = new Set<string>();
  const deviceNames = new Set(devices.map((device) => stringAt(device, 'name')));
  const devicePaths = new Set(devices.map((device) => stringAt(device, 'devicePath')));
  mounts.forEach((mount, index) => {
    const at = `${path}[${index}]`;
    const name = stringAt(mount, 'name');
    const mountPath = stringAt(mount, 'mountPath');
    if (name === '') errors.push(fieldErrors.required(`${at}.name`, ''));
    if (!volumes.has(name)) errors.push(fieldErrors.notFound(`${at}.name`, name));
    if (mountPath === '') errors.push(fieldErrors.required(`${at}.mountPath`, ''));
    if (mountPaths.has(mountPath)) errors.push(fieldErrors.invalid(`${at}.mountPath`, mountPath, 'must be unique'));
    mountPaths.add(mountPath);
    if (deviceNames.has(name)) errors.push(fieldErrors.invalid(`${at}.name`, name, 'must not already exist in volumeDevices'));
    if (devicePaths.has(mountPath)) errors.push(fieldErrors.invalid(`${at}.mountPath`, mountPath, 'must not already exist as a path in volumeDevices'));
    const subPath = stringAt(mount, 'subPath');
    const subPathExpr = stringAt(mount, 'subPathExpr');
    if (isJsonObject(volumes.get(name)?.image)) {
      if (subPath !== '') errors.push(fieldErrors.invalid(`${at}.subPath`, subPath, 'not allowed in image volume sources'));
      if (subPathExpr !== '') errors.push(fieldErrors.invalid(`${at}.subPathExpr`, subPathExpr, 'not allowed in image volume sources'));
    }
    if (subPath !== '') errors.push(...localDescendingPathErrors(subPath, `${path}.subPath`));
    if (subPathExpr !== '') {
      if (subPath !== '') errors.push(fieldErrors.invalid(`${at}.subPathExpr`, subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      errors.push(...localDescendingPathErrors(subPathExpr, `${path}.subPathExpr`));
    }
    errors.push(...validateMountOptions(mount, container, path));
  });
  return errors;
}

/** validateMountPropagation and validateMountRecursiveReadOnly. */
function validateMountOptions(mount: JsonObject, container: JsonObject, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (present(mount, 'mountPropagation')) {
    const propagation = stringAt(mount, 'mountPropagation');
    const supported = ['Bidirectional', 'HostToContainer', 'None'];
    if (!supported.includes(propagation)) errors.push(fieldErrors.notSupported(`${path}.mountPropagation`, propagation, supported));
    const privileged = objectAt(container, 'securityContext')?.privileged === true;
    if (propagation === 'Bidirectional' && !privileged) {
      errors.push(fieldErrors.forbidden(`${path}.mountPropagation`, 'Bidirectional mount propagation is available only to privileged containers'));
    }
  }
  if (present(mount, 'recursiveReadOnly')) {
    const mode = stringAt(mount, 'recursiveReadOnly');
    const at = `${path}.recursiveReadOnly`;
    if (mode === 'Enabled' || mode === 'IfPossible') {
      if (mount.readOnly !== true) errors.push(fieldErrors.forbidden(at, 'may only be specified when readOnly is true'));
      const propagation = stringAt(mount, 'mountPropagation');
      if (propagation !== '' && propagation !== 'None') errors.push(fieldErrors.forbidden(at, 'may only be specified when mountPropagation is None or not specified'));
    } else if (mode !== 'Disabled') {
      errors.push(fieldErrors.notSupported(at, mode, ['Disabled', 'Enabled', 'IfPossible']));
    }
  }
  return errors;
}

/** ValidateVolumeDevices: block devices come from claims, with unique names and paths. */
function validateVolumeDevices(
  devices: readonly JsonObject[],
  mounts: readonly JsonObject[],
  volumes: ReadonlyMap<string, JsonObject>,
  path: string,
): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  const paths = new Set<string>();
  const mountNames = new Set(mounts.map((mount) => stringAt(mount, 'name')));
  const mountPaths = new Set(mounts.map((mount) => stringAt(mount, 'mountPath')));
  devices.forEach((device, index) => {
    const at = `${path}[${index}]`;
    const name = stringAt(device, 'name');
    const devicePath = stringAt(device, 'devicePath');
    const volume = volumes.get(name);
    if (name === '') errors.push(fieldErrors.required(`${at}.name`, ''));
    if (names.has(name)) errors.push(fieldErrors.invalid(`${at}.name`, name, 'must be unique'));
    if (volume !== undefined && !isSet(volume.persistentVolumeClaim) && !isSet(volume.ephemeral)) {
      errors.push(fieldErrors.invalid(`${at}.name`, name, 'can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode'));
    }
    if (volume === undefined) errors.push(fieldErrors.notFound(`${at}.name`, name));
    if (devicePath === '') errors.push(fieldErrors.required(`${at}.devicePath`, ''));
    if (paths.has(devicePath)) errors.push(fieldErrors.invalid(`${at}.devicePath`, devicePath, 'must be unique'));
    if (devicePath !== '' && devicePath.split('/').includes('..')) {
      errors.push(fieldErrors.invalid(`${at}.devicePath`, devicePath, "can not contain backsteps ('..')"));
    } else paths.add(devicePath);
    if (mountNames.has(name)) errors.push(fieldErrors.invalid(`${at}.name`, name, 'must not already exist in volumeMounts'));
    if (mountPaths.has(devicePath)) errors.push(fieldErrors.invalid(`${at}.devicePath`, devicePath, 'must not already exist as a path in volumeMounts'));
    if (name !== '') names.add(name);
  });
  return errors;
}

/** Whether a field holds a non-zero value, as Go's reflect.DeepEqual with the zero value decides. */
export function isSet(value: JsonValue | undefined): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.values(value).some(isSet);
  return true;
}
