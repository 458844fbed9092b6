/**
 * @module
 * The control plane's roles, composed from src/controllers and src/node over one client: the
 * controller-manager (Deployment, ReplicaSet, DaemonSet, StatefulSet, Job, CronJob, Endpoints,
 * EndpointSlice, node lifecycle, garbage collector, namespace, and for volumes the PersistentVolume
 * binder, the simulated provisioner and the two protection controllers), the scheduler, and the simulated
 * nodes. `kubelite up` runs them all in the API server's process over an in-process client;
 * `kubelite controller-manager`, `kubelite scheduler` and `kubelite nodes` run one role against a
 * kubeconfig, the first two under leader election when asked (the kube-controller-manager and
 * kube-scheduler Leases in kube-system), so two of each can run.
 */
import type { SharedInformerFactory } from '../client/cache/informer-factory.js';
import type { SchedulerConfig } from './scheduler-config.js';
import type { KubeClient } from '../client/kube-client.js';
import { CronJobController } from '../controllers/cronjob/cronjob-controller.js';
import { DaemonSetController } from '../controllers/daemonset/daemonset-controller.js';
import { DeploymentController } from '../controllers/deployment/deployment-controller.js';
import { EndpointsController } from '../controllers/endpoints/endpoints-controller.js';
import { EndpointSliceController } from '../controllers/endpoints/endpointslice-controller.js';
import { GarbageCollectorController } from '../controllers/garbage-collector/controller.js';
import { JobController } from '../controllers/job/job-controller.js';
import { namespaceController } from '../controllers/namespace/namespace-controller.js';
import { NodeLifecycleController } from '../controllers/node-lifecycle/node-lifecycle-controller.js';
import { ReplicaSetController } from '../controllers/replicaset/replica-set-controller.js';
import { Scheduler } from '../controllers/scheduler/scheduler.js';
import { StatefulSetController } from '../controllers/statefulset/stateful-set-controller.js';
import { PersistentVolumeController, PvProtectionController, PvcProtectionController, SimulatedProvisioner } from '../controllers/volume/index.js';
import { NODE_LEASE_DURATION_SECONDS, renewIntervalMs } from '../node/node-lease.js';
import { NodeSimulator } from '../node/node-simulator.js';
import type { Stage } from '../node/stages.js';
import { type LeaderElectionOptions, Manager } from '../runtime/manager.js';
import type { Logger } from '../util/logger.js';

export interface ControllerManagerOptions {
  readonly client: KubeClient;
  readonly logger: Logger;
  /** Elect a leader among controller-managers. @defaultValue none (the only one) */
  readonly leaderElection?: LeaderElectionOptions;
  /**
   * --node-monitor-grace-period: silence after which a node is NotReady (Unknown).
   * @defaultValue 50 s, upstream's since 1.32 (DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS)
   */
  readonly nodeMonitorGracePeriodMs?: number;
  /** An informer factory shared with the other roles of this process (see ManagerOptions.informers). */
  readonly informers?: SharedInformerFactory;
}

/** The controller-manager: every controller, sharing one informer factory. */
export function controllerManager(options: ControllerManagerOptions): Manager {
  const manager = new Manager({
    client: options.client,
    logger: options.logger,
    ...(options.leaderElection === undefined ? {} : { leaderElection: options.leaderElection }),
    ...(options.informers === undefined ? {} : { informers: options.informers }),
  });
  const factory = manager.informers;
  const shared = { client: options.client, informers: factory, logger: options.logger };
  manager.add(new DeploymentController(shared));
  manager.add(new ReplicaSetController(shared));
  manager.add(new DaemonSetController(shared));
  manager.add(new StatefulSetController(shared));
  manager.add(new JobController(shared));
  manager.add(new CronJobController(shared));
  manager.add(new EndpointsController(shared));
  manager.add(new EndpointSliceController(shared));
  manager.add(new PersistentVolumeController(shared));
  manager.add(new SimulatedProvisioner(shared));
  manager.add(new PvcProtectionController(shared));
  manager.add(new PvProtectionController(shared));
  manager.add(new NodeLifecycleController({
    ...shared,
    ...(options.nodeMonitorGracePeriodMs === undefined ? {} : { nodeMonitorGracePeriodMs: options.nodeMonitorGracePeriodMs }),
  }));
  manager.add(new GarbageCollectorController({ client: options.client, factory, logger: options.logger }));
  manager.add(namespaceController({ client: options.client, factory, logger: options.logger }));
  return manager;
}

export interface SchedulerRoleOptions extends Omit<ControllerManagerOptions, 'nodeMonitorGracePeriodMs'> {
  /** What a KubeSchedulerConfiguration file set (scheduler-config.ts). @defaultValue upstream's defaults */
  readonly config?: SchedulerConfig;
}

/** The scheduler (default-scheduler unless configured otherwise), under leader election when asked. */
export function scheduler(options: SchedulerRoleOptions): Manager {
  const manager = new Manager({
    client: options.client,
    logger: options.logger,
    ...(options.leaderElection === undefined ? {} : { leaderElection: options.leaderElection }),
    ...(options.informers === undefined ? {} : { informers: options.informers }),
  });
  const { extenders = [], ...settings } = options.config ?? {};
  manager.add(new Scheduler({ client: options.client, informers: manager.informers, logger: options.logger, extenders, ...settings }));
  return manager;
}

export interface NodesOptions {
  readonly client: KubeClient;
  readonly logger: Logger;
  readonly count: number;
  readonly stages?: readonly Stage[];
  /** How often each node renews its Lease. @defaultValue 10 s, the kubelet's (0.25 × 40 s) */
  readonly leaseRenewIntervalMs?: number;
  /** An informer factory shared with the controllers of this thread (see NodeSimulatorOptions.informers). */
  readonly informers?: SharedInformerFactory;
}

/**
 * The Lease renew interval for nodes watched with a node monitor grace period of `gracePeriodMs`:
 * the kubelet's 10 s, or a fifth of the grace period when that is shorter (the ratio of the
 * defaults, 10 s to 50 s), so that a shortened grace period (`kubelite up
 * --node-monitor-grace-period 5s`) never takes a healthy node for a silent one.
 */
export function nodeLeaseRenewIntervalMs(gracePeriodMs: number): number {
  return Math.min(renewIntervalMs(NODE_LEASE_DURATION_SECONDS), gracePeriodMs / 5);
}

/**
 * N simulated nodes; more than 256 need a cluster CIDR wider than the default /16. Every real node
 * has a kubelet writing its pods' status; the simulator's pod status writers grow with the nodes (one
 * per 8 nodes, 16 to 128), so a thousand nodes starting pods are not held to the pace of sixteen.
 */
export function simulatedNodes(options: NodesOptions): NodeSimulator {
  return new NodeSimulator({
    client: options.client,
    count: options.count,
    logger: options.logger,
    podWorkers: Math.min(128, Math.max(16, Math.ceil(options.count / 8))),
    ...(options.count > 256 ? { clusterCIDR: '10.0.0.0/8' } : {}),
    ...(options.stages === undefined ? {} : { stages: options.stages }),
    ...(options.leaseRenewIntervalMs === undefined ? {} : { leaseRenewIntervalMs: options.leaseRenewIntervalMs }),
    ...(options.informers === undefined ? {} : { informers: options.informers }),
  });
}
