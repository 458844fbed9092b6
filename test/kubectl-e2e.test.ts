/**
 * End to end with the real kubectl (on PATH) against `kubelite up` running as its own process on
 * embedded SQLite: apply (twice, then edited), get in every output format, watch, labels and
 * annotations, scale, the three patch types, diff, delete --wait and by label, discovery commands,
 * explain, strict validation, the RBAC objects of an operator's manifest, an application's Ingress,
 * IngressClass and NetworkPolicy, and `kubectl auth can-i` and `whoami`.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type CliProcess, type KubectlRun, interruptCli, kubectl as runKubectl, kubectlOk, startCli } from './support/cli-process.js';

let dir: string;
let kubeconfig: string;
let server: CliProcess;

function kubectl(args: readonly string[], input?: string): Promise<KubectlRun> {
  return runKubectl(kubeconfig, args, input);
}

async function ok(args: readonly string[], input?: string): Promise<string> {
  return (await kubectlOk(kubeconfig, args, input)).stdout;
}

const MANIFEST = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
  labels:
    app: web
data:
  mode: fast
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.25
        env:
        - name: MODE
          value: fast
        ports:
        - containerPort: 80
          name: http
        - containerPort: 9090
          name: metrics
      - name: sidecar
        image: busybox:1.36
`;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kubelite-e2e-'));
  kubeconfig = join(dir, 'kubeconfig');
  server = await startCli(['up', '--data-dir', join(dir, 'data'), '--port', '0', '--kubeconfig', kubeconfig]);
});

after(async () => {
  await interruptCli(server);
  rmSync(dir, { recursive: true, force: true });
});

describe('kubectl against kubelite up', () => {
  it('applies a multi-document manifest, and a second apply reports everything unchanged', async () => {
    const first = await ok(['apply', '-f', '-'], MANIFEST);
    assert.match(first, /namespace\/shop created/);
    assert.match(first, /configmap\/settings created/);
    assert.match(first, /deployment.apps\/web created/);
    const second = await ok(['apply', '-f', '-'], MANIFEST);
    assert.match(second, /namespace\/shop unchanged/);
    assert.match(second, /configmap\/settings unchanged/);
    assert.match(second, /deployment.apps\/web unchanged/);
  });

  it('re-applying an edited image, an added env var and a removed port changes the lists as Kubernetes does', async () => {
    const edited = MANIFEST.replace('image: nginx:1.25', 'image: nginx:1.27')
      .replace('          value: fast\n', '          value: fast\n        - name: LOG\n          value: debug\n')
      .replace('        - containerPort: 9090\n          name: metrics\n', '');
    assert.match(await ok(['apply', '-f', '-'], edited), /deployment.apps\/web configured/);
    const deployment = JSON.parse(await ok(['get', 'deployment', 'web', '-n', 'shop', '-o', 'json'])) as {
      metadata: { generation: number; annotations: Record<string, string> };
      spec: { template: { spec: { containers: Record<string, unknown>[] } } };
    };
    const [web, sidecar] = deployment.spec.template.spec.containers;
    assert.equal(web?.image, 'nginx:1.27');
    assert.deepEqual(web?.env, [
      { name: 'MODE', value: 'fast' },
      { name: 'LOG', value: 'debug' },
    ]);
    assert.deepEqual(web?.ports, [{ containerPort: 80, name: 'http', protocol: 'TCP' }]);
    assert.equal(web?.imagePullPolicy, 'IfNotPresent');
    assert.equal(web?.terminationMessagePath, '/dev/termination-log');
    assert.equal(sidecar?.name, 'sidecar');
    assert.equal(deployment.metadata.generation, 2);
    assert.ok(deployment.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']?.includes('nginx:1.27'));
  });

  it('gets in every output format', async () => {
    assert.match(await ok(['get', 'deploy', '-n', 'shop']), /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+/);
    assert.match(await ok(['get', 'deploy', '-n', 'shop', '-o', 'wide']), /CONTAINERS\s+IMAGES\s+SELECTOR\nweb\s+.*web,sidecar\s+nginx:1.27,busybox:1.36\s+app=web/);
    assert.equal(await ok(['get', 'cm', '-n', 'shop', '-o', 'name']), 'configmap/settings\n');
    assert.equal(await ok(['get', 'cm', 'settings', '-n', 'shop', '-o', 'jsonpath={.data.mode}']), 'fast');
    assert.match(await ok(['get', 'cm', 'settings', '-n', 'shop', '-o', 'yaml']), /^apiVersion: v1\ndata:\n  mode: fast\nkind: ConfigMap\n/);
    const all = await ok(['get', 'cm', '-A', '--show-labels']);
    assert.match(all, /NAMESPACE\s+NAME\s+DATA\s+AGE\s+LABELS/);
    assert.match(all, /shop\s+settings\s+1\s+\S+\s+app=web/);
    assert.match(await ok(['get', 'ns']), /shop\s+Active/);
  });

  it('get -w shows changes as they happen', async () => {
    const watcher = spawn('kubectl', ['--kubeconfig', kubeconfig, 'get', 'cm', '-n', 'shop', '-w'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    watcher.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const waitFor = async (pattern: RegExp): Promise<void> => {
      for (let i = 0; i < 100 && !pattern.test(output); i++) await new Promise((r) => setTimeout(r, 100));
      assert.match(output, pattern);
    };
    await waitFor(/settings/);
    await ok(['create', '-n', 'shop', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: watched\n');
    await waitFor(/watched\s+0/);
    watcher.kill();
  });

  it('labels and annotates', async () => {
    assert.match(await ok(['label', 'cm', 'settings', '-n', 'shop', 'tier=cache']), /configmap\/settings labeled/);
    assert.match(await ok(['annotate', 'cm', 'settings', '-n', 'shop', 'owner=team-a']), /configmap\/settings annotated/);
    assert.equal(await ok(['get', 'cm', 'settings', '-n', 'shop', '-o', 'jsonpath={.metadata.labels.tier},{.metadata.annotations.owner}']), 'cache,team-a');
  });

  it('scales through the scale subresource', async () => {
    assert.match(await ok(['scale', 'deployment', 'web', '-n', 'shop', '--replicas=5']), /deployment.apps\/web scaled/);
    assert.equal(await ok(['get', 'deploy', 'web', '-n', 'shop', '-o', 'jsonpath={.spec.replicas}']), '5');
  });

  it('patches with JSON, merge and strategic merge patches', async () => {
    await ok(['patch', 'cm', 'settings', '-n', 'shop', '--type=json', '-p', '[{"op":"add","path":"/data/json","value":"1"}]']);
    await ok(['patch', 'cm', 'settings', '-n', 'shop', '--type=merge', '-p', '{"data":{"merge":"2"}}']);
    await ok(['patch', 'deployment', 'web', '-n', 'shop', '--type=strategic', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox:1.37"}]}}}}']);
    assert.equal(await ok(['get', 'cm', 'settings', '-n', 'shop', '-o', 'jsonpath={.data.json},{.data.merge}']), '1,2');
    assert.equal(
      await ok(['get', 'deploy', 'web', '-n', 'shop', '-o', 'jsonpath={.spec.template.spec.containers[*].image}']),
      'nginx:1.27 busybox:1.37',
    );
  });

  it('diff shows a change through a server-side dry run, and stores nothing', async () => {
    const changed = MANIFEST.replace('mode: fast', 'mode: slow');
    const diff = await kubectl(['diff', '-f', '-'], changed);
    assert.equal(diff.code, 1, diff.stderr);
    assert.match(diff.stdout, /-  mode: fast\n\+  mode: slow/);
    assert.equal(await ok(['get', 'cm', 'settings', '-n', 'shop', '-o', 'jsonpath={.data.mode}']), 'fast');
  });

  it('deletes with --wait and by label', async () => {
    for (const name of ['one', 'two']) {
      await ok(['create', '-n', 'shop', '-f', '-'], `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  labels:\n    batch: x\n`);
    }
    assert.match(await ok(['delete', 'cm', 'watched', '-n', 'shop', '--wait=true']), /configmap "watched" deleted/);
    const byLabel = await ok(['delete', 'cm', '-n', 'shop', '-l', 'batch=x']);
    assert.match(byLabel, /configmap "one" deleted/);
    assert.match(byLabel, /configmap "two" deleted/);
    assert.doesNotMatch(await ok(['get', 'cm', '-n', 'shop', '-o', 'name']), /one|two|watched/);
  });

  it('api-resources, api-versions and explain work', async () => {
    const resources = await ok(['api-resources']);
    assert.match(resources, /deployments\s+deploy\s+apps\/v1\s+true\s+Deployment/);
    assert.match(resources, /configmaps\s+cm\s+v1\s+true\s+ConfigMap/);
    const versions = await ok(['api-versions']);
    assert.match(versions, /^apps\/v1$/m);
    assert.match(versions, /^v1$/m);
    const explain = await ok(['explain', 'deployment.spec.strategy']);
    assert.match(explain, /KIND:\s+Deployment/);
    assert.match(explain, /FIELD:\s+strategy <DeploymentStrategy>/);
    assert.match(explain, /rollingUpdate/);
  });

  it('applies the RBAC objects of an operator\'s manifest; kubectl create, get -o wide and describe show them; a roleRef cannot change', async () => {
    const rbac = `apiVersion: v1
kind: ServiceAccount
metadata: { name: manager, namespace: shop }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: shop-manager }
rules:
- apiGroups: [apps]
  resources: [deployments, deployments/status]
  verbs: [get, list, watch, update, patch]
- nonResourceURLs: [/metrics]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: shop-manager }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: shop-manager }
subjects:
- { kind: ServiceAccount, name: manager, namespace: shop }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: leader-election, namespace: shop }
rules:
- apiGroups: [coordination.k8s.io]
  resources: [leases]
  verbs: [get, create, update]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: leader-election, namespace: shop }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: leader-election }
subjects:
- { kind: ServiceAccount, name: manager, namespace: shop }
`;
    assert.match(await ok(['apply', '-f', '-'], rbac), /clusterrolebinding.rbac.authorization.k8s.io\/shop-manager created/);
    assert.match(await ok(['apply', '-f', '-'], rbac), /rolebinding.rbac.authorization.k8s.io\/leader-election unchanged/);
    await ok(['create', 'rolebinding', 'readers', '-n', 'shop', '--clusterrole=shop-manager', '--user=jane', '--group=devs']);
    assert.match(await ok(['get', 'rolebindings', '-n', 'shop', '-o', 'wide']), /readers\s+ClusterRole\/shop-manager\s+\S+\s+jane\s+devs\s/);
    assert.match(await ok(['get', 'clusterrolebinding', 'shop-manager', '-o', 'wide']), /shop-manager\s+ClusterRole\/shop-manager\s+\S+\s+shop\/manager/);
    assert.match(await ok(['get', 'clusterrole', 'shop-manager']), /^NAME\s+CREATED AT\nshop-manager\s+\d{4}-\d\d-\d\dT/);
    assert.match(await ok(['describe', 'clusterrole', 'shop-manager']), /deployments\.apps\s+\[\]\s+\[\]\s+\[get list watch update patch\]/);
    const changed = await kubectl(['patch', 'rolebinding', 'readers', '-n', 'shop', '--type=merge', '-p', '{"roleRef":{"name":"other"}}']);
    assert.notEqual(changed.code, 0);
    assert.match(changed.stderr, /The RoleBinding "readers" is invalid: roleRef: Invalid value: .*: cannot change roleRef/);
    const invalid = await kubectl(['create', 'role', 'urls', '-n', 'shop', '--verb=get', '--resource=pods', '--resource-name=a', '--resource=services']);
    assert.notEqual(invalid.code, 0);
    assert.match(invalid.stderr, /resource names cannot apply to multiple resources|resource name\(s\) can not be applied to multiple resources/);
  });

  it('applies an Ingress, which gets the default IngressClass, and a NetworkPolicy; kubectl create ingress, get and describe work', async () => {
    const networking = `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
  annotations: { ingressclass.kubernetes.io/is-default-class: "true" }
spec: { controller: k8s.io/ingress-nginx }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web, namespace: shop }
spec:
  tls: [ { hosts: [shop.example.com], secretName: shop-tls } ]
  rules:
  - host: shop.example.com
    http:
      paths:
      - { path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web-only, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  ingress: [ { from: [ { podSelector: { matchLabels: { app: web } } } ], ports: [ { port: 5432 } ] } ]
`;
    assert.match(await ok(['apply', '-f', '-'], networking), /ingress.networking.k8s.io\/web created/);
    // The NetworkPolicy reads "configured" again, as against Kubernetes: its ingress list has no merge
    // key, so the defaulted protocol makes kubectl send the whole list again.
    assert.match(await ok(['apply', '-f', '-'], networking), /ingress.networking.k8s.io\/web unchanged/);
    assert.match(await ok(['get', 'ingress', '-n', 'shop']), /^NAME\s+CLASS\s+HOSTS\s+ADDRESS\s+PORTS\s+AGE\nweb\s+nginx\s+shop\.example\.com\s+80, 443\s/);
    await ok(['create', 'ingress', 'api', '-n', 'shop', '--rule=api.example.com/v1*=api:http']);
    assert.equal(await ok(['get', 'ing', 'api', '-n', 'shop', '-o', 'jsonpath={.spec.ingressClassName} {.spec.rules[0].http.paths[0].pathType} {.spec.rules[0].http.paths[0].backend.service.port.name}']), 'nginx Prefix http');
    assert.match(await ok(['describe', 'ingress', 'web', '-n', 'shop']), /shop-tls terminates shop\.example\.com/);
    assert.match(await ok(['get', 'netpol', '-n', 'shop']), /web-only\s+app=db\s/);
    assert.equal(await ok(['get', 'netpol', 'web-only', '-n', 'shop', '-o', 'jsonpath={.spec.policyTypes} {.spec.ingress[0].ports[0].protocol}']), '["Ingress"] TCP');
    const bad = await kubectl(['create', 'ingress', 'bad', '-n', 'shop', '--rule=10.0.0.1/=web:80']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /spec.rules\[0\].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address/);
  });

  it('kubectl auth can-i answers yes, --list shows every verb on everything, and whoami names system:admin', async () => {
    assert.equal((await ok(['auth', 'can-i', 'delete', 'nodes'])).trim(), 'yes');
    assert.equal((await ok(['auth', 'can-i', 'get', '/healthz'])).trim(), 'yes');
    assert.match(await ok(['auth', 'can-i', '--list', '-n', 'shop']), /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs\n\*\.\*\s+\[\]\s+\[\]\s+\[\*\]\n\s+\[\*\]\s+\[\]\s+\[\*\]/);
    assert.match(await ok(['auth', 'whoami']), /Username\s+system:admin\nGroups\s+\[system:masters system:authenticated\]/);
    assert.match(await ok(['api-resources', '--api-group=authorization.k8s.io', '-o', 'wide']), /selfsubjectaccessreviews\s+authorization.k8s.io\/v1\s+false\s+SelfSubjectAccessReview\s+create/);
    const listed = await kubectl(['get', 'selfsubjectaccessreviews']);
    assert.notEqual(listed.code, 0);
    assert.match(listed.stderr, /\(MethodNotAllowed\): the server does not allow this method on the requested resource/);
  });

  it('--validate=strict refuses an unknown field with kubectl\'s usual message', async () => {
    const run = await kubectl(['apply', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: strict\n  namespace: shop\nbogus: 1\n');
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /Error from server \(BadRequest\): error when creating "STDIN": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus"/);
  });
});
