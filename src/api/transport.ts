/**
 * @module
 * The contract between the client and an API server in the same process (DESIGN.md, "Client
 * toolkit"): the server opens in-memory connections that carry HTTP/1.1, and the client's REST
 * client sends its requests over them instead of TCP. The type lives here, below both, so the client
 * never imports the API server; the CLI or a test hands one to the other.
 */
import type { Duplex } from 'node:stream';

export interface InProcessConnector {
  /** A new connection to the server: a byte stream that the server reads requests from. */
  connect(): Duplex;
}
