/**
 * @module
 * The StorageClass `kubelite up` gives a cluster that has none, as kind installs its `standard`
 * class: the default class, provisioned by the simulated provisioner of the controller-manager,
 * WaitForFirstConsumer (a claim's volume is made on the node of its first pod) and reclaim policy
 * Delete. A cluster that has a class of its own keeps it as it is.
 */
import type { JsonObject } from '../api/json.js';
import type { ApiServer } from '../apiserver/server.js';
import { StatusError } from '../api/status.js';
import { SIMULATED_PROVISIONER } from '../controllers/volume/index.js';

export const DEFAULT_STORAGE_CLASS: JsonObject = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
  provisioner: SIMULATED_PROVISIONER,
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'WaitForFirstConsumer',
};

/** Creates {@link DEFAULT_STORAGE_CLASS} when the server holds no StorageClass at all. */
export async function ensureDefaultStorageClass(server: ApiServer, now: number): Promise<void> {
  const store = server.storeOf('storage.k8s.io', 'v1', 'storageclasses');
  if (store === undefined || store.cache.listPage(store.key('', ''), {}, 1).items.length > 0) return;
  try {
    await store.create('', structuredClone(DEFAULT_STORAGE_CLASS), { subresource: undefined, dryRun: false, now });
  } catch (error) {
    if (!(error instanceof StatusError && error.reason === 'AlreadyExists')) throw error;
  }
}
