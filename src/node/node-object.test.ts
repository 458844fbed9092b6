import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HEARTBEAT_ANNOTATION, heartbeatStoppedByAnnotation } from './node-object.js';

describe('the heartbeat annotation', () => {
  it('stops the heartbeats only when its value is "stopped"', () => {
    assert.equal(heartbeatStoppedByAnnotation({ metadata: { annotations: { [HEARTBEAT_ANNOTATION]: 'stopped' } } }), true);
    assert.equal(heartbeatStoppedByAnnotation({ metadata: { annotations: { [HEARTBEAT_ANNOTATION]: 'running' } } }), false);
    assert.equal(heartbeatStoppedByAnnotation({ metadata: { annotations: { other: 'stopped' } } }), false);
    assert.equal(heartbeatStoppedByAnnotation({ metadata: {} }), false);
    assert.equal(heartbeatStoppedByAnnotation(undefined), false);
  });
});
