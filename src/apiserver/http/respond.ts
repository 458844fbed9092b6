/**
 * @module
 * Writing responses: JSON (or YAML) bodies, Status errors with their code, and warnings as
 * `Warning: 299 - "…"` headers, which kubectl prints (made by warnings.ts, de-duplicated and
 * truncated as upstream does).
 */
import type { ServerReply } from './exchange.js';
import { stringify } from 'yaml';
import { toStatusError } from '../../api/status.js';
import { warningHeaders } from './warnings.js';

export type BodyEncoding = 'json' | 'yaml';

const NON_ASCII = /[\u0080-\u00ff]/;

/** Sends JSON text that is already serialized (a cached object, a list built from cached objects). */
export function sendJsonText(
  response: ServerReply,
  code: number,
  json: string,
  encoding: BodyEncoding = 'json',
  warnings: readonly string[] = [],
): void {
  const text = encoding === 'yaml' ? stringify(JSON.parse(json)) : json;
  send(response, code, text, encoding, warnings);
}

/** Sends a value as JSON (or YAML). */
export function sendObject(
  response: ServerReply,
  code: number,
  body: object,
  encoding: BodyEncoding = 'json',
  warnings: readonly string[] = [],
): void {
  send(response, code, encoding === 'yaml' ? stringify(body) : JSON.stringify(body), encoding, warnings);
}

/** Sends an error as a Status with its code (and Retry-After when it carries one). */
export function sendError(response: ServerReply, error: unknown): void {
  const status = toStatusError(error);
  if (response.headersSent) {
    response.end();
    return;
  }
  const retryAfter = status.details?.retryAfterSeconds;
  if (retryAfter !== undefined && retryAfter > 0) response.setHeader('Retry-After', String(retryAfter));
  sendObject(response, status.code, status.toStatus());
}

function send(response: ServerReply, code: number, text: string, encoding: BodyEncoding, warnings: readonly string[]): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  const headers: Record<string, string | string[]> = {
    'Content-Type': encoding === 'yaml' ? 'application/yaml' : 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-cache, private',
  };
  let body: string | Buffer = text;
  if (warnings.length > 0) {
    const values = warningHeaders(warnings);
    if (values.length > 0) headers.Warning = values;
    // Header values are latin1 strings holding UTF-8 bytes (warnings.ts). Node writes the head
    // together with a string body in the body's encoding, which would encode those bytes again:
    // a Buffer body makes it write the head as latin1.
    if (values.some((value) => NON_ASCII.test(value))) body = Buffer.from(text, 'utf8');
  }
  response.writeHead(code, headers);
  response.end(body);
}
