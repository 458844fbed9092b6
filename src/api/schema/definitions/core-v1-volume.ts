/**
 * @module
 * Schemas of core/v1 volumes and claims: the Volume a pod declares with every volume source it may
 * use (host path, emptyDir, secret, configMap, projected, CSI, ephemeral, image and the in-tree
 * cloud and network disks), the files those sources project (KeyToPath, downward API files,
 * service account tokens, trust bundles, pod certificates), the PersistentVolumeClaim kind with its
 * list, spec, status and template, and the object references they share (k8s.io/api core/v1/types.go).
 *
 * Defaults follow what upstream's OpenAPI publishes: `+default=` markers, "" or 0 for required
 * scalars, {} for embedded structs and list items. ObjectFieldSelector and ResourceFieldSelector
 * belong to the container definitions (core-v1-pod.ts).
 */
import { type Definition, kindListDefinition, s, typeMeta } from '../schema.js';

const CORE = 'io.k8s.api.core.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** A reference to another core/v1 definition. */
const core = (name: string): string => `${CORE}.${name}`;

export const READ_ONLY = 'When true, the volume is mounted read-only whatever the volume mounts say. Defaults to false.';
export const FS_TYPE_EXT4 =
  'Filesystem type to mount, one the host operating system supports (for example ext4, xfs or ntfs). Taken to be ext4 when empty.';
const PARTITION =
  'The partition of the disk to mount, e.g. 1 for /dev/sda1; 0 or empty mounts the whole device by volume name.';
const ITEMS_TO_PATHS =
  'Which keys to project and where. Without it, every key becomes a file named after the key; with it, only the listed keys appear, at the given relative paths. A listed key that is missing is an error unless the source is optional.';
const DEFAULT_MODE =
  'Permission bits for created files that set no mode of their own: 0000 to 0777 in octal, or 0 to 511 in decimal (JSON needs decimal). Directories are not affected; fsGroup and similar settings may add bits.';
const DEFAULT_USER =
  'Owner UID of created files that set no user of their own. Alpha: requires the AtomicWriteVolumeUserFields feature gate.';
const FILE_MODE =
  "Permission bits for this file: 0000 to 0777 in octal, or 0 to 511 in decimal (JSON needs decimal). Defaults to the volume's defaultMode; fsGroup and similar settings may add bits.";
const FILE_USER =
  "Owner UID of this file; takes precedence over the volume's defaultUser. Alpha: requires the AtomicWriteVolumeUserFields feature gate.";
const LOCAL_NAME = 'Name of the referent in the same namespace. Effectively required, though an empty name is accepted for compatibility.';

export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const KEY_TO_PATH_ITEMS = s.ref(core('KeyToPath'), undefined, { default: {} });

export const CORE_V1_VOLUME: readonly Definition[] = [
  {
    name: core('Volume'),
    schema: s.object(
      'A named volume in a pod that any of its containers may mount. Exactly one source may be set; with none, the volume is an emptyDir (a deprecated implicit behaviour).',
      {
        name: s.string('Name of the volume: a DNS label, unique within the pod. Volume mounts refer to it.', { default: '', proto: 1 }),
        hostPath: s.ref(
          core('HostPathVolumeSource'),
          'An existing file or directory on the node, exposed directly to the container. Meant for system agents and other privileged workloads.',
          { proto: 1 },
        ),
        emptyDir: s.ref(core('EmptyDirVolumeSource'), 'A temporary directory that lives as long as the pod.', { proto: 2 }),
        gcePersistentDisk: s.ref(
          core('GCEPersistentDiskVolumeSource'),
          'A GCE persistent disk attached to the node. Deprecated: handled by the pd.csi.storage.gke.io CSI driver.',
          { proto: 3 },
        ),
        awsElasticBlockStore: s.ref(
          core('AWSElasticBlockStoreVolumeSource'),
          'An AWS EBS disk attached to the node. Deprecated: handled by the ebs.csi.aws.com CSI driver.',
          { proto: 4 },
        ),
        gitRepo: s.ref(
          core('GitRepoVolumeSource'),
          'A git repository checked out at a revision. Deprecated: clone into an emptyDir from an init container instead.',
          { proto: 5 },
        ),
        secret: s.ref(core('SecretVolumeSource'), "Files from a Secret in the pod's namespace.", { proto: 6 }),
        nfs: s.ref(core('NFSVolumeSource'), 'An NFS export mounted on the node.', { proto: 7 }),
        iscsi: s.ref(core('ISCSIVolumeSource'), 'An iSCSI disk attached to the node.', { proto: 8 }),
        glusterfs: s.ref(core('GlusterfsVolumeSource'), 'A Glusterfs mount. Deprecated: the in-tree plugin is no longer supported.', { proto: 9 }),
        persistentVolumeClaim: s.ref(
          core('PersistentVolumeClaimVolumeSource'),
          "The volume bound to a PersistentVolumeClaim in the pod's namespace.",
          { proto: 10 },
        ),
        rbd: s.ref(core('RBDVolumeSource'), 'A Ceph RADOS block device. Deprecated: the in-tree plugin is no longer supported.', { proto: 11 }),
        flexVolume: s.ref(
          core('FlexVolumeSource'),
          'A volume provisioned and attached by an exec-based plugin. Deprecated: use a CSI driver.',
          { proto: 12 },
        ),
        cinder: s.ref(
          core('CinderVolumeSource'),
          'An OpenStack Cinder volume attached to the node. Deprecated: handled by the cinder.csi.openstack.org CSI driver.',
          { proto: 13 },
        ),
        cephfs: s.ref(core('CephFSVolumeSource'), 'A CephFS mount. Deprecated: the in-tree plugin is no longer supported.', { proto: 14 }),
        flocker: s.ref(
          core('FlockerVolumeSource'),
          'A Flocker dataset, which needs the Flocker control service. Deprecated: the in-tree plugin is no longer supported.',
          { proto: 15 },
        ),
        downwardAPI: s.ref(core('DownwardAPIVolumeSource'), 'Files holding information about the pod itself.', { proto: 16 }),
        fc: s.ref(core('FCVolumeSource'), 'A Fibre Channel disk attached to the node.', { proto: 17 }),
        azureFile: s.ref(
          core('AzureFileVolumeSource'),
          'An Azure File share. Deprecated: handled by the file.csi.azure.com CSI driver.',
          { proto: 18 },
        ),
        configMap: s.ref(core('ConfigMapVolumeSource'), "Files from a ConfigMap in the pod's namespace.", { proto: 19 }),
        vsphereVolume: s.ref(
          core('VsphereVirtualDiskVolumeSource'),
          'A vSphere virtual disk attached to the node. Deprecated: handled by the csi.vsphere.vmware.com CSI driver.',
          { proto: 20 },
        ),
        quobyte: s.ref(core('QuobyteVolumeSource'), 'A Quobyte mount. Deprecated: the in-tree plugin is no longer supported.', { proto: 21 }),
        azureDisk: s.ref(
          core('AzureDiskVolumeSource'),
          'An Azure data disk attached to the node. Deprecated: handled by the disk.csi.azure.com CSI driver.',
          { proto: 22 },
        ),
        photonPersistentDisk: s.ref(
          core('PhotonPersistentDiskVolumeSource'),
          'A Photon Controller persistent disk. Deprecated: the in-tree plugin is no longer supported.',
          { proto: 23 },
        ),
        projected: s.ref(
          core('ProjectedVolumeSource'),
          'Several sources (secrets, config maps, downward API, tokens, …) projected into one directory.',
          { proto: 26 },
        ),
        portworxVolume: s.ref(
          core('PortworxVolumeSource'),
          'A Portworx volume. Deprecated: handled by the pxd.portworx.com CSI driver.',
          { proto: 24 },
        ),
        scaleIO: s.ref(core('ScaleIOVolumeSource'), 'A ScaleIO volume. Deprecated: the in-tree plugin is no longer supported.', { proto: 25 }),
        storageos: s.ref(core('StorageOSVolumeSource'), 'A StorageOS volume. Deprecated: the in-tree plugin is no longer supported.', { proto: 27 }),
        csi: s.ref(core('CSIVolumeSource'), 'An ephemeral volume provided by a CSI driver that supports inline volumes.', { proto: 28 }),
        ephemeral: s.ref(
          core('EphemeralVolumeSource'),
          'A volume from a storage driver, provisioned through a PersistentVolumeClaim that is created with the pod and deleted with it.',
          { proto: 29 },
        ),
        image: s.ref(
          core('ImageVolumeSource'),
          "An OCI image or artifact pulled by the kubelet and mounted read-only. It is resolved when the pod starts, following the pull policy, and a pull failure keeps the pod's containers from starting.",
          { proto: 30 },
        ),
      },
      {
        required: ['name'],
        inlinedProto: {
          field: 2,
          properties: [
            'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs',
            'iscsi', 'glusterfs', 'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker',
            'downwardAPI', 'fc', 'azureFile', 'configMap', 'vsphereVolume', 'quobyte', 'azureDisk',
            'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos', 'csi', 'ephemeral',
            'image',
          ],
        },
      },
    ),
  },
  {
    name: core('HostPathVolumeSource'),
    schema: s.object(
      'A file or directory on the node mapped into the pod. No ownership management or SELinux relabeling.',
      {
        path: s.string('Path on the node. A symlink is followed to its target.', { default: '', proto: 1 }),
        type: s.enum(
          'What must exist at the path: "" (no check, the default), DirectoryOrCreate (created as 0755 if missing), Directory, FileOrCreate (created as 0644 if missing), File, Socket, CharDevice or BlockDevice.',
          ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'],
          { proto: 2 },
        ),
      },
      { required: ['path'] },
    ),
  },
  {
    name: core('EmptyDirVolumeSource'),
    schema: s.object('An empty directory that lives as long as the pod. Supports ownership management and SELinux relabeling.', {
      medium: s.string(
        'The storage medium backing the directory: "" (the default) uses the node\'s default medium; Memory uses a tmpfs; HugePages (or HugePages-<size>) uses huge pages.',
        { proto: 1, omitEmpty: true },
      ),
      sizeLimit: s.quantity(
        'Most local storage the directory may use, also for the Memory medium (where the sum of the containers\' memory limits caps it too). Unset means no limit of its own.',
        { proto: 2 },
      ),
      mode: s.int32(
        'Permission bits of the directory in numeric notation, from 0000 to 01777; defaults to 0777. fsGroup overrides it; no effect on Windows. Alpha: requires the EmptyDirVolumeMode feature gate.',
        { proto: 3 },
      ),
    }),
  },
  {
    name: core('GCEPersistentDiskVolumeSource'),
    schema: s.object(
      'A Google Compute Engine persistent disk, which must exist in the same project and zone as the node. It can be mounted read/write once or read-only many times.',
      {
        pdName: s.string('Name of the persistent disk in GCE.', { default: '', proto: 1 }),
        fsType: s.string(FS_TYPE_EXT4, { proto: 2, omitEmpty: true }),
        partition: s.int32(PARTITION, { proto: 3, omitEmpty: true }),
        readOnly: s.boolean(READ_ONLY, { proto: 4, omitEmpty: true }),
      },
      { required: ['pdName'] },
    ),
  },
  {
    name: core('AWSElasticBlockStoreVolumeSource'),
    schema: s.object(
      'An AWS EBS disk, which must exist in the same zone as the node. It can be mounted read/write only once.',
      {
        volumeID: s.string('ID of the EBS volume.', { default: '', proto: 1 }),
        fsType: s.string(FS_TYPE_EXT4, { proto: 2, omitEmpty: true }),
        partition: s.int32(PARTITION, { proto: 3, omitEmpty: true }),
        readOnly: s.boolean(READ_ONLY, { proto: 4, omitEmpty: true }),
      },
      { required: ['volumeID'] },
    ),
  },
  {
    name: core('GitRepoVolumeSource'),
    schema: s.object(
      'A directory filled with a clone of a git repository. Deprecated: clone into an emptyDir from an init container instead.',
      {
        repository: s.string('URL of the repository to clone.', { default: '', proto: 1 }),
        revision: s.string('Commit hash to check out.', { proto: 2, omitEmpty: true }),
        directory: s.string(
          'Directory to clone into, relative to the volume; must not contain or start with "..". "." makes the volume itself the repository; by default the clone gets a subdirectory named after the repository.',
          { proto: 3, omitEmpty: true },
        ),
      },
      { required: ['repository'] },
    ),
  },
  {
    name: core('SecretVolumeSource'),
    schema: s.object(
      "A Secret's data presented as files, one per key unless items says otherwise. Supports ownership management and SELinux relabeling.",
      {
        secretName: s.string("Name of the Secret in the pod's namespace.", { proto: 1, omitEmpty: true }),
        items: s.array(ITEMS_TO_PATHS, KEY_TO_PATH_ITEMS, { listType: 'atomic', proto: 2 }),
        defaultMode: s.int32(`${DEFAULT_MODE} Defaults to 0644.`, { proto: 3 }),
        optional: s.boolean('Whether the pod may start when the Secret or a listed key does not exist.', { proto: 4 }),
        defaultUser: s.int64(DEFAULT_USER, { proto: 5 }),
      },
    ),
  },
  {
    name: core('NFSVolumeSource'),
    schema: s.object(
      'An NFS export mounted for the lifetime of the pod. No ownership management or SELinux relabeling.',
      {
        server: s.string('Host name or IP address of the NFS server.', { default: '', proto: 1 }),
        path: s.string('Path the server exports.', { default: '', proto: 2 }),
        readOnly: s.boolean('When true, the export is mounted read-only. Defaults to false.', { proto: 3, omitEmpty: true }),
      },
      { required: ['server', 'path'] },
    ),
  },
  iscsiSource('ISCSIVolumeSource', 'LocalObjectReference'),
  {
    name: core('GlusterfsVolumeSource'),
    schema: s.object(
      'A Glusterfs mount for the lifetime of the pod. No ownership management or SELinux relabeling.',
      {
        endpoints: s.string('Name of the Endpoints object describing the Glusterfs cluster topology.', { default: '', proto: 1 }),
        path: s.string('Path of the Glusterfs volume.', { default: '', proto: 2 }),
        readOnly: s.boolean('When true, the volume is mounted read-only. Defaults to false.', { proto: 3, omitEmpty: true }),
      },
      { required: ['endpoints', 'path'] },
    ),
  },
  {
    name: core('PersistentVolumeClaimVolumeSource'),
    schema: s.object(
      "A claim in the pod's namespace: the volume bound to it is mounted into the pod.",
      {
        claimName: s.string("Name of the PersistentVolumeClaim in the pod's namespace.", { default: '', proto: 1 }),
        readOnly: s.boolean('When true, forces volume mounts of this volume to be read-only. Defaults to false.', { proto: 2, omitEmpty: true }),
      },
      { required: ['claimName'] },
    ),
  },
  {
    name: core('RBDVolumeSource'),
    schema: s.object(
      'A Ceph RADOS block device mounted for the lifetime of the pod. Supports ownership management and SELinux relabeling.',
      {
        monitors: s.array('Addresses of the Ceph monitors.', s.string('', { default: '' }), { listType: 'atomic', proto: 1 }),
        image: s.string('Name of the RADOS image.', { default: '', proto: 2 }),
        fsType: s.string(FS_TYPE_EXT4, { proto: 3, omitEmpty: true }),
        pool: s.string('Name of the RADOS pool. Defaults to rbd.', { default: 'rbd', proto: 4, omitEmpty: true }),
        user: s.string('RADOS user name. Defaults to admin.', { default: 'admin', proto: 5, omitEmpty: true }),
        keyring: s.string('Path of the keyring for the user. Defaults to /etc/ceph/keyring.', { default: '/etc/ceph/keyring', proto: 6, omitEmpty: true }),
        secretRef: s.ref(core('LocalObjectReference'), 'The Secret with the authentication key for the user; when set, it overrides keyring.', { proto: 7 }),
        readOnly: s.boolean(READ_ONLY, { proto: 8, omitEmpty: true }),
      },
      { required: ['monitors', 'image'] },
    ),
  },
  {
    name: core('FlexVolumeSource'),
    schema: s.object(
      'A volume provisioned and attached by an exec-based plugin (driver script on the node).',
      {
        driver: s.string('Name of the driver handling this volume.', { default: '', proto: 1 }),
        fsType: s.string('Filesystem type to mount (for example ext4, xfs or ntfs). The default depends on the driver script.', { proto: 2, omitEmpty: true }),
        secretRef: s.ref(
          core('LocalObjectReference'),
          'A Secret whose entries are all passed to the plugin scripts, for sensitive settings. May be empty when the driver needs none.',
          { proto: 3 },
        ),
        readOnly: s.boolean(READ_ONLY, { proto: 4, omitEmpty: true }),
        options: s.stringMap('Extra options passed to the driver.', { proto: 5 }),
      },
      { required: ['driver'] },
    ),
  },
  cinderSource('CinderVolumeSource', 'LocalObjectReference'),
  {
    name: core('CephFSVolumeSource'),
    schema: s.object(
      'A CephFS mount for the lifetime of the pod. No ownership management or SELinux relabeling.',
      {
        monitors: s.array('Addresses of the Ceph monitors.', s.string('', { default: '' }), { listType: 'atomic', proto: 1 }),
        path: s.string('Path within the Ceph filesystem to use as the root of the mount. Defaults to /.', { proto: 2, omitEmpty: true }),
        user: s.string('RADOS user name. Defaults to admin.', { proto: 3, omitEmpty: true }),
        secretFile: s.string("Path of the key ring for the user. Defaults to /etc/ceph/user.secret.", { proto: 4, omitEmpty: true }),
        secretRef: s.ref(core('LocalObjectReference'), 'The Secret with the authentication key for the user. Unset by default.', { proto: 5 }),
        readOnly: s.boolean(READ_ONLY, { proto: 6, omitEmpty: true }),
      },
      { required: ['monitors'] },
    ),
  },
  {
    name: core('FlockerVolumeSource'),
    schema: s.object(
      'A Flocker dataset mounted by the Flocker agent; set exactly one of datasetName and datasetUUID. No ownership management or SELinux relabeling.',
      {
        datasetName: s.string('Name of the dataset, as stored in its metadata. Considered deprecated.', { proto: 1, omitEmpty: true }),
        datasetUUID: s.string('UUID of the dataset, its unique identifier in Flocker.', { proto: 2, omitEmpty: true }),
      },
    ),
  },
  {
    name: core('DownwardAPIVolumeSource'),
    schema: s.object('Files holding information about the pod. Supports ownership management and SELinux relabeling.', {
      items: s.array('The files to create.', s.ref(core('DownwardAPIVolumeFile'), undefined, { default: {} }), {
        listType: 'atomic',
        proto: 1,
      }),
      defaultMode: s.int32(`${DEFAULT_MODE} Defaults to 0644.`, { proto: 2 }),
      defaultUser: s.int64(DEFAULT_USER, { proto: 3 }),
    }),
  },
  {
    name: core('DownwardAPIVolumeFile'),
    schema: s.object(
      'One file of a downward API volume and the pod field or container resource it holds.',
      {
        path: s.string(
          'Relative path of the file to create, UTF-8; must not be absolute, contain "..", or start with "..".',
          { default: '', proto: 1 },
        ),
        fieldRef: s.ref(
          core('ObjectFieldSelector'),
          'A field of the pod to write: only annotations, labels, name, namespace and uid are supported.',
          { proto: 2 },
        ),
        resourceFieldRef: s.ref(
          core('ResourceFieldSelector'),
          "A container's resource to write: only limits and requests of cpu and memory (and ephemeral storage) are supported.",
          { proto: 3 },
        ),
        mode: s.int32(FILE_MODE, { proto: 4 }),
        user: s.int64(FILE_USER, { proto: 5 }),
      },
      { required: ['path'] },
    ),
  },
  {
    name: core('FCVolumeSource'),
    schema: s.object(
      'A Fibre Channel disk, which can be mounted read/write only once. Supports ownership management and SELinux relabeling.',
      {
        targetWWNs: s.array('World wide names of the FC targets.', s.string('', { default: '' }), { listType: 'atomic', proto: 1 }),
        lun: s.int32('Logical unit number of the FC target.', { proto: 2 }),
        fsType: s.string(FS_TYPE_EXT4, { proto: 3, omitEmpty: true }),
        readOnly: s.boolean(READ_ONLY, { proto: 4, omitEmpty: true }),
        wwids: s.array(
          'World wide identifiers of the volume. Set either wwids or targetWWNs with lun, not both.',
          s.string('', { default: '' }),
          { listType: 'atomic', proto: 5 },
        ),
      },
    ),
  },
  {
    name: core('AzureFileVolumeSource'),
    schema: s.object(
      'An Azure File Service share mounted on the node and bind-mounted into the pod.',
      {
        secretName: s.string('Name of the Secret holding the Azure storage account name and key.', { default: '', proto: 1 }),
        shareName: s.string('Name of the Azure file share.', { default: '', proto: 2 }),
        readOnly: s.boolean(READ_ONLY, { proto: 3, omitEmpty: true }),
      },
      { required: ['secretName', 'shareName'] },
    ),
  },
  {
    name: core('ConfigMapVolumeSource'),
    schema: s.object(
      "A ConfigMap's data presented as files, one per key unless items says otherwise. Supports ownership management and SELinux relabeling.",
      {
        name: s.string(LOCAL_NAME, { default: '', proto: 1, omitEmpty: true }),
        items: s.array(ITEMS_TO_PATHS, KEY_TO_PATH_ITEMS, { listType: 'atomic', proto: 2 }),
        defaultMode: s.int32(`${DEFAULT_MODE} Defaults to 0644.`, { proto: 3 }),
        optional: s.boolean('Whether the pod may start when the ConfigMap or a listed key does not exist.', { proto: 4 }),
        defaultUser: s.int64(DEFAULT_USER, { proto: 5 }),
      },
      { inlinedProto: { field: 1, properties: ['name'] } },
    ),
  },
  {
    name: core('VsphereVirtualDiskVolumeSource'),
    schema: s.object(
      'A vSphere virtual disk (VMDK).',
      {
        volumePath: s.string('Path identifying the VMDK of the volume.', { default: '', proto: 1 }),
        fsType: s.string(FS_TYPE_EXT4, { proto: 2, omitEmpty: true }),
        storagePolicyName: s.string('Name of the Storage Policy Based Management (SPBM) profile.', { proto: 3, omitEmpty: true }),
        storagePolicyID: s.string('ID of the SPBM profile named by storagePolicyName.', { proto: 4, omitEmpty: true }),
      },
      { required: ['volumePath'] },
    ),
  },
  {
    name: core('QuobyteVolumeSource'),
    schema: s.object(
      'A Quobyte mount for the lifetime of the pod. No ownership management or SELinux relabeling.',
      {
        registry: s.string(
          'One or more Quobyte registry services as host:port, separated by commas; the central registry for volumes.',
          { default: '', proto: 1 },
        ),
        volume: s.string('Name of an existing Quobyte volume.', { default: '', proto: 2 }),
        readOnly: s.boolean('When true, the volume is mounted read-only. Defaults to false.', { proto: 3, omitEmpty: true }),
        user: s.string('User to map volume access to. Defaults to the service account user.', { proto: 4, omitEmpty: true }),
        group: s.string('Group to map volume access to. Defaults to no group.', { proto: 5, omitEmpty: true }),
        tenant: s.string('Tenant owning the volume in the backend; set by the plugin for dynamically provisioned volumes.', { proto: 6, omitEmpty: true }),
      },
      { required: ['registry', 'volume'] },
    ),
  },
  {
    name: core('AzureDiskVolumeSource'),
    schema: s.object(
      'An Azure data disk mounted on the node and bind-mounted into the pod.',
      {
        diskName: s.string('Name of the data disk in blob storage.', { default: '', proto: 1 }),
        diskURI: s.string('URI of the data disk in blob storage.', { default: '', proto: 2 }),
        cachingMode: s.enum('Host caching mode: None, ReadOnly or ReadWrite. Defaults to ReadWrite.', ['None', 'ReadOnly', 'ReadWrite'], {
          default: 'ReadWrite',
          proto: 3,
        }),
        fsType: s.string('Filesystem type to mount, one the host operating system supports (for example ext4, xfs or ntfs). Defaults to ext4.', {
          default: 'ext4',
          proto: 4,
        }),
        readOnly: s.boolean(READ_ONLY, { default: false, proto: 5 }),
        kind: s.enum(
          'Kind of disk: Shared (several blob disks per storage account), Dedicated (one blob disk per storage account) or Managed (an Azure managed disk, only in a managed availability set). Defaults to Shared.',
          ['Dedicated', 'Managed', 'Shared'],
          { default: 'Shared', proto: 6 },
        ),
      },
      { required: ['diskName', 'diskURI'] },
    ),
  },
  {
    name: core('PhotonPersistentDiskVolumeSource'),
    schema: s.object(
      'A Photon Controller persistent disk.',
      {
        pdID: s.string('ID of the Photon Controller persistent disk.', { default: '', proto: 1 }),
        fsType: s.string(FS_TYPE_EXT4, { proto: 2, omitEmpty: true }),
      },
      { required: ['pdID'] },
    ),
  },
  {
    name: core('ProjectedVolumeSource'),
    schema: s.object('Several sources projected together into one directory.', {
      sources: s.array('The projections, each handling one source.', s.ref(core('VolumeProjection'), undefined, { default: {} }), {
        listType: 'atomic',
        proto: 1,
      }),
      defaultMode: s.int32(DEFAULT_MODE, { proto: 2 }),
      defaultUser: s.int64(DEFAULT_USER, { proto: 3 }),
    }),
  },
  {
    name: core('VolumeProjection'),
    schema: s.object('One source of a projected volume; exactly one field must be set.', {
      secret: s.ref(core('SecretProjection'), 'Data of a Secret to project.', { proto: 1 }),
      downwardAPI: s.ref(core('DownwardAPIProjection'), 'Information about the pod to project.', { proto: 2 }),
      configMap: s.ref(core('ConfigMapProjection'), 'Data of a ConfigMap to project.', { proto: 3 }),
      serviceAccountToken: s.ref(core('ServiceAccountTokenProjection'), "A token of the pod's service account to project.", { proto: 4 }),
      clusterTrustBundle: s.ref(
        core('ClusterTrustBundleProjection'),
        'Certificates from the spec.trustBundle of ClusterTrustBundle objects, chosen by name or by signer name and label selector, kept up to date in a file. The kubelet normalizes the PEM (dropping comments and headers, removing duplicates) and may reorder it. Requires the ClusterTrustBundleProjection feature gate.',
        { proto: 5 },
      ),
      podCertificate: s.ref(
        core('PodCertificateProjection'),
        'A private key and certificate chain for the pod, rotated automatically: the kubelet generates the key, asks the named signer for a certificate through a PodCertificateRequest and writes the result; the pod does not start until it is issued. Requires the PodCertificateProjection feature gate.',
        { proto: 6 },
      ),
    }),
  },
  {
    name: core('SecretProjection'),
    schema: s.object(
      "A Secret's data projected as files into a projected volume; like a secret volume without defaultMode.",
      {
        name: s.string(LOCAL_NAME, { default: '', proto: 1, omitEmpty: true }),
        items: s.array(ITEMS_TO_PATHS, KEY_TO_PATH_ITEMS, { listType: 'atomic', proto: 2 }),
        optional: s.boolean('Whether the pod may start when the Secret or a listed key does not exist.', { proto: 4 }),
      },
      { inlinedProto: { field: 1, properties: ['name'] } },
    ),
  },
  {
    name: core('ConfigMapProjection'),
    schema: s.object(
      "A ConfigMap's data projected as files into a projected volume; like a configMap volume without defaultMode.",
      {
        name: s.string(LOCAL_NAME, { default: '', proto: 1, omitEmpty: true }),
        items: s.array(ITEMS_TO_PATHS, KEY_TO_PATH_ITEMS, { listType: 'atomic', proto: 2 }),
        optional: s.boolean('Whether the pod may start when the ConfigMap or a listed key does not exist.', { proto: 4 }),
      },
      { inlinedProto: { field: 1, properties: ['name'] } },
    ),
  },
  {
    name: core('DownwardAPIProjection'),
    schema: s.object('Information about the pod projected as files into a projected volume; like a downwardAPI volume without defaultMode.', {
      items: s.array('The files to create.', s.ref(core('DownwardAPIVolumeFile'), undefined, { default: {} }), {
        listType: 'atomic',
        proto: 1,
      }),
    }),
  },
  {
    name: core('ServiceAccountTokenProjection'),
    schema: s.object(
      "A token of the pod's service account written into the volume, for authenticating to the API server or other services.",
      {
        audience: s.string('Audience the token is meant for; its recipient must check it. Defaults to the API server\'s identifier.', { proto: 1, omitEmpty: true }),
        expirationSeconds: s.int64(
          'Requested lifetime of the token in seconds: at least 600, default 3600. The kubelet rotates the token once it is older than 80% of its lifetime or older than 24 hours.',
          { proto: 2 },
        ),
        path: s.string('Path of the token file, relative to the mount point.', { default: '', proto: 3 }),
        user: s.int64(FILE_USER, { proto: 4 }),
      },
      { required: ['path'] },
    ),
  },
  {
    name: core('ClusterTrustBundleProjection'),
    schema: s.object(
      'Which ClusterTrustBundle objects to select and where to write their certificates in the pod.',
      {
        name: s.string('Name of a single ClusterTrustBundle to use. Excludes signerName and labelSelector.', { proto: 1 }),
        signerName: s.string(
          'Use every ClusterTrustBundle with this signer name; their contents are merged and deduplicated. Excludes name.',
          { proto: 2 },
        ),
        labelSelector: s.ref(
          `${META}.LabelSelector`,
          'Among bundles of signerName, use those matching this selector; unset matches none and empty matches all. Only used with signerName; excludes name.',
          { proto: 3 },
        ),
        optional: s.boolean(
          'When true, the pod starts even if the named bundle does not exist or the signer name and selector match no bundle.',
          { proto: 5 },
        ),
        path: s.string('Path of the bundle file, relative to the volume root.', { default: '', proto: 4 }),
        user: s.int64(FILE_USER, { proto: 6 }),
      },
      { required: ['path'] },
    ),
  },
  {
    name: core('PodCertificateProjection'),
    schema: s.object(
      'A private key and X.509 certificate chain for the pod, written into the projected volume and rotated by the kubelet.',
      {
        signerName: s.string('The signer the kubelet addresses its certificate requests to.', { proto: 1, omitEmpty: true }),
        keyType: s.string('Type of key pair the kubelet generates: RSA3072, RSA4096, ECDSAP256, ECDSAP384, ECDSAP521 or ED25519.', { proto: 2, omitEmpty: true }),
        maxExpirationSeconds: s.int32(
          'Longest lifetime the certificate may have, copied into the requests. Defaults to 86400 (24 hours); must be from 3600 (1 hour) to 7862400 (91 days). kubernetes.io signers never issue more than 24 hours.',
          { proto: 3 },
        ),
        credentialBundlePath: s.string(
          'Path at which to write a single PEM file holding the PKCS#8 private key followed by the certificate chain (leaf first), so that one read gets a consistent pair. Preferred over keyPath and certificateChainPath.',
          { proto: 4, omitEmpty: true },
        ),
        keyPath: s.string(
          'Path at which to write the private key. Readers must check it matches the certificate chain, since a rotation can happen between reads.',
          { proto: 5, omitEmpty: true },
        ),
        certificateChainPath: s.string(
          'Path at which to write the certificate chain. Readers must check it matches the key, since a rotation can happen between reads.',
          { proto: 6, omitEmpty: true },
        ),
        userAnnotations: s.stringMap(
          'Extra information for the signer, copied unchanged into spec.unverifiedUserAnnotations of the requests. Keys must be domain-prefixed; signers document which they accept.',
          { proto: 7 },
        ),
        user: s.int64(FILE_USER, { proto: 8 }),
      },
      { required: ['signerName', 'keyType'] },
    ),
  },
  {
    name: core('KeyToPath'),
    schema: s.object(
      'Maps one key of a Secret or ConfigMap to a file path in the volume.',
      {
        key: s.string('The key to project.', { default: '', proto: 1 }),
        path: s.string('Relative path of the file for the key; must not be absolute, contain "..", or start with "..".', {
          default: '',
          proto: 2,
        }),
        mode: s.int32(FILE_MODE, { proto: 3 }),
        user: s.int64(FILE_USER, { proto: 4 }),
      },
      { required: ['key', 'path'] },
    ),
  },
  {
    name: core('PortworxVolumeSource'),
    schema: s.object(
      'A Portworx volume.',
      {
        volumeID: s.string('ID of the Portworx volume.', { default: '', proto: 1 }),
        fsType: s.string('Filesystem type to mount, one the host operating system supports (for example ext4 or xfs). Taken to be ext4 when empty.', { proto: 2, omitEmpty: true }),
        readOnly: s.boolean(READ_ONLY, { proto: 3, omitEmpty: true }),
      },
      { required: ['volumeID'] },
    ),
  },
  {
    name: core('ScaleIOVolumeSource'),
    schema: s.object(
      'A ScaleIO persistent volume.',
      {
        gateway: s.string('Host address of the ScaleIO API gateway.', { default: '', proto: 1 }),
        system: s.string('Name of the storage system as configured in ScaleIO.', { default: '', proto: 2 }),
        secretRef: s.ref(
          core('LocalObjectReference'),
          'The Secret with the ScaleIO user credentials and other sensitive settings; without it, login fails.',
          { proto: 3 },
        ),
        sslEnabled: s.boolean('Whether to talk to the gateway over SSL. Defaults to false.', { proto: 4, omitEmpty: true }),
        protectionDomain: s.string('Name of the ScaleIO protection domain of the storage.', { proto: 5, omitEmpty: true }),
        storagePool: s.string('Name of the ScaleIO storage pool in the protection domain.', { proto: 6, omitEmpty: true }),
        storageMode: s.string('How storage is provisioned: ThickProvisioned or ThinProvisioned. Defaults to ThinProvisioned.', {
          default: 'ThinProvisioned',
          proto: 7, omitEmpty: true,
        }),
        volumeName: s.string('Name of an existing volume in the ScaleIO system for this source.', { proto: 8, omitEmpty: true }),
        fsType: s.string('Filesystem type to mount, one the host operating system supports (for example ext4, xfs or ntfs). Defaults to xfs.', {
          default: 'xfs',
          proto: 9, omitEmpty: true,
        }),
        readOnly: s.boolean(READ_ONLY, { proto: 10, omitEmpty: true }),
      },
      { required: ['gateway', 'system', 'secretRef'] },
    ),
  },
  {
    name: core('StorageOSVolumeSource'),
    schema: s.object('A StorageOS volume.', {
      volumeName: s.string('Name of the StorageOS volume, unique within its StorageOS namespace.', { proto: 1, omitEmpty: true }),
      volumeNamespace: s.string(
        "StorageOS namespace of the volume. Defaults to the pod's namespace; \"default\" suits clusters not using StorageOS namespaces. Missing namespaces are created.",
        { proto: 2, omitEmpty: true },
      ),
      fsType: s.string(FS_TYPE_EXT4, { proto: 3, omitEmpty: true }),
      readOnly: s.boolean(READ_ONLY, { proto: 4, omitEmpty: true }),
      secretRef: s.ref(core('LocalObjectReference'), 'The Secret holding StorageOS API credentials; defaults are tried when unset.', { proto: 5 }),
    }),
  },
  {
    name: core('CSIVolumeSource'),
    schema: s.object(
      'An inline volume managed by an external CSI driver.',
      {
        driver: s.string('Name of the CSI driver handling this volume, as registered in the cluster.', { default: '', proto: 1 }),
        readOnly: s.boolean('Whether the volume is read-only. Defaults to false (read/write).', { proto: 2 }),
        fsType: s.string('Filesystem type to mount (for example ext4, xfs or ntfs). When empty, the driver picks its default.', { proto: 3 }),
        volumeAttributes: s.stringMap("Driver-specific properties passed to the driver; see the driver's documentation.", { proto: 4 }),
        nodePublishSecretRef: s.ref(
          core('LocalObjectReference'),
          'A Secret whose entries are all passed to the driver for NodePublishVolume and NodeUnpublishVolume. May be empty when none is needed.',
          { proto: 5 },
        ),
      },
      { required: ['driver'] },
    ),
  },
  {
    name: core('EphemeralVolumeSource'),
    schema: s.object('A volume from a storage driver whose lifetime is tied to the pod.', {
      volumeClaimTemplate: s.ref(
        core('PersistentVolumeClaimTemplate'),
        'Template of the claim created for the volume, named <pod name>-<volume name> and owned by the pod, so deleted with it. An existing claim of that name not owned by the pod is not used; the pod waits until it is removed. Required; not changed after the claim is created.',
        { proto: 1 },
      ),
    }),
  },
  {
    name: core('ImageVolumeSource'),
    schema: s.object('An OCI image or artifact mounted as a volume.', {
      reference: s.string(
        'The image or artifact reference, as in a container\'s image field; pull secrets are found the same way. Optional so that higher-level controllers may default or override it.',
        { proto: 1, omitEmpty: true },
      ),
      pullPolicy: s.enum(
        'When to pull: Always (a failed pull fails container creation), Never (only a local copy is used) or IfNotPresent (pull when missing). Defaults to Always for a :latest tag, IfNotPresent otherwise.',
        ['Always', 'IfNotPresent', 'Never'],
        { proto: 2, omitEmpty: true },
      ),
    }),
  },
  {
    name: core('PersistentVolumeClaimTemplate'),
    schema: s.object(
      'The template of a PersistentVolumeClaim created for an ephemeral volume.',
      {
        metadata: s.objectMeta('Labels and annotations copied into the claim; any other metadata field is rejected.', { proto: 1 }),
        spec: s.ref(
          core('PersistentVolumeClaimSpec'),
          'Specification of the claim, copied unchanged into the claim that is created; the same fields as in a PersistentVolumeClaim are valid.',
          { default: {}, proto: 2 },
        ),
      },
      { required: ['spec'] },
    ),
  },
  {
    name: core('PersistentVolumeClaim'),
    schema: s.object("A user's request for, and claim to, a persistent volume.", {
      ...typeMeta(),
      metadata: s.objectMeta(undefined, { proto: 1 }),
      spec: s.ref(core('PersistentVolumeClaimSpec'), 'The characteristics of the volume the pod author asks for.', { default: {}, proto: 2 }),
      status: s.ref(core('PersistentVolumeClaimStatus'), 'The current state of the claim, set by the system. Read-only.', {
        default: {},
        proto: 3,
      }),
    }),
    gvk: [{ group: '', version: 'v1', kind: 'PersistentVolumeClaim' }],
  },
  kindListDefinition(CORE, { group: '', version: 'v1' }, 'PersistentVolumeClaim', 'A list of PersistentVolumeClaims.'),
  {
    name: core('PersistentVolumeClaimSpec'),
    schema: s.object('What a claim asks for: access modes, size, class and an optional data source.', {
      accessModes: s.array(
        'Access modes the volume must support: ReadWriteOnce (read/write by one node), ReadOnlyMany (read-only by many nodes), ReadWriteMany (read/write by many nodes) or ReadWriteOncePod (read/write by one pod, alone).',
        s.enum('', ACCESS_MODES, { default: '' }),
        { listType: 'atomic', proto: 1 },
      ),
      selector: s.ref(`${META}.LabelSelector`, 'A label query over the volumes that may be bound to the claim.', { proto: 4 }),
      resources: s.ref(
        core('VolumeResourceRequirements'),
        'The least resources (storage) the volume must have. It may be lowered later, but never below the capacity recorded in the status.',
        { default: {}, proto: 2 },
      ),
      volumeName: s.string('Name of the PersistentVolume bound to this claim.', { proto: 3, omitEmpty: true }),
      storageClassName: s.string('Name of the StorageClass the claim needs; "" asks for a volume without a class.', { proto: 5 }),
      volumeMode: s.enum('Whether the volume is used with a filesystem (Filesystem, the default) or as a raw block device (Block).', [
        'Block',
        'Filesystem',
      ], { proto: 6 }),
      dataSource: s.ref(
        core('TypedLocalObjectReference'),
        'An existing VolumeSnapshot or PersistentVolumeClaim in the same namespace to fill the new volume from, when the provisioner supports it. Kept in step with dataSourceRef when dataSourceRef has no namespace.',
        { proto: 7 },
      ),
      dataSourceRef: s.ref(
        core('TypedObjectReference'),
        'The object to fill the volume from: any object of a non-core group or a PersistentVolumeClaim, handled by a volume populator or the provisioner. Unlike dataSource it keeps and rejects disallowed values, and may name another namespace (alpha, CrossNamespaceVolumeDataSource feature gate; then dataSource must be empty). Without a namespace, it and dataSource are set to the same value.',
        { proto: 8 },
      ),
      volumeAttributesClassName: s.string(
        'The VolumeAttributesClass whose attributes the CSI driver applies to the volume. Unlike storageClassName it may change after creation; empty or unset applies none. A class that does not exist leaves the claim Pending in modifyVolumeStatus; after an Infeasible error it may be set back to cancel.',
        { proto: 9 },
      ),
    }),
  },
  {
    name: core('PersistentVolumeClaimStatus'),
    schema: s.object('The observed state of a claim.', {
      phase: s.enum('Phase of the claim: Pending (not yet bound), Bound, or Lost (its bound volume no longer exists).', [
        'Bound',
        'Lost',
        'Pending',
      ], { proto: 1, omitEmpty: true }),
      accessModes: s.array(
        'Access modes the bound volume actually has: ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod.',
        s.enum('', ACCESS_MODES, { default: '' }),
        { listType: 'atomic', proto: 2 },
      ),
      capacity: s.map('Actual resources (storage) of the bound volume.', s.quantity(''), { proto: 3 }),
      conditions: s.array(
        'Current conditions of the claim, such as Resizing while the volume is being expanded.',
        s.ref(core('PersistentVolumeClaimCondition'), undefined, { default: {} }),
        { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'], proto: 4 },
      ),
      allocatedResources: s.map(
        'Resources allocated to the claim, capacity included; may exceed the actual capacity while an expansion is requested. Keys are storage or a domain-prefixed custom name. Quota uses the larger of this and spec.resources.',
        s.quantity(''),
        { proto: 5 },
      ),
      allocatedResourceStatuses: s.map(
        'Resize progress per resource (storage or a domain-prefixed custom name): ControllerResizeInProgress, ControllerResizeInfeasible, NodeResizePending, NodeResizeInProgress or NodeResizeInfeasible. Absent when no resize is under way; controllers ignore names and states they do not know.',
        s.enum('', ['ControllerResizeInProgress', 'ControllerResizeInfeasible', 'NodeResizeInProgress', 'NodeResizeInfeasible', 'NodeResizePending'], {
          default: '',
        }),
        { mapType: 'granular', proto: 7 },
      ),
      currentVolumeAttributesClassName: s.string('The VolumeAttributesClass currently applied to the volume; unset when there is none.', { proto: 8 }),
      modifyVolumeStatus: s.ref(
        core('ModifyVolumeStatus'),
        'State of the ongoing change of volume attributes (ControllerModifyVolume); unset when none is being attempted.',
        { proto: 9 },
      ),
      healthStatus: s.ref(
        core('VolumeHealthStatus'),
        'Latest health information for the bound volume, reported by the CSI controller. Requires the CSIVolumeHealth feature gate.',
        { proto: 10 },
      ),
    }),
  },
  {
    name: core('PersistentVolumeClaimCondition'),
    schema: s.object(
      'One aspect of the state of a claim.',
      {
        type: s.string(
          'Type of the condition: Resizing, FileSystemResizePending, ControllerResizeError, NodeResizeError, ModifyVolumeError, ModifyingVolume or Unused.',
          { default: '', proto: 1 },
        ),
        status: s.string('Status of the condition: True, False or Unknown.', { default: '', proto: 2 }),
        lastProbeTime: s.time('When the condition was last probed.', { proto: 3 }),
        lastTransitionTime: s.time('When the condition last changed from one status to another.', { proto: 4 }),
        reason: s.string('A short, machine-readable reason for the last transition, e.g. Resizing while the volume is being resized.', { proto: 5, omitEmpty: true }),
        message: s.string('A human-readable message about the last transition.', { proto: 6, omitEmpty: true }),
      },
      { required: ['type', 'status'] },
    ),
  },
  {
    name: core('ModifyVolumeStatus'),
    schema: s.object(
      'The state of a ControllerModifyVolume operation on the volume of a claim.',
      {
        targetVolumeAttributesClassName: s.string('The VolumeAttributesClass the claim is being reconciled to.', { proto: 1, omitEmpty: true }),
        status: s.enum(
          'State of the operation: Pending (requirements unmet, e.g. the class does not exist), InProgress, or Infeasible (the CSI driver rejected it; set a valid class). More states may be added.',
          ['InProgress', 'Infeasible', 'Pending'],
          { default: '', proto: 2 },
        ),
      },
      { required: ['status'] },
    ),
  },
  {
    name: core('VolumeHealthStatus'),
    schema: s.object('Health of a volume as reported by the CSI controller plugin.', {
      healthConditions: s.array(
        'Adverse conditions of the volume, identified by status and reason; empty when there is none. At most 16.',
        s.ref(core('VolumeHealthCondition'), undefined, { default: {} }),
        { patchStrategy: 'merge', patchMergeKey: 'status', listType: 'map', listMapKeys: ['status', 'reason'], proto: 1 },
      ),
      lastTransitionTime: s.time('When the current set of conditions first appeared.', { proto: 2 }),
    }),
  },
  {
    name: core('VolumeHealthCondition'),
    schema: s.object(
      'An adverse health condition reported for a volume.',
      {
        status: s.enum(
          'Health category: Inaccessible (the volume cannot be accessed), DataLoss (data loss was detected) or Degraded (working with reduced capability).',
          ['DataLoss', 'Degraded', 'Inaccessible'],
          { default: '', proto: 1 },
        ),
        reason: s.string('A short CamelCase reason; with status it identifies the condition. At most 256 bytes.', { default: '', proto: 2 }),
        message: s.string('A human-readable description, at most 1024 bytes.', { proto: 3, omitEmpty: true }),
      },
      { required: ['status', 'reason'] },
    ),
  },
  {
    name: core('VolumeResourceRequirements'),
    schema: s.object('Storage resource requirements of a volume.', {
      limits: s.map('Most resources the volume may have, by resource name.', s.quantity(''), { proto: 1 }),
      requests: s.map(
        'Least resources the volume needs, by resource name. Defaults to limits when those are set, otherwise to an implementation-defined value; may not exceed limits.',
        s.quantity(''),
        { proto: 2 },
      ),
    }),
  },
  {
    name: core('LocalObjectReference'),
    schema: s.object(
      'The name of an object in the same namespace.',
      { name: s.string(LOCAL_NAME, { default: '', proto: 1, omitEmpty: true }) },
      { mapType: 'atomic' },
    ),
  },
  {
    name: core('SecretReference'),
    schema: s.object(
      'The name and namespace of a Secret, which may be in any namespace.',
      {
        name: s.string('Name of the Secret, unique within its namespace.', { proto: 1, omitEmpty: true }),
        namespace: s.string('Namespace of the Secret.', { proto: 2, omitEmpty: true }),
      },
      { mapType: 'atomic' },
    ),
  },
  {
    name: core('TypedLocalObjectReference'),
    schema: s.object(
      'The group, kind and name of an object in the same namespace.',
      {
        apiGroup: s.string('API group of the referent; when unset, the kind must be in the core group. Required for other groups.', { proto: 1 }),
        kind: s.string('Kind of the referent.', { default: '', proto: 2 }),
        name: s.string('Name of the referent.', { default: '', proto: 3 }),
      },
      { required: ['kind', 'name'], mapType: 'atomic' },
    ),
  },
  {
    name: core('TypedObjectReference'),
    schema: s.object(
      'The group, kind, name and possibly namespace of an object.',
      {
        apiGroup: s.string('API group of the referent; when unset, the kind must be in the core group. Required for other groups.', { proto: 1 }),
        kind: s.string('Kind of the referent.', { default: '', proto: 2 }),
        name: s.string('Name of the referent.', { default: '', proto: 3 }),
        namespace: s.string(
          "Namespace of the referent. Another namespace needs a gateway.networking.k8s.io ReferenceGrant there accepting the reference. Alpha: requires the CrossNamespaceVolumeDataSource feature gate.",
          { proto: 4 },
        ),
      },
      { required: ['kind', 'name'] },
    ),
  },
  {
    name: core('ObjectReference'),
    schema: s.object(
      'A reference to an object, or to a part of one, with everything needed to find it.',
      {
        kind: s.string('Kind of the referent.', { proto: 1, omitEmpty: true }),
        namespace: s.string('Namespace of the referent.', { proto: 2, omitEmpty: true }),
        name: s.string('Name of the referent.', { proto: 3, omitEmpty: true }),
        uid: s.string('UID of the referent.', { proto: 4, omitEmpty: true }),
        apiVersion: s.string('API version of the referent.', { proto: 5, omitEmpty: true }),
        resourceVersion: s.string('The resourceVersion of the referent this reference is about, if a specific one.', { proto: 6, omitEmpty: true }),
        fieldPath: s.string(
          'When the reference is to part of an object, a field path to that part, e.g. spec.containers{name} or spec.containers[2] for a container of a pod.',
          { proto: 7, omitEmpty: true },
        ),
      },
      { mapType: 'atomic' },
    ),
  },
];

/** The ISCSIVolumeSource definition, or the PersistentVolume one of the same shape that names its Secret by a `SecretReference`. */
export function iscsiSource(name: string, secretReference: 'LocalObjectReference' | 'SecretReference'): Definition {
  return {
    name: core(name),
    schema: s.object(
      'An iSCSI disk, which can be mounted read/write only once. Supports ownership management and SELinux relabeling.',
      {
        targetPortal: s.string('The iSCSI target portal: an IP, or IP:port when the port is not the default (usually 860 or 3260).', {
          default: '',
          proto: 1,
        }),
        iqn: s.string('iSCSI Qualified Name of the target.', { default: '', proto: 2 }),
        lun: s.int32('Logical unit number of the target.', { default: 0, proto: 3 }),
        iscsiInterface: s.string('The iSCSI interface (transport) to use. Defaults to "default" (TCP).', { default: 'default', proto: 4, omitEmpty: true }),
        fsType: s.string(FS_TYPE_EXT4, { proto: 5, omitEmpty: true }),
        readOnly: s.boolean(READ_ONLY, { proto: 6, omitEmpty: true }),
        portals: s.array(
          'More target portals, each an IP or IP:port when the port is not the default (usually 860 or 3260).',
          s.string('', { default: '' }),
          { listType: 'atomic', proto: 7 },
        ),
        chapAuthDiscovery: s.boolean('Whether to use CHAP authentication for iSCSI discovery.', { proto: 8, omitEmpty: true }),
        chapAuthSession: s.boolean('Whether to use CHAP authentication for the iSCSI session.', { proto: 11, omitEmpty: true }),
        secretRef: s.ref(core(secretReference), 'The Secret holding the CHAP credentials for target and initiator.', { proto: 10 }),
        initiatorName: s.string(
          'A custom iSCSI initiator name. Together with iscsiInterface, it makes a new interface <target portal>:<volume name> for the connection.',
          { proto: 12 },
        ),
      },
      { required: ['targetPortal', 'iqn', 'lun'] },
    ),
  };
}

/** The CinderVolumeSource definition, or the PersistentVolume one of the same shape that names its Secret by a `SecretReference`. */
export function cinderSource(name: string, secretReference: 'LocalObjectReference' | 'SecretReference'): Definition {
  return {
    name: core(name),
    schema: s.object(
      'An OpenStack Cinder volume, which must exist and be in the same region as the node. Supports ownership management and SELinux relabeling.',
      {
        volumeID: s.string('ID of the volume in Cinder.', { default: '', proto: 1 }),
        fsType: s.string(FS_TYPE_EXT4, { proto: 2, omitEmpty: true }),
        readOnly: s.boolean(READ_ONLY, { proto: 3, omitEmpty: true }),
        secretRef: s.ref(core(secretReference), 'A Secret with the parameters for connecting to OpenStack.', { proto: 4 }),
      },
      { required: ['volumeID'] },
    ),
  };
}
