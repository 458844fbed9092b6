/**
 * @module
 * Finding a config without being told where: the order controller-runtime's `config.GetConfig` uses
 * (sigs.k8s.io/controller-runtime pkg/client/config/config.go `loadConfig`), so a controller built on
 * kubelite runs unchanged on a laptop and in a pod.
 */
import { existsSync } from 'node:fs';
import { defaultKubeconfigPath, kubeconfigEnvPaths, loadKubeconfig } from './kubeconfig.js';
import { inClusterConfig, isInCluster, SERVICE_ACCOUNT_DIR } from './in-cluster.js';
import type { RestConfig } from './rest-config.js';

export interface LoadConfigOptions {
  /** An explicit kubeconfig path (a --kubeconfig flag); it must exist. */
  readonly kubeconfig?: string;
  /** The context to use instead of the kubeconfig's current-context. */
  readonly context?: string;
  /** Environment read for KUBECONFIG, HOME and the in-cluster variables (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
  /** Service account directory for the in-cluster step (default the kubelet's mount point). */
  readonly serviceAccountDir?: string;
}

export class ConfigNotFoundError extends Error {
  override readonly name = 'ConfigNotFoundError';
}

/**
 * The first config found, in this order:
 * 1. `options.kubeconfig`, if given;
 * 2. the files in $KUBECONFIG, if it is set (in-cluster is then not tried, as in controller-runtime);
 * 3. the pod's service account, when running in a cluster;
 * 4. ~/.kube/config.
 * A source that exists but is broken is an error, not a reason to fall through: silently using
 * another cluster than the one configured would be worse than failing.
 */
export function loadConfig(options: LoadConfigOptions = {}): RestConfig {
  const env = options.env ?? process.env;
  const selection = options.context !== undefined ? { context: options.context } : {};
  if (options.kubeconfig !== undefined && options.kubeconfig !== '') {
    return loadKubeconfig({ ...selection, paths: [options.kubeconfig], env });
  }
  const fromEnv = kubeconfigEnvPaths(env);
  if (fromEnv.length > 0) return loadKubeconfig({ ...selection, env });

  const tried = ['--kubeconfig (not given)', 'KUBECONFIG (unset)'];
  const dir = options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  // A named context can only come from a kubeconfig, so in-cluster is skipped then rather than
  // silently ignoring the name (controller-runtime would use in-cluster and drop the context).
  if (options.context !== undefined) {
    tried.push('in-cluster (skipped: a context was named)');
  } else if (isInCluster(env, dir)) {
    return inClusterConfig({ env, dir });
  } else {
    tried.push(`in-cluster (${inClusterAbsence(env, dir)})`);
  }

  const home = defaultKubeconfigPath(env);
  if (existsSync(home)) return loadKubeconfig({ ...selection, paths: [home], env });
  tried.push(`${home} (not found)`);
  throw new ConfigNotFoundError(
    `no Kubernetes client configuration found; tried: ${tried.join(', ')}. ` +
      'Pass a kubeconfig path, set KUBECONFIG, create ~/.kube/config, or run inside a pod.',
  );
}

function inClusterAbsence(env: NodeJS.ProcessEnv, dir: string): string {
  if (!env['KUBERNETES_SERVICE_HOST'] || !env['KUBERNETES_SERVICE_PORT']) return 'KUBERNETES_SERVICE_HOST/PORT unset';
  return `no service account token in ${dir}`;
}
