/**
 * @module
 * Schemas of the core/v1 PersistentVolume kind: a piece of storage an administrator (or a
 * provisioner) makes available to the cluster, its spec with every volume source a PV may hold, its
 * status, its node affinity, and the topology selector terms StorageClasses restrict provisioning
 * with (k8s.io/api core/v1/types.go; proto field numbers from its generated.proto).
 *
 * Go embeds PersistentVolumeSource in PersistentVolumeSpec with `json:",inline"`, so JSON shows the
 * sources beside capacity and accessModes while protobuf keeps them in a sub-message at field 2
 * (`inlinedProto`). A PV reuses the pod volume sources where the Go type is the same (defined in
 * core-v1-volume.ts); the `…PersistentVolumeSource` types defined here differ from their pod
 * counterparts mostly in naming Secrets with a namespace (SecretReference), since a PV belongs to no
 * namespace. Defaults follow upstream's OpenAPI: `+default=` markers, "" or 0 for required scalars.
 */
import { type Definition, kindListDefinition, s, typeMeta } from '../schema.js';
import { ACCESS_MODES, FS_TYPE_EXT4, READ_ONLY, cinderSource, iscsiSource } from './core-v1-volume.js';

const CORE = 'io.k8s.api.core.v1';

/** A reference to another core/v1 definition. */
const core = (name: string): string => `${CORE}.${name}`;

const list = (kind: string, description: string): Definition => kindListDefinition(CORE, { group: '', version: 'v1' }, kind, description);

/** The PersistentVolumeReclaimPolicy enum, shared with StorageClass's reclaimPolicy. */
export const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];

const MONITORS = s.array('Addresses of the Ceph monitors.', s.string('', { default: '' }), { listType: 'atomic', proto: 1 });

/** The sources of PersistentVolumeSource, in Go field order; protobuf carries them at field 2. */
const PERSISTENT_VOLUME_SOURCES = [
  'gcePersistentDisk', 'awsElasticBlockStore', 'hostPath', 'glusterfs', 'nfs', 'rbd', 'iscsi', 'cinder',
  'cephfs', 'fc', 'flocker', 'flexVolume', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk',
  'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'local', 'storageos', 'csi',
];

const PERSISTENT_VOLUME: readonly Definition[] = [
  {
    name: core('PersistentVolume'),
    schema: s.object('A piece of storage in the cluster, provisioned by an administrator or dynamically through a StorageClass, that a claim can bind. Not namespaced.', {
      ...typeMeta(),
      metadata: s.objectMeta(undefined, { proto: 1 }),
      spec: s.ref(core('PersistentVolumeSpec'), 'The storage the volume offers and how it may be used.', { default: {}, proto: 2 }),
      status: s.ref(core('PersistentVolumeStatus'), 'The current state of the volume, set by the system. Read-only.', { default: {}, proto: 3 }),
    }),
    gvk: [{ group: '', version: 'v1', kind: 'PersistentVolume' }],
  },
  list('PersistentVolume', 'A list of PersistentVolumes.'),
  {
    name: core('PersistentVolumeSpec'),
    schema: s.object(
      'What a persistent volume is: its capacity, its access modes, its binding and exactly one volume source.',
      {
        capacity: s.map('Resources of the volume, by resource name; storage is its size.', s.quantity(''), { proto: 1 }),
        gcePersistentDisk: s.ref(
          core('GCEPersistentDiskVolumeSource'),
          'A GCE persistent disk. Deprecated: handled by the pd.csi.storage.gke.io CSI driver.',
          { proto: 1 },
        ),
        awsElasticBlockStore: s.ref(
          core('AWSElasticBlockStoreVolumeSource'),
          'An AWS EBS disk. Deprecated: handled by the ebs.csi.aws.com CSI driver.',
          { proto: 2 },
        ),
        hostPath: s.ref(
          core('HostPathVolumeSource'),
          'A directory on one node. Only for single-node development and testing: it does not work across nodes.',
          { proto: 3 },
        ),
        glusterfs: s.ref(
          core('GlusterfsPersistentVolumeSource'),
          'A Glusterfs mount. Deprecated: the in-tree plugin is no longer supported.',
          { proto: 4 },
        ),
        nfs: s.ref(core('NFSVolumeSource'), 'An NFS export mounted on the node.', { proto: 5 }),
        rbd: s.ref(core('RBDPersistentVolumeSource'), 'A Ceph RADOS block device. Deprecated: the in-tree plugin is no longer supported.', { proto: 6 }),
        iscsi: s.ref(core('ISCSIPersistentVolumeSource'), 'An iSCSI disk attached to the node.', { proto: 7 }),
        cinder: s.ref(
          core('CinderPersistentVolumeSource'),
          'An OpenStack Cinder volume. Deprecated: handled by the cinder.csi.openstack.org CSI driver.',
          { proto: 8 },
        ),
        cephfs: s.ref(core('CephFSPersistentVolumeSource'), 'A CephFS mount. Deprecated: the in-tree plugin is no longer supported.', { proto: 9 }),
        fc: s.ref(core('FCVolumeSource'), 'A Fibre Channel disk attached to the node.', { proto: 10 }),
        flocker: s.ref(
          core('FlockerVolumeSource'),
          'A Flocker dataset, which needs the Flocker control service. Deprecated: the in-tree plugin is no longer supported.',
          { proto: 11 },
        ),
        flexVolume: s.ref(
          core('FlexPersistentVolumeSource'),
          'A volume provisioned and attached by an exec-based plugin. Deprecated: use a CSI driver.',
          { proto: 12 },
        ),
        azureFile: s.ref(
          core('AzureFilePersistentVolumeSource'),
          'An Azure File share. Deprecated: handled by the file.csi.azure.com CSI driver.',
          { proto: 13 },
        ),
        vsphereVolume: s.ref(
          core('VsphereVirtualDiskVolumeSource'),
          'A vSphere virtual disk. Deprecated: handled by the csi.vsphere.vmware.com CSI driver.',
          { proto: 14 },
        ),
        quobyte: s.ref(core('QuobyteVolumeSource'), 'A Quobyte mount. Deprecated: the in-tree plugin is no longer supported.', { proto: 15 }),
        azureDisk: s.ref(
          core('AzureDiskVolumeSource'),
          'An Azure data disk. Deprecated: handled by the disk.csi.azure.com CSI driver.',
          { proto: 16 },
        ),
        photonPersistentDisk: s.ref(
          core('PhotonPersistentDiskVolumeSource'),
          'A Photon Controller persistent disk. Deprecated: the in-tree plugin is no longer supported.',
          { proto: 17 },
        ),
        portworxVolume: s.ref(
          core('PortworxVolumeSource'),
          'A Portworx volume. Deprecated: handled by the pxd.portworx.com CSI driver.',
          { proto: 18 },
        ),
        scaleIO: s.ref(core('ScaleIOPersistentVolumeSource'), 'A ScaleIO volume. Deprecated: the in-tree plugin is no longer supported.', { proto: 19 }),
        local: s.ref(core('LocalVolumeSource'), 'Storage attached directly to one node; nodeAffinity says which.', { proto: 20 }),
        storageos: s.ref(
          core('StorageOSPersistentVolumeSource'),
          'A StorageOS volume. Deprecated: the in-tree plugin is no longer supported.',
          { proto: 21 },
        ),
        csi: s.ref(core('CSIPersistentVolumeSource'), 'A volume managed by an external CSI driver.', { proto: 22 }),
        accessModes: s.array(
          'Every way the volume can be mounted: ReadWriteOnce (read/write by one node), ReadOnlyMany (read-only by many nodes), ReadWriteMany (read/write by many nodes) or ReadWriteOncePod (read/write by one pod, alone).',
          s.enum('', ACCESS_MODES, { default: '' }),
          { listType: 'atomic', proto: 3 },
        ),
        claimRef: s.ref(
          core('ObjectReference'),
          "The claim this volume is bound to, the volume's half of a two-way binding; set when bound. The claim's spec.volumeName is what decides the binding.",
          { proto: 4 },
        ),
        persistentVolumeReclaimPolicy: s.enum(
          'What happens to the volume once its claim is released: Retain (the default for volumes created by hand), Delete (the default for dynamically provisioned volumes) or Recycle (deprecated; the volume plugin must support it).',
          RECLAIM_POLICIES,
          { proto: 5, omitEmpty: true },
        ),
        storageClassName: s.string('The StorageClass the volume belongs to; empty when it belongs to none.', { proto: 6, omitEmpty: true }),
        mountOptions: s.array(
          'Mount options, e.g. ["ro", "soft"]. Not validated: a wrong option makes the mount fail.',
          s.string('', { default: '' }),
          { listType: 'atomic', proto: 7 },
        ),
        volumeMode: s.enum('Whether the volume holds a filesystem (Filesystem, the default) or stays a raw block device (Block).', ['Block', 'Filesystem'], {
          proto: 8,
        }),
        nodeAffinity: s.ref(
          core('VolumeNodeAffinity'),
          'The nodes the volume can be reached from; pods using the volume are scheduled onto them. Mutable only with the MutablePVNodeAffinity feature gate.',
          { proto: 9 },
        ),
        volumeAttributesClassName: s.string(
          'The VolumeAttributesClass the volume belongs to; unset means none, and empty is not allowed. The CSI driver may change it once the volume has been updated to a new class; an unbound volume is matched to claims by it.',
          { proto: 10 },
        ),
      },
      { inlinedProto: { field: 2, properties: PERSISTENT_VOLUME_SOURCES } },
    ),
  },
  {
    name: core('VolumeNodeAffinity'),
    schema: s.object('Which nodes a volume can be reached from.', {
      required: s.ref(core('NodeSelector'), 'Node constraints that must hold.', { proto: 1 }),
    }),
  },
  {
    name: core('PersistentVolumeStatus'),
    schema: s.object('The observed state of a persistent volume.', {
      phase: s.enum(
        'Phase of the volume: Pending (not yet available), Available (free for a claim), Bound, Released (its claim was deleted, the volume not yet reclaimed) or Failed (automatic reclamation failed).',
        ['Available', 'Bound', 'Failed', 'Pending', 'Released'],
        { proto: 1, omitEmpty: true },
      ),
      message: s.string('A human-readable message saying why the volume is in this state.', { proto: 2, omitEmpty: true }),
      reason: s.string('A short CamelCase reason for a failure, for machines and for tidy display.', { proto: 3, omitEmpty: true }),
      lastPhaseTransitionTime: s.time('When the phase last changed; reset to the current time at every transition.', { proto: 4 }),
    }),
  },
];

const PERSISTENT_VOLUME_SOURCE_TYPES: readonly Definition[] = [
  {
    name: core('GlusterfsPersistentVolumeSource'),
    schema: s.object(
      'A Glusterfs mount. No ownership management or SELinux relabeling.',
      {
        endpoints: s.string('Name of the Endpoints object describing the Glusterfs cluster topology.', { default: '', proto: 1 }),
        path: s.string('Path of the Glusterfs volume.', { default: '', proto: 2 }),
        readOnly: s.boolean('When true, the volume is mounted read-only. Defaults to false.', { proto: 3, omitEmpty: true }),
        endpointsNamespace: s.string("Namespace of the Endpoints object; when empty, the bound claim's namespace.", { proto: 4 }),
      },
      { required: ['endpoints', 'path'] },
    ),
  },
  {
    name: core('RBDPersistentVolumeSource'),
    schema: s.object(
      'A Ceph RADOS block device. Supports ownership management and SELinux relabeling.',
      {
        monitors: MONITORS,
        image: s.string('Name of the RADOS image.', { default: '', proto: 2 }),
        fsType: s.string(FS_TYPE_EXT4, { proto: 3, omitEmpty: true }),
        pool: s.string('Name of the RADOS pool. Defaults to rbd.', { default: 'rbd', proto: 4, omitEmpty: true }),
        user: s.string('RADOS user name. Defaults to admin.', { default: 'admin', proto: 5, omitEmpty: true }),
        keyring: s.string('Path of the keyring for the user. Defaults to /etc/ceph/keyring.', { default: '/etc/ceph/keyring', proto: 6, omitEmpty: true }),
        secretRef: s.ref(core('SecretReference'), 'The Secret with the authentication key for the user; when set, it overrides keyring.', { proto: 7 }),
        readOnly: s.boolean(READ_ONLY, { proto: 8, omitEmpty: true }),
      },
      { required: ['monitors', 'image'] },
    ),
  },
  iscsiSource('ISCSIPersistentVolumeSource', 'SecretReference'),
  cinderSource('CinderPersistentVolumeSource', 'SecretReference'),
  {
    name: core('CephFSPersistentVolumeSource'),
    schema: s.object(
      'A CephFS mount. No ownership management or SELinux relabeling.',
      {
        monitors: MONITORS,
        path: s.string('Path within the Ceph filesystem to use as the root of the mount. Defaults to /.', { proto: 2, omitEmpty: true }),
        user: s.string('RADOS user name. Defaults to admin.', { proto: 3, omitEmpty: true }),
        secretFile: s.string('Path of the key ring for the user. Defaults to /etc/ceph/user.secret.', { proto: 4, omitEmpty: true }),
        secretRef: s.ref(core('SecretReference'), 'The Secret with the authentication key for the user. Unset by default.', { proto: 5 }),
        readOnly: s.boolean(READ_ONLY, { proto: 6, omitEmpty: true }),
      },
      { required: ['monitors'] },
    ),
  },
  {
    name: core('FlexPersistentVolumeSource'),
    schema: s.object(
      'A persistent volume provisioned and attached by an exec-based plugin (driver script on the node).',
      {
        driver: s.string('Name of the driver handling this volume.', { default: '', proto: 1 }),
        fsType: s.string('Filesystem type to mount (for example ext4, xfs or ntfs). The default depends on the driver script.', { proto: 2, omitEmpty: true }),
        secretRef: s.ref(
          core('SecretReference'),
          'A Secret whose entries are all passed to the plugin scripts, for sensitive settings. May be empty when the driver needs none.',
          { proto: 3 },
        ),
        readOnly: s.boolean(READ_ONLY, { proto: 4, omitEmpty: true }),
        options: s.stringMap('Extra options passed to the driver.', { proto: 5 }),
      },
      { required: ['driver'] },
    ),
  },
  {
    name: core('AzureFilePersistentVolumeSource'),
    schema: s.object(
      'An Azure File Service share mounted on the node and bind-mounted into the pod.',
      {
        secretName: s.string('Name of the Secret holding the Azure storage account name and key.', { default: '', proto: 1 }),
        shareName: s.string('Name of the Azure file share.', { default: '', proto: 2 }),
        readOnly: s.boolean(READ_ONLY, { proto: 3, omitEmpty: true }),
        secretNamespace: s.string("Namespace of the Secret; defaults to the pod's namespace.", { proto: 4 }),
      },
      { required: ['secretName', 'shareName'] },
    ),
  },
  {
    name: core('ScaleIOPersistentVolumeSource'),
    schema: s.object(
      'A ScaleIO persistent volume.',
      {
        gateway: s.string('Host address of the ScaleIO API gateway.', { default: '', proto: 1 }),
        system: s.string('Name of the storage system as configured in ScaleIO.', { default: '', proto: 2 }),
        secretRef: s.ref(
          core('SecretReference'),
          'The Secret with the ScaleIO user credentials and other sensitive settings; without it, login fails.',
          { proto: 3 },
        ),
        sslEnabled: s.boolean('Whether to talk to the gateway over SSL. Defaults to false.', { proto: 4, omitEmpty: true }),
        protectionDomain: s.string('Name of the ScaleIO protection domain of the storage.', { proto: 5, omitEmpty: true }),
        storagePool: s.string('Name of the ScaleIO storage pool in the protection domain.', { proto: 6, omitEmpty: true }),
        storageMode: s.string('How storage is provisioned: ThickProvisioned or ThinProvisioned. Defaults to ThinProvisioned.', {
          default: 'ThinProvisioned',
          proto: 7,
          omitEmpty: true,
        }),
        volumeName: s.string('Name of an existing volume in the ScaleIO system for this source.', { proto: 8, omitEmpty: true }),
        fsType: s.string('Filesystem type to mount, one the host operating system supports (for example ext4, xfs or ntfs). Defaults to xfs.', {
          default: 'xfs',
          proto: 9,
          omitEmpty: true,
        }),
        readOnly: s.boolean(READ_ONLY, { proto: 10, omitEmpty: true }),
      },
      { required: ['gateway', 'system', 'secretRef'] },
    ),
  },
  {
    name: core('LocalVolumeSource'),
    schema: s.object(
      'Storage attached directly to a node: a directory or a block device (disk, partition, …).',
      {
        path: s.string('Full path of the volume on the node.', { default: '', proto: 1 }),
        fsType: s.string(
          'Filesystem type to mount, one the host operating system supports (for example ext4, xfs or ntfs); only for a block device. When unset, a filesystem is chosen automatically.',
          { proto: 2 },
        ),
      },
      { required: ['path'] },
    ),
  },
  {
    name: core('StorageOSPersistentVolumeSource'),
    schema: s.object('A StorageOS persistent volume.', {
      volumeName: s.string('Name of the StorageOS volume, unique within its StorageOS namespace.', { proto: 1, omitEmpty: true }),
      volumeNamespace: s.string(
        "StorageOS namespace of the volume. Defaults to the pod's namespace; \"default\" suits clusters not using StorageOS namespaces. Missing namespaces are created.",
        { proto: 2, omitEmpty: true },
      ),
      fsType: s.string(FS_TYPE_EXT4, { proto: 3, omitEmpty: true }),
      readOnly: s.boolean(READ_ONLY, { proto: 4, omitEmpty: true }),
      secretRef: s.ref(core('ObjectReference'), 'The Secret holding StorageOS API credentials; defaults are tried when unset.', { proto: 5 }),
    }),
  },
  {
    name: core('CSIPersistentVolumeSource'),
    schema: s.object(
      'A persistent volume managed by an external CSI driver.',
      {
        driver: s.string('Name of the CSI driver handling this volume, as registered in the cluster.', { default: '', proto: 1 }),
        volumeHandle: s.string("The volume's unique name, as the driver's CreateVolume returned it and every later call uses it.", {
          default: '',
          proto: 2,
        }),
        readOnly: s.boolean('The readOnly value passed in ControllerPublishVolume. Defaults to false (read/write).', { proto: 3, omitEmpty: true }),
        fsType: s.string('Filesystem type to mount, one the host operating system supports (for example ext4, xfs or ntfs).', { proto: 4, omitEmpty: true }),
        volumeAttributes: s.stringMap('Attributes of the volume passed to the driver when it is published.', { proto: 5 }),
        controllerPublishSecretRef: s.ref(
          core('SecretReference'),
          'A Secret whose entries are all passed to the driver for ControllerPublishVolume and ControllerUnpublishVolume. May be empty when none is needed.',
          { proto: 6 },
        ),
        nodeStageSecretRef: s.ref(
          core('SecretReference'),
          'A Secret whose entries are all passed to the driver for NodeStageVolume and NodeUnstageVolume. May be empty when none is needed.',
          { proto: 7 },
        ),
        nodePublishSecretRef: s.ref(
          core('SecretReference'),
          'A Secret whose entries are all passed to the driver for NodePublishVolume and NodeUnpublishVolume. May be empty when none is needed.',
          { proto: 8 },
        ),
        controllerExpandSecretRef: s.ref(
          core('SecretReference'),
          'A Secret whose entries are all passed to the driver for ControllerExpandVolume. May be empty when none is needed.',
          { proto: 9 },
        ),
        nodeExpandSecretRef: s.ref(
          core('SecretReference'),
          'A Secret whose entries are all passed to the driver for NodeExpandVolume. May be left out when none is needed.',
          { proto: 10 },
        ),
      },
      { required: ['driver', 'volumeHandle'] },
    ),
  },
];

const TOPOLOGY_SELECTOR: readonly Definition[] = [
  {
    name: core('TopologySelectorTerm'),
    schema: s.object(
      'Label requirements on a topology, ANDed; a smaller sibling of NodeSelectorTerm. A null or empty term matches nothing.',
      {
        matchLabelExpressions: s.array(
          'The requirements, by label.',
          s.ref(core('TopologySelectorLabelRequirement'), undefined, { default: {} }),
          { listType: 'atomic', proto: 1 },
        ),
      },
      { mapType: 'atomic' },
    ),
  },
  {
    name: core('TopologySelectorLabelRequirement'),
    schema: s.object(
      'A requirement that a label have one of some values.',
      {
        key: s.string('The label key the requirement applies to.', { default: '', proto: 1 }),
        values: s.array('The values, ORed: the label must have one of them.', s.string('', { default: '' }), { listType: 'atomic', proto: 2 }),
      },
      { required: ['key', 'values'] },
    ),
  },
];

export const CORE_V1_PERSISTENT_VOLUME: readonly Definition[] = [...PERSISTENT_VOLUME, ...PERSISTENT_VOLUME_SOURCE_TYPES, ...TOPOLOGY_SELECTOR];
