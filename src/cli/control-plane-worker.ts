/**
 * @module
 * The worker thread of `kubelite up` (see control-plane-thread.ts): the controller-manager, the
 * scheduler and the simulated nodes over one informer factory, with a client of the API server on
 * the main thread over the request channel it was given.
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

const client = KubeClient.overChannel(options.port);
const { nodes, nodeMonitorGracePeriodMs } = options;
// One informer per resource serves every part: pods and nodes above all are decoded and cached once.
const informers = new SharedInformerFactory(client, { logger });
const simulator = simulatedNodes({
  client,
  logger,
  informers,
  count: nodes,
  leaseRenewIntervalMs: nodeLeaseRenewIntervalMs(nodeMonitorGracePeriodMs),
  ...(options.stages === undefined ? {} : { stages: options.stages }),
});
const runs = [
  controllerManager({ client, logger, nodeMonitorGracePeriodMs, informers }).run(stop.signal),
  scheduler({ client, logger, informers, ...(options.scheduler === undefined ? {} : { config: options.scheduler }) }).run(stop.signal),
  simulator.run(stop.signal),
];
const progress = setInterval(() => {
  if (simulator.registeredCount < nodes) return;
  clearInterval(progress);
  send({ kind: 'nodes-ready' });
}, 50);
try {
  await Promise.all(runs);
} finally {
  clearInterval(progress);
  client.close();
  port.close();
}
