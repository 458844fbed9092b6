/**
 * @module
 * Schemas of apiextensions.k8s.io/v1: CustomResourceDefinition with its spec (group, names, scope,
 * versions with their schemas, subresources, printer columns and selectable fields, conversion),
 * its status (conditions, accepted names, stored versions) and JSONSchemaProps, the OpenAPI v3
 * subset a version's schema is written in (k8s.io/apiextensions-apiserver pkg/apis/apiextensions/v1
 * types.go and types_jsonschema.go; protobuf numbers from their generated.proto).
 *
 * JSONSchemaProps refers to itself (properties, items, allOf, …). Fields whose Go type is a union
 * (JSONSchemaPropsOrArray, JSONSchemaPropsOrBool, JSONSchemaPropsOrStringArray) or free JSON
 * (default, enum, example) are `any` here: they are kept exactly as written.
 */
import { type Definition, s, typeMeta } from '../schema.js';

const AX = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';
const JSON_SCHEMA_PROPS = `${AX}.JSONSchemaProps`;

/** A list that is replaced as a whole, never merged item by item (+listType=atomic). */
const atomic = { listType: 'atomic' } as const;

const CRD_DEFINITIONS: readonly Definition[] = [
  {
    name: `${AX}.CustomResourceDefinition`,
    schema: s.object(
      'A new kind the API server serves: the resource `<names.plural>.<group>` with its versions, schemas and subresources. Its name must be `<names.plural>.<group>`.',
      {
        ...typeMeta(),
        metadata: s.objectMeta(undefined, { proto: 1 }),
        spec: s.ref(`${AX}.CustomResourceDefinitionSpec`, 'How the custom resource should look and be served.', { default: {}, proto: 2 }),
        status: s.ref(`${AX}.CustomResourceDefinitionStatus`, 'What the API server made of the definition: the names it accepted and whether it serves them. Read-only.', {
          default: {},
          proto: 3,
        }),
      },
      { required: ['spec'] },
    ),
    gvk: [{ group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' }],
  },
  {
    name: `${AX}.CustomResourceDefinitionSpec`,
    schema: s.object(
      'How a custom resource should look and be served.',
      {
        group: s.string('The API group the custom resources belong to; they are served under /apis/<group>/…. A DNS subdomain with at least one dot. Cannot be changed.', {
          default: '',
          proto: 1,
        }),
        names: s.ref(`${AX}.CustomResourceDefinitionNames`, 'The resource and kind names of the custom resource.', { default: {}, proto: 3 }),
        scope: s.string('Whether the custom resources live in namespaces (Namespaced) or cluster-wide (Cluster).', { default: '', proto: 4 }),
        versions: s.array(
          'Every API version of the custom resource. Exactly one is the storage version; the served ones are reachable under /apis/<group>/<version>/….',
          s.ref(`${AX}.CustomResourceDefinitionVersion`, undefined, { default: {} }),
          { ...atomic, proto: 7 },
        ),
        conversion: s.ref(`${AX}.CustomResourceConversion`, 'How custom resources are converted between versions. Defaults to the None strategy.', { proto: 9 }),
        preserveUnknownFields: s.boolean(
          'Deprecated: keep fields the schema does not declare. Prefer x-kubernetes-preserve-unknown-fields in the schema.',
          { proto: 10, omitEmpty: true },
        ),
      },
      { required: ['group', 'names', 'scope', 'versions'] },
    ),
  },
  {
    name: `${AX}.CustomResourceDefinitionNames`,
    schema: s.object(
      'The names a custom resource is known by, in URLs, in bodies and on the command line.',
      {
        plural: s.string('The plural, lower-case resource name used in URLs (/apis/<group>/<version>/<plural>). Must match the definition’s name.', {
          default: '',
          proto: 1,
        }),
        singular: s.string('The singular, lower-case name. Defaults to the kind in lower case.', { proto: 2, omitEmpty: true }),
        shortNames: s.array('Short lower-case aliases, e.g. for `kubectl get <shortname>`.', s.string('', { default: '' }), { ...atomic, proto: 3 }),
        kind: s.string('The kind of the objects, normally CamelCase and singular; what their `kind` field says.', { default: '', proto: 4 }),
        listKind: s.string('The kind of lists of the objects. Defaults to `<kind>List`.', { proto: 5, omitEmpty: true }),
        categories: s.array('Groups of resources this one belongs to, e.g. `all` for `kubectl get all`.', s.string('', { default: '' }), {
          ...atomic,
          proto: 6,
        }),
      },
      { required: ['plural', 'kind'] },
    ),
  },
  {
    name: `${AX}.CustomResourceDefinitionVersion`,
    schema: s.object(
      'One API version of a custom resource.',
      {
        name: s.string('The version name, such as v1 or v2beta1; served under /apis/<group>/<version>/… when served is true.', { default: '', proto: 1 }),
        served: s.boolean('Whether this version is served by the REST API.', { default: false, proto: 2 }),
        storage: s.boolean('Whether objects are persisted in this version. Exactly one version is the storage version.', { default: false, proto: 3 }),
        deprecated: s.boolean('Whether this version is deprecated: requests to it get a warning.', { proto: 7, omitEmpty: true }),
        deprecationWarning: s.string('The warning deprecated requests get instead of the default one. Only for deprecated versions.', { proto: 8 }),
        schema: s.ref(`${AX}.CustomResourceValidation`, 'The schema of this version: for validation, pruning and defaulting.', { proto: 4 }),
        subresources: s.ref(`${AX}.CustomResourceSubresources`, 'The subresources (status, scale) this version serves.', { proto: 5 }),
        additionalPrinterColumns: s.array(
          'Extra columns of Table output (kubectl get). Without any, the table shows the age of each object.',
          s.ref(`${AX}.CustomResourceColumnDefinition`, undefined, { default: {} }),
          { ...atomic, proto: 6 },
        ),
        selectableFields: s.array(
          'Fields that field selectors may use, besides metadata.name and metadata.namespace.',
          s.ref(`${AX}.SelectableField`, undefined, { default: {} }),
          { ...atomic, proto: 9 },
        ),
      },
      { required: ['name', 'served', 'storage'] },
    ),
  },
  {
    name: `${AX}.CustomResourceValidation`,
    schema: s.object('The validation schema of a version.', {
      openAPIV3Schema: s.ref(JSON_SCHEMA_PROPS, 'The OpenAPI v3 schema objects of this version are validated and pruned against.', { proto: 1 }),
    }),
  },
  {
    name: `${AX}.CustomResourceSubresources`,
    schema: s.object('The subresources of a custom resource version.', {
      status: s.ref(
        `${AX}.CustomResourceSubresourceStatus`,
        'Serve /status: writes to the object then ignore its status, and writes to /status change nothing but the status.',
        { proto: 1 },
      ),
      scale: s.ref(`${AX}.CustomResourceSubresourceScale`, 'Serve /scale as an autoscaling/v1 Scale.', { proto: 2 }),
    }),
  },
  {
    name: `${AX}.CustomResourceSubresourceStatus`,
    schema: s.object('The status subresource: the `.status` of an object, written through /status. It has no settings.', {}),
  },
  {
    name: `${AX}.CustomResourceSubresourceScale`,
    schema: s.object(
      'Where the scale subresource finds the replicas and the selector in a custom resource.',
      {
        specReplicasPath: s.string('JSON path of the desired replicas (Scale spec.replicas), under .spec, without array notation.', { default: '', proto: 1 }),
        statusReplicasPath: s.string('JSON path of the observed replicas (Scale status.replicas), under .status, without array notation.', {
          default: '',
          proto: 2,
        }),
        labelSelectorPath: s.string(
          'JSON path of the label selector, in its string form (Scale status.selector), under .spec or .status. Needed by HorizontalPodAutoscalers.',
          { proto: 3 },
        ),
      },
      { required: ['specReplicasPath', 'statusReplicasPath'] },
    ),
  },
  {
    name: `${AX}.CustomResourceColumnDefinition`,
    schema: s.object(
      'A column of Table output.',
      {
        name: s.string('The column heading.', { default: '', proto: 1 }),
        type: s.string('The OpenAPI type of the column: integer, number, string, boolean or date.', { default: '', proto: 2 }),
        format: s.string('An optional OpenAPI format of the column; `name` marks the column holding the object name.', { proto: 3, omitEmpty: true }),
        description: s.string('What the column shows.', { proto: 4, omitEmpty: true }),
        priority: s.int32('How important the column is: 0 always shows, higher numbers only in wide output.', { proto: 5, omitEmpty: true }),
        jsonPath: s.string('A simple JSON path evaluated against each object to fill the column.', { default: '', proto: 6 }),
      },
      { required: ['name', 'type', 'jsonPath'] },
    ),
  },
  {
    name: `${AX}.SelectableField`,
    schema: s.object(
      'A field field selectors may use.',
      { jsonPath: s.string('A simple JSON path to a string, integer or boolean field, outside metadata.', { default: '', proto: 1 }) },
      { required: ['jsonPath'] },
    ),
  },
  {
    name: `${AX}.CustomResourceConversion`,
    schema: s.object(
      'How custom resources are converted between versions.',
      {
        strategy: s.string('None (only apiVersion changes) or Webhook (an external webhook converts).', { default: '', proto: 1 }),
        webhook: s.ref(`${AX}.WebhookConversion`, 'How to call the conversion webhook; required for the Webhook strategy.', { proto: 2 }),
      },
      { required: ['strategy'] },
    ),
  },
  {
    name: `${AX}.WebhookConversion`,
    schema: s.object(
      'How to call a conversion webhook.',
      {
        clientConfig: s.ref(`${AX}.WebhookClientConfig`, 'Where the webhook is and how to trust it.', { proto: 2 }),
        conversionReviewVersions: s.array(
          'The ConversionReview versions the webhook understands, most preferred first.',
          s.string('', { default: '' }),
          { ...atomic, proto: 3 },
        ),
      },
      { required: ['conversionReviewVersions'] },
    ),
  },
  {
    name: `${AX}.WebhookClientConfig`,
    schema: s.object('How to reach a webhook over TLS: a URL or an in-cluster Service.', {
      url: s.string('The webhook URL (https://host:port/path); exactly one of url and service is set.', { proto: 3 }),
      service: s.ref(`${AX}.ServiceReference`, 'The Service in front of the webhook; exactly one of url and service is set.', { proto: 1 }),
      caBundle: s.string('PEM certificates to verify the webhook’s serving certificate; the system roots when empty.', { format: 'byte', proto: 2 }),
    }),
  },
  {
    name: `${AX}.ServiceReference`,
    schema: s.object(
      'A Service in the cluster.',
      {
        namespace: s.string('The namespace of the Service.', { default: '', proto: 1 }),
        name: s.string('The name of the Service.', { default: '', proto: 2 }),
        path: s.string('The URL path requests are sent to.', { proto: 3 }),
        port: s.int32('The Service port, 1–65535. Defaults to 443.', { proto: 4 }),
      },
      { required: ['namespace', 'name'] },
    ),
  },
  {
    name: `${AX}.CustomResourceDefinitionStatus`,
    schema: s.object('What the API server made of a CustomResourceDefinition.', {
      conditions: s.array(
        'The state of the definition: NamesAccepted, Established, Terminating, KubernetesAPIApprovalPolicyConformant.',
        s.ref(`${AX}.CustomResourceDefinitionCondition`, undefined, { default: {} }),
        { listType: 'map', listMapKeys: ['type'], proto: 1 },
      ),
      acceptedNames: s.ref(`${AX}.CustomResourceDefinitionNames`, 'The names actually served; they may differ from spec.names while those conflict.', {
        default: {},
        proto: 2,
      }),
      storedVersions: s.array(
        'Every version objects were ever persisted in; a version stays in spec.versions while it is listed here.',
        s.string('', { default: '' }),
        { ...atomic, proto: 3 },
      ),
    }),
  },
  {
    name: `${AX}.CustomResourceDefinitionCondition`,
    schema: s.object(
      'One aspect of a CustomResourceDefinition’s state.',
      {
        type: s.string('The kind of condition: Established, NamesAccepted, Terminating or KubernetesAPIApprovalPolicyConformant.', { default: '', proto: 1 }),
        status: s.string('Whether the condition holds: True, False or Unknown.', { default: '', proto: 2 }),
        lastTransitionTime: s.time('When the condition last changed from one status to another.', { proto: 3 }),
        reason: s.string('A short CamelCase reason for the last transition.', { proto: 4, omitEmpty: true }),
        message: s.string('A human-readable explanation of the last transition.', { proto: 5, omitEmpty: true }),
      },
      { required: ['type', 'status'] },
    ),
  },
];

const JSON_SCHEMA_DEFINITIONS: readonly Definition[] = [
  {
    name: JSON_SCHEMA_PROPS,
    schema: s.object('A JSON schema (draft 4, as OpenAPI v3 restricts it) describing a value.', {
      id: s.string('The id of the schema.', { proto: 1, omitEmpty: true }),
      $schema: s.string('The JSON schema dialect.', { proto: 2, omitEmpty: true }),
      $ref: s.string('A reference to another schema (not allowed in CRDs).', { proto: 3 }),
      description: s.string('What the value is.', { proto: 4, omitEmpty: true }),
      type: s.string('The JSON type: object, array, string, integer, number or boolean.', { proto: 5, omitEmpty: true }),
      format: s.string('An OpenAPI format for the value (int32, date-time, byte, …); unknown formats are ignored.', { proto: 6, omitEmpty: true }),
      title: s.string('A short title of the value.', { proto: 7, omitEmpty: true }),
      default: s.any('The value an absent field gets.', { proto: 8 }),
      maximum: s.number('The largest allowed number.', { proto: 9 }),
      exclusiveMaximum: s.boolean('Whether the maximum itself is excluded.', { proto: 10, omitEmpty: true }),
      minimum: s.number('The smallest allowed number.', { proto: 11 }),
      exclusiveMinimum: s.boolean('Whether the minimum itself is excluded.', { proto: 12, omitEmpty: true }),
      maxLength: s.int64('The longest allowed string, in characters.', { proto: 13 }),
      minLength: s.int64('The shortest allowed string, in characters.', { proto: 14 }),
      pattern: s.string('A regular expression strings must match.', { proto: 15, omitEmpty: true }),
      maxItems: s.int64('The most items an array may have.', { proto: 16 }),
      minItems: s.int64('The fewest items an array may have.', { proto: 17 }),
      uniqueItems: s.boolean('Whether array items must differ (not allowed in CRDs).', { proto: 18, omitEmpty: true }),
      multipleOf: s.number('Numbers must be a multiple of this.', { proto: 19 }),
      enum: s.array('The allowed values.', s.any('An allowed value.'), { proto: 20 }),
      maxProperties: s.int64('The most properties an object may have.', { proto: 21 }),
      minProperties: s.int64('The fewest properties an object may have.', { proto: 22 }),
      required: s.array('Properties an object must have.', s.string('', { default: '' }), { proto: 23 }),
      items: s.any('The schema of array items (a schema, or a list of schemas).', { proto: 24 }),
      allOf: s.array('Schemas the value must all satisfy.', s.ref(JSON_SCHEMA_PROPS, undefined, { default: {} }), { proto: 25 }),
      oneOf: s.array('Schemas of which the value must satisfy exactly one.', s.ref(JSON_SCHEMA_PROPS, undefined, { default: {} }), { proto: 26 }),
      anyOf: s.array('Schemas of which the value must satisfy at least one.', s.ref(JSON_SCHEMA_PROPS, undefined, { default: {} }), { proto: 27 }),
      not: s.ref(JSON_SCHEMA_PROPS, 'A schema the value must not satisfy.', { proto: 28 }),
      properties: s.map('The schema of each named property of an object.', s.ref(JSON_SCHEMA_PROPS, undefined, { default: {} }), { proto: 29 }),
      additionalProperties: s.any('The schema of properties not named in properties (a schema, or a boolean).', { proto: 30 }),
      patternProperties: s.map('Schemas of properties whose names match a pattern.', s.ref(JSON_SCHEMA_PROPS, undefined, { default: {} }), {
        proto: 31,
      }),
      dependencies: s.map('Schemas or property lists other properties require.', s.any('A schema or a list of property names.'), { proto: 32 }),
      additionalItems: s.any('The schema of array items beyond a list of item schemas (a schema, or a boolean).', { proto: 33 }),
      definitions: s.map('Named schemas (not allowed in CRDs).', s.ref(JSON_SCHEMA_PROPS, undefined, { default: {} }), { proto: 34 }),
      externalDocs: s.ref(`${AX}.ExternalDocumentation`, 'Where to read more.', { proto: 35 }),
      example: s.any('An example value.', { proto: 36 }),
      nullable: s.boolean('Whether null is allowed (and kept) as a value.', { proto: 37, omitEmpty: true }),
      'x-kubernetes-preserve-unknown-fields': s.boolean('Keep fields the schema does not declare, in this value and below, instead of pruning them.', {
        proto: 38,
      }),
      'x-kubernetes-embedded-resource': s.boolean('The value is a whole Kubernetes object, with apiVersion, kind and metadata.', {
        proto: 39,
        omitEmpty: true,
      }),
      'x-kubernetes-int-or-string': s.boolean('The value is an integer or a string.', { proto: 40, omitEmpty: true }),
      'x-kubernetes-list-map-keys': s.array('For list-type map: the item fields that identify an item.', s.string('', { default: '' }), {
        ...atomic,
        proto: 41,
      }),
      'x-kubernetes-list-type': s.string('How a list merges: atomic (as a whole), set (unique scalars) or map (items by key).', { proto: 42 }),
      'x-kubernetes-map-type': s.string('How an object merges: granular (field by field) or atomic (as a whole).', { proto: 43 }),
      'x-kubernetes-validations': s.array(
        'CEL rules the value must satisfy.',
        s.ref(`${AX}.ValidationRule`, undefined, { default: {} }),
        { listType: 'map', listMapKeys: ['rule'], patchStrategy: 'merge', patchMergeKey: 'rule', proto: 44 },
      ),
    }),
  },
  {
    name: `${AX}.ExternalDocumentation`,
    schema: s.object('A link to more documentation.', {
      description: s.string('What the link is about.', { proto: 1, omitEmpty: true }),
      url: s.string('The address of the documentation.', { proto: 2, omitEmpty: true }),
    }),
  },
  {
    name: `${AX}.ValidationRule`,
    schema: s.object(
      'A CEL rule a value must satisfy.',
      {
        rule: s.string('The CEL expression; `self` is the value, `oldSelf` the previous one on updates.', { default: '', proto: 1 }),
        message: s.string('The message when the rule fails.', { proto: 2, omitEmpty: true }),
        messageExpression: s.string('A CEL expression producing the message when the rule fails.', { proto: 3, omitEmpty: true }),
        reason: s.string('The machine-readable reason of a failure: FieldValueInvalid (the default), FieldValueForbidden, FieldValueRequired or FieldValueDuplicate.', {
          proto: 4,
        }),
        fieldPath: s.string('The field a failure is reported at, relative to the value.', { proto: 5, omitEmpty: true }),
        optionalOldSelf: s.boolean('Evaluate the transition rule even when there is no old value.', { proto: 6 }),
      },
      { required: ['rule'] },
    ),
  },
];

export const APIEXTENSIONS_V1: readonly Definition[] = [...CRD_DEFINITIONS, ...JSON_SCHEMA_DEFINITIONS];
