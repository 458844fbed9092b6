/**
 * @module
 * Schema of scheduling.k8s.io/v1 PriorityClass: a name mapped to the priority value (and preemption
 * policy) that pods naming it receive (k8s.io/api scheduling/v1 types.go; field numbers from its
 * generated.proto).
 */
import { type Definition, s, typeMeta } from '../schema.js';

const SCHEDULING = 'io.k8s.api.scheduling.v1';

export const SCHEDULING_V1: readonly Definition[] = [
  {
    name: `${SCHEDULING}.PriorityClass`,
    schema: s.object(
      'A name for a pod priority: pods that name the class in spec.priorityClassName get its value as spec.priority, and its preemption policy. Not namespaced.',
      {
        ...typeMeta(),
        metadata: s.objectMeta(undefined, { proto: 1 }),
        value: s.int32(
          'The priority pods of this class receive; higher is more important. User-defined classes may go up to 1000000000; larger values are reserved for the system classes.',
          { default: 0, proto: 2 },
        ),
        globalDefault: s.boolean(
          'Whether pods that name no priority class get this one. Only one class may be the global default; should several be, the one with the smallest value applies.',
          { proto: 3, omitEmpty: true },
        ),
        description: s.string('Free text, usually saying when the class should be used.', { proto: 4, omitEmpty: true }),
        preemptionPolicy: s.enum(
          'Whether pods of this class may preempt lower-priority pods: PreemptLowerPriority (the default) or Never. Immutable.',
          ['Never', 'PreemptLowerPriority'],
          { proto: 5 },
        ),
      },
      { required: ['value'] },
    ),
    gvk: [{ group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass' }],
  },
];
