/**
 * @module
 * Events, in both APIs: core/v1 (`kubectl get ev`) and events.k8s.io/v1. Upstream both are views of
 * one internal Event, stored once; here events.k8s.io/v1 Events are stored as core/v1 ones (renamed
 * field by field), and each API reads its own fields into that internal shape ({@link EventView}),
 * so validation, printing and field selection are shared. Validation follows
 * pkg/apis/core/validation/events.go: core/v1 writes get only the legacy checks, events.k8s.io/v1
 * writes the strict ones too (and most fields become immutable) — with the internal field names in
 * the error paths, as upstream reports them. Selectable fields follow
 * pkg/registry/core/event/strategy.go (core) and pkg/apis/events/v1 AddFieldLabelConversionsForEvent.
 * The table is printers.go printEvent: LAST SEEN TYPE REASON OBJECT MESSAGE, and SUBOBJECT SOURCE
 * FIRST SEEN COUNT NAME with `-o wide`.
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, type JsonValue, getObject, jsonEqual } from '../../api/json.js';
import { isDNS1123Subdomain, isQualifiedName, utf8Length, validatePathSegmentName } from '../../api/validation/names.js';
import { FIELD_IMMUTABLE_ERROR_MSG } from '../../api/validation/object-meta.js';
import type { TablePrinter } from '../registry/resource-definition.js';
import { humanDuration } from '../table.js';
import { defineResource } from './define.js';
import { numberOr, text } from '../../api/json-values.js';

const REPORTING_INSTANCE_LIMIT = 128;
const ACTION_LIMIT = 128;
const REASON_LIMIT = 128;
const NOTE_LIMIT = 1024;
const REFERENCE_FIELDS = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'];

/** The internal Event, whichever API the object came through. */
export interface EventView {
  readonly namespace: string;
  readonly name: string;
  readonly involvedObject: JsonObject;
  readonly reason: string;
  readonly message: string;
  readonly source: JsonObject;
  readonly firstTimestamp: string;
  readonly lastTimestamp: string;
  readonly count: number;
  readonly type: string;
  readonly eventTime: string;
  readonly series: JsonObject | undefined;
  readonly action: string;
  readonly related: JsonValue | undefined;
  readonly reportingController: string;
  readonly reportingInstance: string;
}

/** A core/v1 Event as the internal one. */
export function coreView(object: JsonObject): EventView {
  return {
    ...common(object),
    involvedObject: getObject(object, 'involvedObject') ?? {},
    message: text(object.message),
    source: getObject(object, 'source') ?? {},
    firstTimestamp: text(object.firstTimestamp),
    lastTimestamp: text(object.lastTimestamp),
    count: numberOr(object.count),
    reportingController: text(object.reportingComponent),
  };
}

/** An events.k8s.io/v1 Event as the internal one (pkg/apis/events/v1 conversion.go). */
export function v1View(object: JsonObject): EventView {
  return {
    ...common(object),
    involvedObject: getObject(object, 'regarding') ?? {},
    message: text(object.note),
    source: getObject(object, 'deprecatedSource') ?? {},
    firstTimestamp: text(object.deprecatedFirstTimestamp),
    lastTimestamp: text(object.deprecatedLastTimestamp),
    count: numberOr(object.deprecatedCount),
    reportingController: text(object.reportingController),
  };
}

/** The fields both APIs spell alike. */
type CommonFields = Omit<EventView, 'involvedObject' | 'message' | 'source' | 'firstTimestamp' | 'lastTimestamp' | 'count' | 'reportingController'>;

function common(object: JsonObject): CommonFields {
  const metadata = getObject(object, 'metadata') ?? {};
  return {
    namespace: text(metadata.namespace),
    name: text(metadata.name),
    reason: text(object.reason),
    type: text(object.type),
    eventTime: text(object.eventTime),
    series: getObject(object, 'series'),
    action: text(object.action),
    related: object.related,
    reportingInstance: text(object.reportingInstance),
  };
}

/** kube-apiserver's --event-ttl: events expire an hour after their last write. */
export const EVENT_TTL_SECONDS = 3600;

export const CORE_EVENTS = defineResource({
  group: '',
  version: 'v1',
  kind: 'Event',
  resource: 'events',
  namespaced: true,
  schema: 'io.k8s.api.core.v1.Event',
  shortNames: ['ev'],
  ttlSeconds: EVENT_TTL_SECONDS,
  strategy: {
    // Upstream checks only that a core/v1 Event's name is usable in a path (generic BeforeCreate).
    validateName: (name, prefix) => validatePathSegmentName(name, prefix),
    validate: (object) => legacyValidateEvent(coreView(object)),
    validateUpdate: (object) => legacyValidateEvent(coreView(object)),
    selectableFields: (object) => {
      const event = coreView(object);
      const source = text(event.source.component);
      return {
        ...referenceFields('involvedObject', event.involvedObject),
        reason: event.reason,
        reportingComponent: event.reportingController,
        source: source === '' ? event.reportingController : source,
        type: event.type,
      };
    },
  },
  table: eventPrinter(coreView),
});

/**
 * The fields events.k8s.io/v1 spells differently from core/v1 (pkg/apis/events/v1/conversion.go);
 * the rest — metadata, reason, type, eventTime, series, action, related, reportingInstance — are
 * the same in both.
 */
const V1_NAMES: readonly (readonly [core: string, v1: string])[] = [
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['count', 'deprecatedCount'],
  ['reportingComponent', 'reportingController'],
];
const TO_V1 = new Map(V1_NAMES);
const TO_CORE = new Map(V1_NAMES.map(([core, v1]) => [v1, core]));

/**
 * `object` with its fields renamed and the given apiVersion. The source is a struct in Go, never
 * left out of either form, so it is `{}` when absent.
 */
function renamed(object: JsonObject, names: ReadonlyMap<string, string>, apiVersion: string, source: string): JsonObject {
  const result: JsonObject = { apiVersion, kind: 'Event' };
  for (const [key, value] of Object.entries(object)) {
    if (key !== 'apiVersion' && key !== 'kind') result[names.get(key) ?? key] = value;
  }
  if (result[source] === undefined) result[source] = {};
  return result;
}

/** An events.k8s.io/v1 Event as core/v1 stores it. */
export function coreEventOf(event: JsonObject): JsonObject {
  return renamed(event, TO_CORE, 'v1', 'source');
}

/** A stored core/v1 Event as events.k8s.io/v1 serves it. */
export function eventsV1EventOf(event: JsonObject): JsonObject {
  return renamed(event, TO_V1, 'events.k8s.io/v1', 'deprecatedSource');
}

export const EVENTS_V1 = defineResource({
  group: 'events.k8s.io',
  version: 'v1',
  kind: 'Event',
  resource: 'events',
  namespaced: true,
  schema: 'io.k8s.api.events.v1.Event',
  ttlSeconds: EVENT_TTL_SECONDS,
  // One storage for both APIs: each sees the other's Events (kubectl get ev shows the scheduler's).
  storedAs: { group: '', resource: 'events', toStorage: coreEventOf, fromStorage: eventsV1EventOf },
  strategy: {
    validate: (object) => validateEventCreate(v1View(object)),
    validateUpdate: (object, old) => validateEventUpdate(v1View(object), v1View(old)),
    selectableFields: (object) => {
      const event = v1View(object);
      return {
        ...referenceFields('regarding', event.involvedObject),
        reason: event.reason,
        reportingController: event.reportingController,
        type: event.type,
      };
    },
  },
  table: eventPrinter(v1View),
});

/** legacyValidateEvent: what every Event must satisfy, whichever API wrote it. */
export function legacyValidateEvent(event: EventView): FieldError[] {
  const errors: FieldError[] = [];
  const involvedNamespace = text(event.involvedObject.namespace);
  const mismatch = (): FieldError => fieldErrors.invalid('involvedObject.namespace', involvedNamespace, 'does not match event.namespace');
  if (event.eventTime === '') {
    // An old-style Event: its namespace is its object's (or "default" for cluster-scoped objects).
    if (involvedNamespace === '' ? event.namespace !== '' && event.namespace !== 'default' : event.namespace !== involvedNamespace) {
      errors.push(mismatch());
    }
  } else {
    if (involvedNamespace === '' && event.namespace !== 'default' && event.namespace !== 'kube-system') errors.push(mismatch());
    if (event.reportingController === '') errors.push(fieldErrors.required('reportingController'));
    for (const msg of isQualifiedName(event.reportingController)) errors.push(fieldErrors.invalid('reportingController', event.reportingController, msg));
    errors.push(...requiredWithin(event.reportingInstance, 'reportingInstance', REPORTING_INSTANCE_LIMIT));
    errors.push(...requiredWithin(event.action, 'action', ACTION_LIMIT));
    errors.push(...requiredWithin(event.reason, 'reason', REASON_LIMIT));
    if (utf8Length(event.message) > NOTE_LIMIT) errors.push(fieldErrors.invalid('message', '', `can have at most ${NOTE_LIMIT} characters`));
  }
  for (const msg of isDNS1123Subdomain(event.namespace)) errors.push(fieldErrors.invalid('namespace', event.namespace, msg));
  return errors;
}

/** ValidateEventCreate for events.k8s.io/v1: a new-style Event, without the deprecated fields. */
export function validateEventCreate(event: EventView): FieldError[] {
  const errors = [...legacyValidateEvent(event), ...validateSeries(event)];
  if (event.eventTime === '') errors.push(fieldErrors.required('eventTime'));
  if (event.type !== 'Normal' && event.type !== 'Warning') errors.push(fieldErrors.invalid('type', '', `has invalid value: ${event.type}`));
  const unset = (path: string): FieldError => fieldErrors.invalid(path, '', 'needs to be unset');
  if (event.firstTimestamp !== '') errors.push(unset('firstTimestamp'));
  if (event.lastTimestamp !== '') errors.push(unset('lastTimestamp'));
  if (event.count !== 0) errors.push(unset('count'));
  if (text(event.source.component) !== '' || text(event.source.host) !== '') errors.push(unset('source'));
  return errors;
}

/** ValidateEventUpdate for events.k8s.io/v1: only the series (and metadata) may change. */
export function validateEventUpdate(event: EventView, old: EventView): FieldError[] {
  const errors = legacyValidateEvent(event);
  if (!jsonEqual(event.series, old.series)) errors.push(...validateSeries(event));
  const fields: readonly (keyof EventView)[] = [
    'involvedObject', 'reason', 'message', 'source', 'firstTimestamp', 'lastTimestamp', 'count',
    'type', 'eventTime', 'action', 'related', 'reportingController', 'reportingInstance',
  ];
  for (const field of fields) {
    const now = event[field];
    if (!jsonEqual(now, old[field])) errors.push(fieldErrors.invalid(field, now ?? null, FIELD_IMMUTABLE_ERROR_MSG));
  }
  return errors;
}

function validateSeries(event: EventView): FieldError[] {
  if (event.series === undefined) return [];
  const errors: FieldError[] = [];
  if (numberOr(event.series.count) < 2) errors.push(fieldErrors.invalid('series.count', '', 'should be at least 2'));
  if (text(event.series.lastObservedTime) === '') errors.push(fieldErrors.required('series.lastObservedTime'));
  return errors;
}

function requiredWithin(value: string, path: string, limit: number): FieldError[] {
  if (value === '') return [fieldErrors.required(path)];
  return utf8Length(value) > limit ? [fieldErrors.invalid(path, '', `can have at most ${limit} characters`)] : [];
}

function referenceFields(prefix: string, reference: JsonObject): Record<string, string> {
  return Object.fromEntries(REFERENCE_FIELDS.map((field) => [`${prefix}.${field}`, text(reference[field])]));
}

/** printEvent, for either API. */
function eventPrinter(view: (object: JsonObject) => EventView): TablePrinter {
  return {
    columns: [
      { name: 'Last Seen', type: 'string', description: 'The time at which the most recent occurrence of this event was recorded.', priority: 0 },
      { name: 'Type', type: 'string', description: 'Type of this event (Normal, Warning), new types could be added in the future', priority: 0 },
      { name: 'Reason', type: 'string', description: "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.", priority: 0 },
      { name: 'Object', type: 'string', description: 'The object that this event is about.', priority: 0 },
      { name: 'Subobject', type: 'string', description: 'The specific part of the object the event is about, if any.', priority: 1 },
      { name: 'Source', type: 'string', description: 'The component reporting this event. Should be a short machine understandable string.', priority: 1 },
      { name: 'Message', type: 'string', description: 'A human-readable description of the status of this operation.', priority: 0 },
      { name: 'First Seen', type: 'string', description: 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', priority: 1 },
      { name: 'Count', type: 'string', description: 'The number of times this event has occurred.', priority: 1 },
      { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 1 },
    ],
    cells: (object, now) => {
      const event = view(object);
      const first = event.firstTimestamp !== '' ? since(event.firstTimestamp, now) : since(event.eventTime, now);
      let last = event.lastTimestamp !== '' ? since(event.lastTimestamp, now) : first;
      let count = event.count;
      if (event.series !== undefined) {
        last = since(text(event.series.lastObservedTime), now);
        count = numberOr(event.series.count);
      } else if (count === 0) {
        // A singleton Event of the new API has no count.
        count = 1;
      }
      const kind = text(event.involvedObject.kind).toLowerCase();
      const name = text(event.involvedObject.name);
      const component = text(event.source.component) || event.reportingController;
      const instance = text(event.source.host) || event.reportingInstance;
      return [
        last,
        event.type,
        event.reason,
        name === '' ? kind : `${kind}/${name}`,
        text(event.involvedObject.fieldPath),
        instance === '' ? component : `${component}, ${instance}`,
        event.message.trim(),
        first,
        count,
        event.name,
      ];
    },
  };
}

/** translateTimestampSince: the age of a timestamp, or `<unknown>` when there is none. */
function since(timestamp: string, now: number): string {
  const at = Date.parse(timestamp);
  return timestamp === '' || Number.isNaN(at) ? '<unknown>' : humanDuration(now - at);
}

