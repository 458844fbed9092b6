/**
 * @module
 * The volume controllers (upstream pkg/controller/volume): the PersistentVolume binder, the
 * simulated external provisioner, and the PVC and PV protection controllers.
 */
export { PersistentVolumeController, PERSISTENT_VOLUME_CONTROLLER_NAME, type PersistentVolumeControllerOptions, type PersistentVolumeClient } from './persistent-volume-controller.js';
export { SimulatedProvisioner, SIMULATED_PROVISIONER, type SimulatedProvisionerOptions, type ProvisionerClient } from './simulated-provisioner.js';
export { PvcProtectionController, type PvcProtectionControllerOptions, type PvcProtectionClient } from './pvc-protection-controller.js';
export { PvProtectionController, type PvProtectionControllerOptions, type PvProtectionClient } from './pv-protection-controller.js';
export type { EventSink } from './volume-util.js';
