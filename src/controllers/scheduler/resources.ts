/**
 * @module
 * Resource amounts as the scheduler adds them up: cpu in millicores, memory and ephemeral storage in
 * bytes, a pod count, and any other (extended or hugepages) resource by name. Numbers rather than
 * Quantities: every amount is an integer well below 2^53 in practice, and the filter pass adds them
 * for thousands of nodes per pod.
 *
 * Follows pkg/scheduler/framework/types.go (Resource) and k8s.io/component-helpers resource helpers
 * (PodRequests: the sum of the containers, raised to the largest init container — sidecars, init
 * containers with restartPolicy Always, run alongside and add up — plus the pod overhead), and
 * pkg/scheduler/util/pod_resources.go for the non-zero defaults used in scoring.
 */
import type { coreV1 } from '../../api/types/index.js';
import { type Quantity, safeParseQuantity } from '../../api/quantity.js';
import { BoundedMemo } from '../../api/bounded-memo.js';
import type { DeepReadonly } from '../../client/object.js';

export type Pod = DeepReadonly<coreV1.Pod>;
export type Node = DeepReadonly<coreV1.Node>;

export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  allowedPodNumber: number;
  /** Every other resource by name (extended resources, hugepages), in its integer units. */
  scalar: Map<string, number>;
}

/** Upstream's DefaultMilliCPURequest and DefaultMemoryRequest: what scoring assumes for a container that requests nothing. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/**
 * The scalars of a Resource that has none: shared, never written (see {@link scalarsOf}). Most
 * resources have none, and the scheduler makes several per pod event.
 */
const NO_SCALARS: Map<string, number> = new Map();

export function emptyResource(): Resource {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, allowedPodNumber: 0, scalar: NO_SCALARS };
}

/** `r.scalar`, made its own first if it is the shared empty one: the only way to write it. */
function scalarsOf(r: Resource): Map<string, number> {
  if (r.scalar === NO_SCALARS) r.scalar = new Map();
  return r.scalar;
}

/** A resource list (`{cpu: '500m', memory: '1Gi'}`) as a Resource; unparseable amounts count as zero. */
export function resourceFromList(list: DeepReadonly<Record<string, string>> | undefined): Resource {
  const r = emptyResource();
  if (list === undefined) return r;
  for (const name in list) {
    const amount = amountOf(list[name] ?? '');
    if (amount === undefined) continue;
    switch (name) {
      case 'cpu':
        r.milliCPU = milliOf(amount);
        break;
      case 'memory':
        r.memory = unitsOf(amount);
        break;
      case 'ephemeral-storage':
        r.ephemeralStorage = unitsOf(amount);
        break;
      case 'pods':
        r.allowedPodNumber = unitsOf(amount);
        break;
      default:
        scalarsOf(r).set(name, unitsOf(amount));
    }
  }
  return r;
}

/**
 * A parsed quantity with its counts in thousandths (cpu) and in whole units (the rest), each
 * computed when first read: a count too large to compute throws then, as an uncached parse did.
 */
interface Amount {
  readonly quantity: Quantity;
  milli?: number;
  units?: number;
}

function milliOf(amount: Amount): number {
  return (amount.milli ??= Number(amount.quantity.milliValue()));
}

function unitsOf(amount: Amount): number {
  return (amount.units ??= Number(amount.quantity.value()));
}

/**
 * Parsed quantities by text. A cluster's pods repeat a handful of strings ("100m", "128Mi")
 * thousands of times, and the scheduler reads a pod's requests whenever the pod changes; an exact
 * parse (bigints) costs microseconds. Bounded: past the limit it starts over; long texts (no real
 * amount needs more than a few characters) are parsed every time.
 */
const amounts = new BoundedMemo<string, Amount | undefined>(4096, parseAmount);
/** Longer texts are parsed every time: no real quantity is that long, and they would crowd the memo. */
const MAX_CACHED_TEXT = 64;

function amountOf(text: string): Amount | undefined {
  return text.length <= MAX_CACHED_TEXT ? amounts.get(text) : parseAmount(text);
}

function parseAmount(text: string): Amount | undefined {
  const parsed = safeParseQuantity(text);
  return parsed.ok ? { quantity: parsed.quantity } : undefined;
}

export function addResource(into: Resource, r: Resource, sign: 1 | -1 = 1): void {
  into.milliCPU += sign * r.milliCPU;
  into.memory += sign * r.memory;
  into.ephemeralStorage += sign * r.ephemeralStorage;
  into.allowedPodNumber += sign * r.allowedPodNumber;
  for (const [name, v] of r.scalar) scalarsOf(into).set(name, (into.scalar.get(name) ?? 0) + sign * v);
}

function maxInto(into: Resource, r: Resource): void {
  into.milliCPU = Math.max(into.milliCPU, r.milliCPU);
  into.memory = Math.max(into.memory, r.memory);
  into.ephemeralStorage = Math.max(into.ephemeralStorage, r.ephemeralStorage);
  for (const [name, v] of r.scalar) scalarsOf(into).set(name, Math.max(into.scalar.get(name) ?? 0, v));
}

function cloneResource(r: Resource): Resource {
  return { ...r, scalar: r.scalar.size === 0 ? NO_SCALARS : new Map(r.scalar) };
}

/** What a pod requests (PodRequests): containers summed, raised to the largest init container, plus overhead. */
export function podRequests(pod: Pod): Resource {
  const spec = pod.spec;
  const total = emptyResource();
  if (spec === undefined) return total;
  for (const c of spec.containers ?? []) addResource(total, resourceFromList(c.resources?.requests));
  const restartable = emptyResource();
  const initMax = emptyResource();
  for (const c of spec.initContainers ?? []) {
    const request = resourceFromList(c.resources?.requests);
    if (c.restartPolicy === 'Always') {
      // A sidecar keeps running next to the containers, and next to the init containers after it.
      addResource(total, request);
      addResource(restartable, request);
      maxInto(initMax, cloneResource(restartable));
    } else {
      const during = cloneResource(request);
      addResource(during, restartable);
      maxInto(initMax, during);
    }
  }
  maxInto(total, initMax);
  if (spec.overhead !== undefined) addResource(total, resourceFromList(spec.overhead));
  return total;
}

/** The cpu and memory scoring counts for a pod: as requested, with each container's missing request at the default. */
export function podNonZeroRequests(pod: Pod): { milliCPU: number; memory: number } {
  let milliCPU = 0;
  let memory = 0;
  const spec = pod.spec;
  if (spec === undefined) return { milliCPU, memory };
  const nonZero = (requests: DeepReadonly<Record<string, string>> | undefined): { cpu: number; mem: number } => {
    const r = resourceFromList(requests);
    const hasCpu = requests?.cpu !== undefined;
    const hasMem = requests?.memory !== undefined;
    return { cpu: hasCpu ? r.milliCPU : DEFAULT_MILLI_CPU_REQUEST, mem: hasMem ? r.memory : DEFAULT_MEMORY_REQUEST };
  };
  for (const c of spec.containers ?? []) {
    const r = nonZero(c.resources?.requests);
    milliCPU += r.cpu;
    memory += r.mem;
  }
  let initCpu = 0;
  let initMem = 0;
  for (const c of spec.initContainers ?? []) {
    const r = nonZero(c.resources?.requests);
    if (c.restartPolicy === 'Always') {
      milliCPU += r.cpu;
      memory += r.mem;
    } else {
      initCpu = Math.max(initCpu, r.cpu);
      initMem = Math.max(initMem, r.mem);
    }
  }
  milliCPU = Math.max(milliCPU, initCpu);
  memory = Math.max(memory, initMem);
  const overhead = resourceFromList(spec.overhead);
  return { milliCPU: milliCPU + overhead.milliCPU, memory: memory + overhead.memory };
}
