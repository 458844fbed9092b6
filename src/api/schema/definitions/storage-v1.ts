/**
 * @module
 * Schemas of storage.k8s.io/v1 StorageClass: a class of storage, naming the provisioner that makes
 * PersistentVolumes of it on demand and the settings those volumes get (k8s.io/api storage/v1
 * types.go; proto field numbers from its generated.proto). A StorageClass has no spec: its fields
 * sit beside metadata, and most of them cannot change once it exists.
 */
import { type Definition, kindListDefinition, s, typeMeta } from '../schema.js';
import { RECLAIM_POLICIES } from './core-v1-persistent-volume.js';

const STORAGE = 'io.k8s.api.storage.v1';
const CORE = 'io.k8s.api.core.v1';
const GROUP = 'storage.k8s.io';

export const STORAGE_V1: readonly Definition[] = [
  {
    name: `${STORAGE}.StorageClass`,
    schema: s.object(
      'A class of storage: the provisioner that creates its PersistentVolumes dynamically and the settings they get. Claims choose a class by name in spec.storageClassName. Not namespaced.',
      {
        ...typeMeta(),
        metadata: s.objectMeta(undefined, { proto: 1 }),
        provisioner: s.string('The provisioner (usually a CSI driver name) that creates volumes of this class. Immutable.', { default: '', proto: 2 }),
        parameters: s.stringMap('Settings passed to the provisioner for the volumes it creates; their meaning is up to the provisioner. Immutable.', {
          proto: 3,
        }),
        reclaimPolicy: s.enum(
          'The reclaim policy of volumes provisioned for this class: Delete (the default) or Retain; validation refuses Recycle here. Immutable.',
          RECLAIM_POLICIES,
          { proto: 4 },
        ),
        mountOptions: s.array(
          'Mount options of volumes provisioned for this class, e.g. ["ro", "soft"]. Not validated: a wrong option makes the mount fail.',
          s.string('', { default: '' }),
          { listType: 'atomic', proto: 5 },
        ),
        allowVolumeExpansion: s.boolean('Whether claims of this class may ask for more storage after creation.', { proto: 6 }),
        volumeBindingMode: s.enum(
          'When claims are provisioned and bound: Immediate (the default, as soon as the claim is created) or WaitForFirstConsumer (once a pod using the claim is scheduled, so the volume can suit its node). Immutable.',
          ['Immediate', 'WaitForFirstConsumer'],
          { proto: 7 },
        ),
        allowedTopologies: s.array(
          'The topologies (such as zones) where volumes may be provisioned; each provisioner defines the keys it supports. Empty means no restriction.',
          s.ref(`${CORE}.TopologySelectorTerm`, undefined, { default: {} }),
          { listType: 'atomic', proto: 8 },
        ),
      },
      { required: ['provisioner'] },
    ),
    gvk: [{ group: GROUP, version: 'v1', kind: 'StorageClass' }],
  },
  kindListDefinition(STORAGE, { group: GROUP, version: 'v1' }, 'StorageClass', 'A list of StorageClasses.'),
];
