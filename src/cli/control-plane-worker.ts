/**
 * @module
 * The worker thread of `kubelite up` (see control-plane-thread.ts): the controller-manager, the
 * scheduler and the simulated nodes over an HTTP client of the API server on the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SharedInformerFactory } from '../client/cache/informer-factory.js';
import { KubeClient } from '../client/kube-client.js';
import type { Logger } from '../util/logger.js';
import { controllerManager, nodeLeaseRenewIntervalMs, scheduler, simulatedNodes } from './control-plane.js';
import type { ControlPlaneCommand, ControlPlaneMessage, ControlPlaneThreadOptions } from './control-plane-thread.js';

const port = parentPort;
if (port === null) throw new Error('control-plane-worker.js runs as a worker thread of kubelite up');
const options = workerData as ControlPlaneThreadOptions;
const send = (message: ControlPlaneMessage): void => port.postMessage(message);
const logger: Logger = {
  info: (message) => send({ kind: 'log', level: 'info', message }),
  warn: (message) => send({ kind: 'log', level: 'warn', message }),
  error: (message) => send({ kind: 'log', level: 'error', message }),
};

const stop = new AbortController();
port.on('message', (command: ControlPlaneCommand) => {
  if (command.kind === 'stop') stop.abort();
});

const client = new KubeClient({ server: options.server });
const { nodes, nodeMonitorGracePeriodMs } = options;
// The controller-manager and the scheduler read one watch per resource (pods and nodes above all).
const informers = new SharedInformerFactory(client, { logger });
const manager = controllerManager({ client, logger, nodeMonitorGracePeriodMs, informers });
const schedulerManager = scheduler({ client, logger, informers });
const simulator = simulatedNodes({ client, logger, count: nodes, leaseRenewIntervalMs: nodeLeaseRenewIntervalMs(nodeMonitorGracePeriodMs) });
const progress = setInterval(() => {
  if (simulator.registeredCount < nodes) return;
  clearInterval(progress);
  send({ kind: 'nodes-ready' });
}, 50);
try {
  await Promise.all([manager.run(stop.signal), schedulerManager.run(stop.signal), simulator.run(stop.signal)]);
} finally {
  clearInterval(progress);
  client.close();
  port.close();
}
