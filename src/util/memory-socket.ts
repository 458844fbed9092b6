/**
 * @module
 * A connected pair of in-memory byte streams that stand in for a TCP socket: what one end writes,
 * the other reads. An HTTP server handed one end (`server.emit('connection', end)`, which node:http
 * documents for any Duplex) and an HTTP agent handed the other speak real HTTP/1.1 to each other
 * inside one process — no port, no kernel, the same request pipeline as over the network.
 *
 * node:http's agent and server call a few socket methods (keep-alive, no-delay, timeouts, ref); on
 * memory they have nothing to do, so they are no-ops.
 */
import { Duplex } from 'node:stream';

export class MemorySocket extends Duplex {
  private peer: MemorySocket | undefined;

  /** Joins two ends; each one's writes become the other's reads. */
  static pair(): [MemorySocket, MemorySocket] {
    const a = new MemorySocket();
    const b = new MemorySocket();
    a.peer = b;
    b.peer = a;
    return [a, b];
  }

  override _read(): void {
    // Data arrives through the peer's writes; there is nothing to pull.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    if (peer === undefined || peer.destroyed) {
      callback(new Error('the other end of the in-process connection is closed'));
      return;
    }
    peer.push(chunk);
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.peer?.push(null);
    callback();
  }

  /** Destroying one end ends the other, as a closed TCP connection does. */
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    if (peer !== undefined && !peer.destroyed) peer.destroy();
    callback(error);
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setTimeout(): this {
    return this;
  }

  get remoteAddress(): string {
    return 'in-process';
  }
}
