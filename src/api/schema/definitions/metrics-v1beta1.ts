/**
 * @module
 * Schemas of the resource metrics API, metrics.k8s.io/v1beta1: NodeMetrics and PodMetrics, what
 * metrics-server serves and `kubectl top` reads. k8s.io/metrics pkg/apis/metrics/v1beta1 types.go;
 * proto field numbers from its generated.proto.
 */
import { type Definition, s, typeMeta } from '../schema.js';

const METRICS = 'io.k8s.metrics.pkg.apis.metrics.v1beta1';

const usage = (description: string, proto: number): ReturnType<typeof s.map> => s.map(description, s.quantity(''), { proto });

/** The fields NodeMetrics and PodMetrics share: what was measured, when, and over how long. */
const measurement = {
  ...typeMeta(),
  metadata: s.objectMeta(undefined, { proto: 1 }),
  timestamp: s.time('When the window of the measurement ended.', { proto: 2 }),
  window: s.string('How long the measurement ran, a duration ("20s").', { proto: 3 }),
};

export const METRICS_V1BETA1: readonly Definition[] = [
  {
    name: `${METRICS}.NodeMetrics`,
    schema: s.object("A node's resource usage, measured over a window ending at a time.", {
      ...measurement,
      usage: usage('The memory and CPU the node used.', 4),
    }),
    gvk: [{ group: 'metrics.k8s.io', version: 'v1beta1', kind: 'NodeMetrics' }],
  },
  {
    name: `${METRICS}.PodMetrics`,
    schema: s.object("A pod's resource usage, container by container, measured over a window ending at a time.", {
      ...measurement,
      containers: s.array('The usage of each container of the pod.', s.ref(`${METRICS}.ContainerMetrics`, undefined, { default: {} }), { listType: 'atomic', proto: 4 }),
    }),
    gvk: [{ group: 'metrics.k8s.io', version: 'v1beta1', kind: 'PodMetrics' }],
  },
  {
    name: `${METRICS}.ContainerMetrics`,
    schema: s.object("A container's resource usage.", {
      name: s.string('The name of the container, as in the pod spec.', { default: '', proto: 1 }),
      usage: usage('The memory and CPU the container used.', 2),
    }),
  },
];
