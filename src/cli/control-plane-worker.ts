/**
 * @module
 * A worker thread of `kubelite up` (see control-plane-thread.ts): the controller-manager and the
 * scheduler, or the simulated nodes, with a client of the API server on the main thread over the
 * request channel it was given.
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
const runs: Promise<void>[] = [];
let progress: NodeJS.Timeout | undefined;
if (options.role === 'controllers') {
  // The controller-manager and the scheduler read one watch per resource (pods and nodes above all).
  const informers = new SharedInformerFactory(client, { logger });
  runs.push(controllerManager({ client, logger, nodeMonitorGracePeriodMs, informers }).run(stop.signal));
  runs.push(scheduler({ client, logger, informers, ...(options.scheduler === undefined ? {} : { config: options.scheduler }) }).run(stop.signal));
} else {
  const simulator = simulatedNodes({ client, logger, count: nodes, leaseRenewIntervalMs: nodeLeaseRenewIntervalMs(nodeMonitorGracePeriodMs) });
  progress = setInterval(() => {
    if (simulator.registeredCount < nodes) return;
    clearInterval(progress);
    send({ kind: 'nodes-ready' });
  }, 50);
  runs.push(simulator.run(stop.signal));
}
try {
  await Promise.all(runs);
} finally {
  clearInterval(progress);
  client.close();
  port.close();
}
