/**
 * @module
 * Schemas of networking.k8s.io/v1: Ingresses (HTTP routes from hosts and paths to Services), their
 * IngressClasses, and NetworkPolicies (k8s.io/api networking/v1 types.go; proto field numbers from
 * its generated.proto). `omitEmpty` marks the strings and numbers Go omits when zero.
 */
import { type Definition, kindListDefinition, s, typeMeta } from '../schema.js';

const NET = 'io.k8s.api.networking.v1';
const CORE = 'io.k8s.api.core.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const GROUP = 'networking.k8s.io';

const list = (kind: string, description: string): Definition => kindListDefinition(NET, { group: GROUP, version: 'v1' }, kind, description);

const INGRESS: readonly Definition[] = [
  {
    name: `${NET}.Ingress`,
    schema: s.object('Rules that route inbound HTTP(S) traffic by host and path to Services, fulfilled by an ingress controller.', {
      ...typeMeta(),
      metadata: s.objectMeta(undefined, { proto: 1 }),
      spec: s.ref(`${NET}.IngressSpec`, 'The desired routes.', { default: {}, proto: 2 }),
      status: s.ref(`${NET}.IngressStatus`, 'The load balancer the ingress controller set up.', { default: {}, proto: 3 }),
    }),
    gvk: [{ group: GROUP, version: 'v1', kind: 'Ingress' }],
  },
  list('Ingress', 'A list of Ingresses.'),
  {
    name: `${NET}.IngressSpec`,
    schema: s.object('The routes of an Ingress.', {
      ingressClassName: s.string('The IngressClass whose controller fulfils this Ingress; set from the default class when left out.', { proto: 4 }),
      defaultBackend: s.ref(`${NET}.IngressBackend`, 'Where requests that match no rule go; required without rules.', { proto: 1 }),
      tls: s.array('TLS termination on port 443, by host.', s.ref(`${NET}.IngressTLS`), { listType: 'atomic', proto: 2 }),
      rules: s.array('Host rules, each with HTTP paths and their backends.', s.ref(`${NET}.IngressRule`), { listType: 'atomic', proto: 3 }),
    }),
  },
  {
    name: `${NET}.IngressBackend`,
    schema: s.object('A Service port, or another resource of the namespace, that requests go to: exactly one of the two.', {
      service: s.ref(`${NET}.IngressServiceBackend`, 'A Service of the Ingress\'s namespace.', { proto: 4 }),
      resource: s.ref(`${CORE}.TypedLocalObjectReference`, 'Another resource of the Ingress\'s namespace.', { proto: 3 }),
    }),
  },
  {
    name: `${NET}.IngressServiceBackend`,
    schema: s.object(
      'A Service as a backend.',
      {
        name: s.string('The Service, in the Ingress\'s namespace.', { default: '', proto: 1 }),
        port: s.ref(`${NET}.ServiceBackendPort`, 'The port of the Service: a name or a number.', { default: {}, proto: 2 }),
      },
      { required: ['name'] },
    ),
  },
  {
    name: `${NET}.ServiceBackendPort`,
    schema: s.object(
      'A port of a Service, by name or by number.',
      {
        name: s.string('The name of the port on the Service.', { proto: 1, omitEmpty: true }),
        number: s.int32('The number of the port on the Service.', { proto: 2, omitEmpty: true }),
      },
      { mapType: 'atomic' },
    ),
  },
  {
    name: `${NET}.IngressRule`,
    schema: s.object(
      'The paths of one host (every host when left out).',
      {
        host: s.string('A fully qualified domain name, or a wildcard one (*.example.com); not an IP address.', { proto: 1, omitEmpty: true }),
        http: s.ref(`${NET}.HTTPIngressRuleValue`, 'The HTTP paths of the host.', { proto: 1 }),
      },
      { inlinedProto: { field: 2, properties: ['http'] } },
    ),
  },
  {
    name: `${NET}.HTTPIngressRuleValue`,
    schema: s.object(
      'HTTP paths and their backends.',
      { paths: s.array('The paths, each with its backend.', s.ref(`${NET}.HTTPIngressPath`), { listType: 'atomic', proto: 1 }) },
      { required: ['paths'] },
    ),
  },
  {
    name: `${NET}.HTTPIngressPath`,
    schema: s.object(
      'A path and the backend its requests go to.',
      {
        path: s.string("The path, starting with '/'; required for the Exact and Prefix types.", { proto: 1, omitEmpty: true }),
        pathType: s.enum('How the path matches: Exact, Prefix (by path element) or ImplementationSpecific (up to the IngressClass).', ['Exact', 'ImplementationSpecific', 'Prefix'], {
          proto: 3,
        }),
        backend: s.ref(`${NET}.IngressBackend`, 'Where matching requests go.', { default: {}, proto: 2 }),
      },
      { required: ['pathType', 'backend'] },
    ),
  },
  {
    name: `${NET}.IngressTLS`,
    schema: s.object('TLS for some hosts.', {
      hosts: s.array('The hosts the certificate is for.', s.string(''), { listType: 'atomic', proto: 1 }),
      secretName: s.string('The Secret holding the certificate and key.', { proto: 2, omitEmpty: true }),
    }),
  },
  {
    name: `${NET}.IngressStatus`,
    schema: s.object('What the ingress controller reports.', {
      loadBalancer: s.ref(`${NET}.IngressLoadBalancerStatus`, 'The load balancer serving the Ingress.', { default: {}, proto: 1 }),
    }),
  },
  {
    name: `${NET}.IngressLoadBalancerStatus`,
    schema: s.object('The entry points of a load balancer.', {
      ingress: s.array('The entry points.', s.ref(`${NET}.IngressLoadBalancerIngress`, undefined, { default: {} }), { listType: 'atomic', proto: 1 }),
    }),
  },
  {
    name: `${NET}.IngressLoadBalancerIngress`,
    schema: s.object('An entry point of a load balancer.', {
      ip: s.string('The IP of the entry point, for IP-based load balancers.', { proto: 1, omitEmpty: true }),
      hostname: s.string('The DNS name of the entry point, for DNS-based load balancers.', { proto: 2, omitEmpty: true }),
      ports: s.array('The state of each port of the entry point.', s.ref(`${NET}.IngressPortStatus`, undefined, { default: {} }), { listType: 'atomic', proto: 4 }),
    }),
  },
  {
    name: `${NET}.IngressPortStatus`,
    schema: s.object(
      'The state of a port of a load balancer.',
      {
        port: s.int32('The port number.', { default: 0, proto: 1 }),
        protocol: s.enum('The protocol: TCP, UDP or SCTP.', ['SCTP', 'TCP', 'UDP'], { default: '', proto: 2 }),
        error: s.string('What is wrong with the port, as a CamelCase reason (or domain/CamelCase).', { proto: 3 }),
      },
      { required: ['port', 'protocol'] },
    ),
  },
  {
    name: `${NET}.IngressClass`,
    schema: s.object(
      'A class of Ingresses and the controller that fulfils them; the annotation ingressclass.kubernetes.io/is-default-class: "true" makes it the class of Ingresses that name none.',
      {
        ...typeMeta(),
        metadata: s.objectMeta(undefined, { proto: 1 }),
        spec: s.ref(`${NET}.IngressClassSpec`, 'The controller and its parameters.', { default: {}, proto: 2 }),
      },
    ),
    gvk: [{ group: GROUP, version: 'v1', kind: 'IngressClass' }],
  },
  list('IngressClass', 'A list of IngressClasses.'),
  {
    name: `${NET}.IngressClassSpec`,
    schema: s.object('The controller of an IngressClass and its parameters.', {
      controller: s.string('The controller, as a domain-prefixed path of at most 250 characters (acme.io/ingress-controller). Immutable.', {
        proto: 1,
        omitEmpty: true,
      }),
      parameters: s.ref(`${NET}.IngressClassParametersReference`, 'A resource holding the controller\'s configuration; optional.', { proto: 2 }),
    }),
  },
  {
    name: `${NET}.IngressClassParametersReference`,
    schema: s.object(
      'A cluster-scoped or namespaced resource holding an IngressClass\'s parameters.',
      {
        apiGroup: s.string('The group of the resource; the core group when left out.', { proto: 1 }),
        kind: s.string('The kind of the resource.', { default: '', proto: 2 }),
        name: s.string('The name of the resource.', { default: '', proto: 3 }),
        scope: s.string('Cluster (the default) or Namespace.', { proto: 4 }),
        namespace: s.string('The namespace of the resource: required with scope Namespace, forbidden with Cluster.', { proto: 5 }),
      },
      { required: ['kind', 'name'] },
    ),
  },
];

const NETWORK_POLICY: readonly Definition[] = [
  {
    name: `${NET}.NetworkPolicy`,
    schema: s.object('Which traffic the selected pods of a namespace may receive and send.', {
      ...typeMeta(),
      metadata: s.objectMeta(undefined, { proto: 1 }),
      spec: s.ref(`${NET}.NetworkPolicySpec`, 'The pods and the traffic allowed.', { default: {}, proto: 2 }),
    }),
    gvk: [{ group: GROUP, version: 'v1', kind: 'NetworkPolicy' }],
  },
  list('NetworkPolicy', 'A list of NetworkPolicies.'),
  {
    name: `${NET}.NetworkPolicySpec`,
    schema: s.object('The pods a NetworkPolicy selects and the traffic it allows them.', {
      podSelector: s.ref(`${META}.LabelSelector`, 'The pods of the namespace the policy applies to; empty selects all.', { default: {}, proto: 1 }),
      ingress: s.array('Incoming traffic allowed (one matching rule is enough).', s.ref(`${NET}.NetworkPolicyIngressRule`), { listType: 'atomic', proto: 2 }),
      egress: s.array('Outgoing traffic allowed (one matching rule is enough).', s.ref(`${NET}.NetworkPolicyEgressRule`), { listType: 'atomic', proto: 3 }),
      policyTypes: s.array(
        'Ingress, Egress or both; when left out, Ingress, and Egress too if there are egress rules.',
        s.enum('', ['Egress', 'Ingress'], { default: '' }),
        { listType: 'atomic', proto: 4 },
      ),
    }),
  },
  {
    name: `${NET}.NetworkPolicyIngressRule`,
    schema: s.object('Traffic allowed in: on these ports and from these peers (all when left out).', {
      ports: s.array('The ports.', s.ref(`${NET}.NetworkPolicyPort`), { listType: 'atomic', proto: 1 }),
      from: s.array('The sources.', s.ref(`${NET}.NetworkPolicyPeer`), { listType: 'atomic', proto: 2 }),
    }),
  },
  {
    name: `${NET}.NetworkPolicyEgressRule`,
    schema: s.object('Traffic allowed out: on these ports and to these peers (all when left out).', {
      ports: s.array('The ports.', s.ref(`${NET}.NetworkPolicyPort`), { listType: 'atomic', proto: 1 }),
      to: s.array('The destinations.', s.ref(`${NET}.NetworkPolicyPeer`), { listType: 'atomic', proto: 2 }),
    }),
  },
  {
    name: `${NET}.NetworkPolicyPort`,
    schema: s.object('A port, or a range of ports from port to endPort, of a protocol.', {
      protocol: s.enum('TCP (the default), UDP or SCTP.', ['SCTP', 'TCP', 'UDP'], { proto: 1 }),
      port: s.intOrString('A port number or a named port of the pods; every port when left out.', { proto: 2 }),
      endPort: s.int32('The last port of the range starting at port; only with a numeric port.', { proto: 3 }),
    }),
  },
  {
    name: `${NET}.NetworkPolicyPeer`,
    schema: s.object('Pods (by pod and namespace selectors) or an IP block that traffic may come from or go to.', {
      podSelector: s.ref(`${META}.LabelSelector`, 'Pods, in the policy\'s namespace or in those namespaceSelector selects.', { proto: 1 }),
      namespaceSelector: s.ref(`${META}.LabelSelector`, 'Namespaces whose pods (those podSelector selects) are peers.', { proto: 2 }),
      ipBlock: s.ref(`${NET}.IPBlock`, 'A CIDR, with exceptions; not with the selectors.', { proto: 3 }),
    }),
  },
  {
    name: `${NET}.IPBlock`,
    schema: s.object(
      'A CIDR, less the CIDRs within it that are excepted.',
      {
        cidr: s.string('The CIDR, such as 192.168.1.0/24 or 2001:db8::/64.', { default: '', proto: 1 }),
        except: s.array('CIDRs within cidr that are not part of the block.', s.string(''), { listType: 'atomic', proto: 2 }),
      },
      { required: ['cidr'] },
    ),
  },
];

export const NETWORKING_V1: readonly Definition[] = [...INGRESS, ...NETWORK_POLICY];
