/**
 * @module
 * Validation of a pod's volumes: names (DNS labels, unique), exactly one source each, and the
 * required fields of each source, with the rules users meet most (secret and configMap items and
 * modes, hostPath types, downward-API files, projected sources, ephemeral claims). Follows
 * pkg/apis/core/validation/validation.go (ValidateVolumes, validateVolumeSource and the
 * validate*VolumeSource functions), keeping upstream's field paths even where they are odd
 * (`cephFS` and `downwarAPI` in the "more than 1 volume type" error, a downwardAPI file's errors
 * at the source's path). Rarely used in-tree sources are checked for their required fields only.
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, isJsonObject } from '../../api/json.js';
import { Quantity } from '../../api/quantity.js';
import { isDNS1123Label, nameIsDNSSubdomain } from '../../api/validation/names.js';
import { VOLUME_SOURCES, type VolumeSourceKey } from './pod-defaults.js';
import { numberAt, objectAt, objectsAt, present, stringAt, stringsAt } from './pod-json.js';
import { VOLUME_FIELD_PATHS, validateObjectFieldSelector, validateResourceFieldSelector } from './pod-validation-env.js';
import { fileModeErrors, inclusiveRangeError, localDescendingPathErrors, localNonReservedPathErrors, noBackstepErrors } from './pod-validation-paths.js';

export interface VolumeValidation {
  /** The volumes that passed, by name: what volume mounts may refer to. */
  readonly volumes: Map<string, JsonObject>;
  readonly errors: FieldError[];
}

/** The path segment the "more than 1 volume type" error uses, where it differs from the JSON key. */
const FORBIDDEN_SEGMENT: Readonly<Partial<Record<VolumeSourceKey, string>>> = { cephfs: 'cephFS', downwardAPI: 'downwarAPI' };
const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];

/** ValidateVolumes. `podName` (a real pod's) lets ephemeral volumes' claim names be checked. */
export function validateVolumes(volumes: readonly JsonObject[], podName: string, path: string): VolumeValidation {
  const valid = new Map<string, JsonObject>();
  const errors: FieldError[] = [];
  const createdClaims = new Set<string>();
  if (podName !== '') {
    for (const volume of volumes) if (isJsonObject(volume.ephemeral)) createdClaims.add(`${podName}-${stringAt(volume, 'name')}`);
  }
  volumes.forEach((volume, index) => {
    const at = `${path}[${index}]`;
    const name = stringAt(volume, 'name');
    const own = validateVolumeSource(volume, at, name, podName);
    if (name === '') own.push(fieldErrors.required(`${at}.name`, ''));
    else own.push(...isDNS1123Label(name).map((msg) => fieldErrors.invalid(`${at}.name`, name, msg)));
    if (valid.has(name)) own.push(fieldErrors.duplicate(`${at}.name`, name));
    if (own.length === 0) valid.set(name, volume);
    else errors.push(...own);
    const claimName = stringAt(objectAt(volume, 'persistentVolumeClaim') ?? {}, 'claimName');
    if (claimName !== '' && createdClaims.has(claimName)) {
      errors.push(fieldErrors.invalid(`${at}.persistentVolumeClaim.claimName`, claimName, 'must not reference a PVC that gets created for an ephemeral volume'));
    }
  });
  return { volumes: valid, errors };
}

/** validateVolumeSource: exactly one source; the first one set is validated, later ones are refused. */
function validateVolumeSource(volume: JsonObject, path: string, name: string, podName: string): FieldError[] {
  const errors: FieldError[] = [];
  let count = 0;
  for (const key of VOLUME_SOURCES) {
    const source = objectAt(volume, key);
    if (source === undefined) continue;
    if (count > 0) {
      errors.push(fieldErrors.forbidden(`${path}.${FORBIDDEN_SEGMENT[key] ?? key}`, 'may not specify more than 1 volume type'));
      continue;
    }
    count++;
    errors.push(...validateSource(key, source, `${path}.${key}`, path, name, podName));
  }
  if (count === 0) errors.push(fieldErrors.required(path, 'must specify a volume type'));
  return errors;
}

/**
 * The checks of one source under `sourcesPath` (a PersistentVolume's spec holds its source as a
 * pod's volume does, and upstream validates the shared kinds alike).
 */
export function validateSourceFields(key: VolumeSourceKey, source: JsonObject, sourcesPath: string): FieldError[] {
  return validateSource(key, source, `${sourcesPath}.${key}`, sourcesPath, '', '');
}

function validateSource(key: VolumeSourceKey, source: JsonObject, path: string, volumePath: string, name: string, podName: string): FieldError[] {
  switch (key) {
    case 'emptyDir': {
      const limit = stringAt(source, 'sizeLimit');
      const parsed = limit === '' ? undefined : Quantity.safeParse(limit);
      return parsed?.ok === true && parsed.quantity.sign() < 0
        ? [fieldErrors.forbidden(`${path}.sizeLimit`, 'SizeLimit field must be a valid resource quantity')]
        : [];
    }
    case 'hostPath': {
      const hostPath = stringAt(source, 'path');
      if (hostPath === '') return [fieldErrors.required(`${path}.path`, '')];
      const errors = noBackstepErrors(hostPath, `${path}.path`);
      const type = stringAt(source, 'type');
      if (present(source, 'type') && !HOST_PATH_TYPES.includes(type)) errors.push(fieldErrors.notSupported(`${path}.type`, type, HOST_PATH_TYPES));
      return errors;
    }
    case 'gitRepo':
      return [...requiredStrings(source, path, ['repository']), ...localDescendingPathErrors(stringAt(source, 'directory'), `${path}.directory`)];
    case 'gcePersistentDisk':
      // Upstream validates this source under the path "persistentDisk".
      return [...requiredStrings(source, `${volumePath}.persistentDisk`, ['pdName']), ...partitionErrors(source, `${volumePath}.persistentDisk`)];
    case 'awsElasticBlockStore':
      return [...requiredStrings(source, path, ['volumeID']), ...partitionErrors(source, path)];
    case 'secret':
      return [...requiredStrings(source, path, ['secretName']), ...fileModeErrors(numberAt(source, 'defaultMode'), `${path}.defaultMode`), ...keyToPathErrors(source, path)];
    case 'configMap':
      return [...requiredStrings(source, path, ['name']), ...fileModeErrors(numberAt(source, 'defaultMode'), `${path}.defaultMode`), ...keyToPathErrors(source, path)];
    case 'nfs': {
      const errors = requiredStrings(source, path, ['server', 'path']);
      const nfsPath = stringAt(source, 'path');
      if (!nfsPath.startsWith('/')) errors.push(fieldErrors.invalid(`${path}.path`, nfsPath, 'must be an absolute path'));
      return errors;
    }
    case 'iscsi': {
      const errors = requiredStrings(source, path, ['targetPortal', 'iqn']);
      const lun = numberAt(source, 'lun') ?? 0;
      if (lun < 0 || lun > 255) errors.push(fieldErrors.invalid(`${path}.lun`, lun, inclusiveRangeError(0, 255)));
      return errors;
    }
    case 'glusterfs':
      return requiredStrings(source, path, ['endpoints', 'path']);
    case 'flocker': {
      const hasName = stringAt(source, 'datasetName') !== '';
      const hasUUID = stringAt(source, 'datasetUUID') !== '';
      if (!hasName && !hasUUID) return [fieldErrors.required(path, 'one of datasetName and datasetUUID is required')];
      return hasName && hasUUID ? [fieldErrors.invalid(path, 'resource', 'datasetName and datasetUUID can not be specified simultaneously')] : [];
    }
    case 'persistentVolumeClaim':
      return requiredStrings(source, path, ['claimName']);
    case 'rbd':
      return [...requiredList(source, path, 'monitors'), ...requiredStrings(source, path, ['image'])];
    case 'cinder':
    case 'portworxVolume':
      return requiredStrings(source, path, ['volumeID']);
    case 'cephfs':
      return requiredList(source, path, 'monitors');
    case 'quobyte':
      return requiredStrings(source, path, ['registry', 'volume']);
    case 'downwardAPI':
      return [...fileModeErrors(numberAt(source, 'defaultMode'), `${path}.defaultMode`), ...objectsAt(source, 'items').flatMap((item) => downwardAPIFileErrors(item, path))];
    case 'fc':
      return fcErrors(source, path);
    case 'flexVolume':
    case 'csi':
      return requiredStrings(source, path, ['driver']);
    case 'azureFile':
      return requiredStrings(source, path, ['secretName', 'shareName']);
    case 'vsphereVolume':
      return requiredStrings(source, path, ['volumePath']);
    case 'photonPersistentDisk':
      return requiredStrings(source, path, ['pdID']);
    case 'azureDisk':
      return requiredStrings(source, path, ['diskName', 'diskURI']);
    case 'storageos':
      return requiredStrings(source, path, ['volumeName']);
    case 'scaleIO':
      return requiredStrings(source, path, ['gateway', 'system', 'volumeName']);
    case 'projected':
      return [...fileModeErrors(numberAt(source, 'defaultMode'), `${path}.defaultMode`), ...projectionErrors(source, path)];
    case 'ephemeral':
      return ephemeralErrors(source, path, volumePath, name, podName);
    case 'image':
      return [
        ...(podName !== '' ? requiredStrings(source, path, ['reference']) : []),
        ...pullPolicyErrors(stringAt(source, 'pullPolicy'), `${path}.pullPolicy`),
      ];
    default: {
      const never: never = key;
      throw new Error(`unknown volume source ${String(never)}`);
    }
  }
}

function requiredStrings(source: JsonObject, path: string, keys: readonly string[]): FieldError[] {
  return keys.filter((key) => stringAt(source, key) === '').map((key) => fieldErrors.required(`${path}.${key}`, ''));
}

function requiredList(source: JsonObject, path: string, key: string): FieldError[] {
  return stringsAt(source, key).length === 0 ? [fieldErrors.required(`${path}.${key}`, '')] : [];
}

function partitionErrors(source: JsonObject, path: string): FieldError[] {
  const partition = numberAt(source, 'partition') ?? 0;
  return partition < 0 || partition > 255 ? [fieldErrors.invalid(`${path}.partition`, partition, inclusiveRangeError(1, 255))] : [];
}

function pullPolicyErrors(policy: string, path: string): FieldError[] {
  if (policy === '') return [fieldErrors.required(path, '')];
  const supported = ['Always', 'IfNotPresent', 'Never'];
  return supported.includes(policy) ? [] : [fieldErrors.notSupported(path, policy, supported)];
}

/** validateKeyToPath for each of a source's items. */
function keyToPathErrors(source: JsonObject, path: string): FieldError[] {
  return objectsAt(source, 'items').flatMap((item, index) => {
    const at = `${path}.items[${index}]`;
    const errors = requiredStrings(item, at, ['key', 'path']);
    errors.push(...localNonReservedPathErrors(stringAt(item, 'path'), `${at}.path`));
    errors.push(...fileModeErrors(numberAt(item, 'mode'), `${at}.mode`));
    return errors;
  });
}

/** validateDownwardAPIVolumeFile (upstream passes the source's path, not the item's). */
function downwardAPIFileErrors(file: JsonObject, path: string): FieldError[] {
  const errors = requiredStrings(file, path, ['path']);
  errors.push(...localNonReservedPathErrors(stringAt(file, 'path'), `${path}.path`));
  const fieldRef = objectAt(file, 'fieldRef');
  const resourceFieldRef = objectAt(file, 'resourceFieldRef');
  if (fieldRef !== undefined) {
    errors.push(...validateObjectFieldSelector(fieldRef, VOLUME_FIELD_PATHS, `${path}.fieldRef`));
    if (resourceFieldRef !== undefined) errors.push(fieldErrors.invalid(path, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
  } else if (resourceFieldRef !== undefined) {
    errors.push(...validateResourceFieldSelector(resourceFieldRef, true, `${path}.resourceFieldRef`));
  } else {
    errors.push(fieldErrors.required(path, 'one of fieldRef and resourceFieldRef is required'));
  }
  errors.push(...fileModeErrors(numberAt(file, 'mode'), `${path}.mode`));
  return errors;
}

/** validateFCVolumeSource. */
function fcErrors(source: JsonObject, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const targets = stringsAt(source, 'targetWWNs');
  const wwids = stringsAt(source, 'wwids');
  if (targets.length === 0 && wwids.length === 0) errors.push(fieldErrors.required(`${path}.targetWWNs`, 'must specify either targetWWNs or wwids, but not both'));
  if (targets.length > 0 && wwids.length > 0) errors.push(fieldErrors.invalid(`${path}.targetWWNs`, targets, 'targetWWNs and wwids can not be specified simultaneously'));
  if (targets.length > 0) {
    const lun = numberAt(source, 'lun');
    if (lun === undefined) errors.push(fieldErrors.required(`${path}.lun`, 'lun is required if targetWWNs is specified'));
    else if (lun < 0 || lun > 255) errors.push(fieldErrors.invalid(`${path}.lun`, lun, inclusiveRangeError(0, 255)));
  }
  return errors;
}

/** validateProjectionSources: one kind per source, and no two files at the same path. */
function projectionErrors(projected: JsonObject, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const paths = new Set<string>();
  const claimPath = (file: string, value: string): void => {
    if (file === '') return;
    if (paths.has(file)) errors.push(fieldErrors.invalid(path, value, 'conflicting duplicate paths'));
    paths.add(file);
  };
  objectsAt(projected, 'sources').forEach((source, index) => {
    const at = `${path}.sources[${index}]`;
    let kinds = 0;
    for (const key of ['secret', 'configMap']) {
      const ref = objectAt(source, key);
      if (ref === undefined) continue;
      kinds++;
      errors.push(...requiredStrings(ref, `${at}.${key}`, ['name']), ...keyToPathErrors(ref, `${at}.${key}`));
      for (const item of objectsAt(ref, 'items')) claimPath(stringAt(item, 'path'), stringAt(ref, 'name'));
    }
    const downwardAPI = objectAt(source, 'downwardAPI');
    if (downwardAPI !== undefined) {
      kinds++;
      for (const item of objectsAt(downwardAPI, 'items')) {
        errors.push(...downwardAPIFileErrors(item, `${at}.downwardAPI`));
        claimPath(stringAt(item, 'path'), stringAt(item, 'path'));
      }
    }
    const token = objectAt(source, 'serviceAccountToken');
    if (token !== undefined) {
      kinds++;
      const expiration = numberAt(token, 'expirationSeconds') ?? 0;
      const expirationPath = `${at}.serviceAccountToken.expirationSeconds`;
      if (expiration < 600) errors.push(fieldErrors.invalid(expirationPath, expiration, 'may not specify a duration less than 10 minutes'));
      if (expiration > 2 ** 32) errors.push(fieldErrors.invalid(expirationPath, expiration, 'may not specify a duration larger than 2^32 seconds'));
      const tokenPath = stringAt(token, 'path');
      if (tokenPath === '') errors.push(fieldErrors.required(`${path}.path`, ''));
      else errors.push(...localNonReservedPathErrors(tokenPath, `${path}.path`));
    }
    const bundle = objectAt(source, 'clusterTrustBundle');
    if (bundle !== undefined) {
      kinds++;
      const bundlePath = stringAt(bundle, 'path');
      if (bundlePath === '') errors.push(fieldErrors.required(`${at}.clusterTrustBundle.path`, ''));
      errors.push(...localNonReservedPathErrors(bundlePath, `${at}.clusterTrustBundle.path`));
      claimPath(bundlePath, bundlePath);
    }
    if (kinds > 1) errors.push(fieldErrors.forbidden(at, 'may not specify more than 1 volume type per source'));
  });
  return errors;
}

/** validateEphemeralVolumeSource, with the basic claim spec rules and the generated claim's name. */
function ephemeralErrors(source: JsonObject, path: string, volumePath: string, name: string, podName: string): FieldError[] {
  const template = objectAt(source, 'volumeClaimTemplate');
  if (template === undefined) return [fieldErrors.required(`${path}.volumeClaimTemplate`, '')];
  const errors: FieldError[] = [];
  const spec = objectAt(template, 'spec') ?? {};
  const specPath = `${path}.volumeClaimTemplate.spec`;
  if (stringsAt(spec, 'accessModes').length === 0) errors.push(fieldErrors.required(`${specPath}.accessModes`, 'at least 1 access mode is required'));
  const requests = objectAt(objectAt(spec, 'resources') ?? {}, 'requests') ?? {};
  if (!present(requests, 'storage')) errors.push(fieldErrors.required(`${specPath}.resources[storage]`, ''));
  if (podName !== '' && name !== '') {
    const claimName = `${podName}-${name}`;
    for (const msg of nameIsDNSSubdomain(claimName, false)) {
      errors.push(fieldErrors.invalid(`${volumePath}.name`, name, `PVC name ${JSON.stringify(claimName)}: ${msg}`));
    }
  }
  return errors;
}
