import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bytes, concat, double, fixed32, message, string, varint, varintBytes } from './protobuf-testing.js';
import { ProtobufError, WireReader } from './wire.js';

test('varints of every length from 1 to 10 bytes decode exactly', () => {
  for (let length = 1; length <= 10; length++) {
    // The smallest value that needs `length` bytes, and the largest.
    const smallest = length === 1 ? 0n : 1n << BigInt(7 * (length - 1));
    const largest = length === 10 ? (1n << 64n) - 1n : (1n << BigInt(7 * length)) - 1n;
    for (const value of [smallest, largest]) {
      const encoded = varintBytes(value);
      assert.equal(encoded.length, length, `${value} takes ${length} bytes`);
      const reader = new WireReader(encoded);
      assert.equal(reader.readUint64(), value);
      assert.ok(reader.done);
    }
  }
});

test('int32 and int64 fields read negative values sent as ten-byte varints', () => {
  const reader = new WireReader(concat(varintBytes(-1), varintBytes(-2147483648), varintBytes(-5), varintBytes(2 ** 40)));
  assert.equal(reader.readInt32(), -1);
  assert.equal(reader.readInt32(), -2147483648);
  assert.equal(reader.readInt64(), -5);
  assert.equal(reader.readInt64(), 2 ** 40);
});

test('int64 beyond 2^53 rounds like JSON.parse, and uint64 stays exact', () => {
  const big = 2n ** 62n + 1n;
  assert.equal(new WireReader(varintBytes(big)).readInt64(), Number(big));
  assert.equal(new WireReader(varintBytes(big)).readUint64(), big);
  assert.equal(new WireReader(varintBytes(-(2n ** 63n))).readInt64(), -(2 ** 63));
});

test('a varint longer than ten bytes is malformed', () => {
  const eleven = Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01);
  assert.throws(() => new WireReader(eleven).readUint64(), ProtobufError);
});

test('a varint cut off before its last byte is truncated', () => {
  assert.throws(() => new WireReader(Uint8Array.of(0x80, 0x80)).readUint32(), /truncated varint/);
  assert.throws(() => new WireReader(new Uint8Array(0)).readTag(), /truncated varint/);
});

test('tags give the field number and wire type', () => {
  const reader = new WireReader(concat(varint(1, 150), string(2, 'x'), double(3, 1.5), fixed32(536870911, 7)));
  assert.deepEqual(reader.readTag(), { field: 1, wireType: 0 });
  assert.equal(reader.readUint32(), 150);
  assert.deepEqual(reader.readTag(), { field: 2, wireType: 2 });
  assert.deepEqual([...reader.readBytes()], [0x78]);
  assert.deepEqual(reader.readTag(), { field: 3, wireType: 1 });
  assert.equal(reader.readDouble(), 1.5);
  assert.deepEqual(reader.readTag(), { field: 536870911, wireType: 5 });
  assert.equal(reader.readFixed32(), 7);
  assert.ok(reader.done);
});

test('field number 0 and the group wire types are refused', () => {
  assert.throws(() => new WireReader(Uint8Array.of(0x00)).readTag(), /invalid field number 0/);
  assert.throws(() => new WireReader(Uint8Array.of(0x0b)).readTag(), /wire type 3/);
  assert.throws(() => new WireReader(Uint8Array.of(0x0c)).readTag(), /wire type 4/);
  assert.throws(() => new WireReader(Uint8Array.of(0x0e)).readTag(), /wire type 6/);
});

test('skipping moves past a field of every wire type', () => {
  const reader = new WireReader(concat(varint(1, 2n ** 63n), double(2, 3), string(3, 'skipped'), fixed32(4, 1), varint(5, 42)));
  for (let i = 0; i < 4; i++) reader.skip(reader.readTag().wireType);
  assert.deepEqual(reader.readTag(), { field: 5, wireType: 0 });
  assert.equal(reader.readUint32(), 42);
  assert.ok(reader.done);
});

test('a length past the end of the input is refused without reading or allocating', () => {
  const lying = concat(Uint8Array.of(0x12), varintBytes(2 ** 31), Uint8Array.of(1, 2, 3));
  const reader = new WireReader(lying);
  reader.readTag();
  assert.throws(() => reader.readBytes(), /runs past the end/);
  const huge = concat(Uint8Array.of(0x12), varintBytes(2n ** 60n));
  const second = new WireReader(huge);
  second.readTag();
  assert.throws(() => second.skip(2), /runs past the end/);
});

test('fixed-width values cut off are truncated', () => {
  const reader = new WireReader(Uint8Array.of(0x09, 1, 2, 3));
  reader.readTag();
  assert.throws(() => reader.readDouble(), /truncated input/);
  const four = new WireReader(Uint8Array.of(0x0d, 1, 2));
  four.readTag();
  assert.throws(() => four.readFixed32(), /truncated input/);
});

test('a sub-message reader sees only its own bytes', () => {
  const outer = new WireReader(concat(message(1, varint(1, 7)), varint(2, 9)));
  outer.readTag();
  const inner = outer.readMessage();
  assert.deepEqual(inner.readTag(), { field: 1, wireType: 0 });
  assert.equal(inner.readUint32(), 7);
  assert.ok(inner.done);
  assert.deepEqual(outer.readTag(), { field: 2, wireType: 0 });
  assert.equal(outer.readUint32(), 9);
});

test('a length-delimited field inside a sub-message cannot reach past the sub-message', () => {
  // The inner field claims 5 bytes; the sub-message holds only 3 after its key and length.
  const inner = Uint8Array.of(0x0a, 0x05, 0x61, 0x62, 0x63);
  const outer = new WireReader(concat(bytes(1, inner), string(2, 'after')));
  outer.readTag();
  const sub = outer.readMessage();
  sub.readTag();
  assert.throws(() => sub.readBytes(), /runs past the end/);
});
