/**
 * The WebApp operator as a program: connects with the usual kubeconfig lookup (KUBECONFIG,
 * ~/.kube/config, or in-cluster), runs the WebApp controller in a Manager until Ctrl-C or SIGTERM.
 *
 *   kubectl apply -f examples/operator/crd.yaml
 *   KUBECONFIG=.kubelite/kubeconfig node dist/examples/operator/main.js
 *
 * With LEADER_ELECT=true only one replica of the operator reconciles at a time (a Lease in the
 * operator's namespace).
 */
import { KubeClient, loadConfig } from '../../src/client/index.js';
import { Manager } from '../../src/runtime/index.js';
import { webAppController } from './controller.js';

const client = new KubeClient(loadConfig());
const manager = new Manager({
  client,
  ...(process.env.LEADER_ELECT === 'true' ? { leaderElection: { namespace: client.namespace, name: 'webapp-operator' } } : {}),
});
webAppController(manager);
const stop = new AbortController();
process.once('SIGINT', () => stop.abort());
process.once('SIGTERM', () => stop.abort());
process.stderr.write('webapp operator running; Ctrl-C stops it\n');
await manager.run(stop.signal);
client.close();
