/**
 * ValidatingAdmissionPolicies with the real kubectl against `kubelite up` in its own process: a
 * policy and its binding applied from YAML are listed with upstream's columns, `kubectl create
 * deployment` with too many replicas is refused with the policy's message, and a Warn binding's
 * warning is printed as kubectl prints every API warning.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type UpCluster, kubectl, kubectlOk, startKubeliteUp } from './support/cli-process.js';
import { eventually } from './support/eventually.js';

let cluster: UpCluster;
let kubeconfig: string;

const POLICIES = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: max-replicas.example.com
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - apiGroups: ["apps"]
      apiVersions: ["v1"]
      operations: ["CREATE", "UPDATE"]
      resources: ["deployments"]
  validations:
  - expression: "object.spec.replicas <= 5"
    messageExpression: "'replicas must be at most 5, not ' + string(object.spec.replicas)"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: max-replicas-binding
spec:
  policyName: max-replicas.example.com
  validationActions: [Deny]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: tagged-images.example.com
spec:
  matchConstraints:
    resourceRules:
    - apiGroups: ["apps"]
      apiVersions: ["v1"]
      operations: ["CREATE"]
      resources: ["deployments"]
  validations:
  - expression: "object.spec.template.spec.containers.all(c, c.image.contains(':'))"
    message: "images should carry a tag"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: tagged-images-binding
spec:
  policyName: tagged-images.example.com
  validationActions: [Warn]
`;

before(async () => {
  cluster = await startKubeliteUp('kubelite-policies');
  kubeconfig = cluster.kubeconfig;
  const applied = await kubectlOk(kubeconfig, ['apply', '-f', '-'], POLICIES);
  assert.match(applied.stdout, /validatingadmissionpolicy.admissionregistration.k8s.io\/max-replicas.example.com created/);
  assert.match(applied.stdout, /validatingadmissionpolicybinding.admissionregistration.k8s.io\/tagged-images-binding created/);
});

after(async () => {
  await cluster.stop();
});

describe('kubectl with ValidatingAdmissionPolicies', () => {
  it('lists policies and bindings with upstream\'s columns', async () => {
    assert.match(
      (await kubectlOk(kubeconfig, ['get', 'validatingadmissionpolicies'])).stdout,
      /^NAME\s+VALIDATIONS\s+PARAMKIND\s+AGE\nmax-replicas\.example\.com\s+1\s+<unset>\s+\d+s\ntagged-images\.example\.com\s+1\s+<unset>\s+\d+s\n$/,
    );
    assert.match(
      (await kubectlOk(kubeconfig, ['get', 'validatingadmissionpolicybindings'])).stdout,
      /^NAME\s+POLICYNAME\s+PARAMREF\s+AGE\nmax-replicas-binding\s+max-replicas\.example\.com\s+<unset>\s+\d+s\n/,
    );
  });

  it('refuses `kubectl create deployment` with too many replicas, with the policy\'s message', async () => {
    const run = await eventually(async () => {
      const result = await kubectl(kubeconfig, ['create', 'deployment', 'big', '--image=nginx:1.27', '--replicas=7']);
      if (result.code !== 0) return result;
      await kubectlOk(kubeconfig, ['delete', 'deployment', 'big']); // created before the server's cache had the binding
      return undefined;
    }, 'the policy to refuse the deployment');
    assert.match(run.stderr, /ValidatingAdmissionPolicy 'max-replicas\.example\.com' with binding 'max-replicas-binding' denied request: replicas must be at most 5, not 7/);
    assert.match((await kubectl(kubeconfig, ['get', 'deployment', 'big'])).stderr, /NotFound|not found/);
  });

  it('prints a Warn binding\'s warning and creates the deployment', async () => {
    const run = await eventually(async () => {
      const result = await kubectl(kubeconfig, ['create', 'deployment', 'untagged', '--image=nginx', '--replicas=1']);
      if (result.stderr.includes('Warning')) return result;
      if (result.code === 0) await kubectlOk(kubeconfig, ['delete', 'deployment', 'untagged']);
      return undefined;
    }, 'the warning');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /Warning: Validation failed for ValidatingAdmissionPolicy 'tagged-images\.example\.com' with binding 'tagged-images-binding': images should carry a tag/);
    assert.match(run.stdout, /deployment.apps\/untagged created/);
  });
});
