/**
 * @module
 * kubelite/testing: a real kubelite control plane inside a test, with faults to inject.
 */
export { startTestCluster, type TestCluster, type TestClusterOptions } from './test-cluster.js';
export { Faults, type Fault, type FaultAction, type FaultRule, type RequestMatch } from './faults.js';
export { installCrds } from './crds.js';
