/**
 * Reads the fields of a webhook payload, reporting each missing or mistyped one with its JSON
 * pointer. A reader collects every problem of a payload before the adapter decides to drop it.
 */
import { createHash } from 'node:crypto';
import { jsonPointer } from '../../core/errors.js';
import { parseTimestamp } from '../../core/timestamp.js';
import { describe, idString, isObject, normaliseSha } from './fields.js';
import { parseJsonText } from './jsonText.js';
import type { RecordCollector } from './recordCollector.js';

type Path = readonly (string | number)[];

/** Field reads with located errors; `failed` turns true at the first error. */
export class PayloadReader {
  failed = false;

  constructor(private readonly out: RecordCollector) {}

  /** Reports an error at `path`. */
  error(path: Path, message: string): void {
    this.failed = true;
    this.out.error(message, { pointer: jsonPointer(path) });
  }

  /** Reports a warning at `path` (the payload is still used). */
  warn(path: Path, message: string): void {
    this.out.warn(message, { pointer: jsonPointer(path) });
  }

  /** The value at `path` under `root`, without checks. */
  at(root: unknown, path: Path): unknown {
    let value = root;
    for (const key of path) {
      if (!isObject(value) && !Array.isArray(value)) return undefined;
      value = (value as Record<string | number, unknown>)[key];
    }
    return value;
  }

  /** An object, required. */
  object(root: unknown, path: Path): Record<string, unknown> | undefined {
    const value = this.at(root, path);
    if (isObject(value)) return value;
    this.error(path, value === undefined ? 'required' : `must be an object, not ${describe(value)}`);
    return undefined;
  }

  /** A non-empty string; `required` reports its absence (null counts as absent). */
  string(root: unknown, path: Path, required = true): string | undefined {
    const value = this.at(root, path);
    if (typeof value === 'string' && value.length > 0) return value;
    if (value === undefined || value === null || value === '') {
      if (required) this.error(path, 'required');
      return undefined;
    }
    this.error(path, `must be a string, not ${describe(value)}`);
    return undefined;
  }

  /** A numeric (or string) id as a string. */
  id(root: unknown, path: Path): string | undefined {
    const value = this.at(root, path);
    const id = idString(value);
    if (id === undefined)
      this.error(path, value === undefined ? 'required' : `must be an id, not ${describe(value)}`);
    return id;
  }

  /** A timestamp normalised to UTC; `required` reports its absence. */
  time(root: unknown, path: Path, required = true): string | undefined {
    const value = this.at(root, path);
    if (value === undefined || value === null) {
      if (required) this.error(path, 'required');
      return undefined;
    }
    const time = parseTimestamp(value);
    if (time === undefined) this.error(path, `${describe(value)} is not a timestamp`);
    return time;
  }

  /** A commit sha, lower-cased; `required` reports its absence. */
  sha(root: unknown, path: Path, required = true): string | undefined {
    const value = this.at(root, path);
    if (value === undefined || value === null) {
      if (required) this.error(path, 'required');
      return undefined;
    }
    const sha = normaliseSha(value);
    if (sha === undefined) this.error(path, `${describe(value)} is not a commit sha`);
    return sha;
  }

  /** A boolean, optional. */
  boolean(root: unknown, path: Path): boolean | undefined {
    const value = this.at(root, path);
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return value;
    this.error(path, `must be true or false, not ${describe(value)}`);
    return undefined;
  }

  /** An array, required. */
  array(root: unknown, path: Path): unknown[] | undefined {
    const value = this.at(root, path);
    if (Array.isArray(value)) return value;
    this.error(path, value === undefined ? 'required' : `must be an array, not ${describe(value)}`);
    return undefined;
  }
}

/**
 * A webhook body as an object: raw text is parsed (a syntax error is reported with its line and
 * column), `payload=<json>` form bodies (GitHub's `application/x-www-form-urlencoded` option) are
 * decoded, an already parsed value is taken as it is.
 */
export function readWebhookBody(body: unknown, out: RecordCollector): Record<string, unknown> | undefined {
  let value = body;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    let text = typeof body === 'string' ? body : new TextDecoder().decode(body);
    if (text.startsWith('payload=')) text = new URLSearchParams(text).get('payload') ?? '';
    const parsed = parseJsonText(text);
    if (!parsed.ok) {
      out.error(`invalid JSON: ${parsed.error.message}`, {
        line: parsed.error.line,
        column: parsed.error.column,
      });
      return undefined;
    }
    value = parsed.value;
  }
  if (!isObject(value)) {
    out.error(`a webhook payload must be a JSON object, not ${describe(value)}`, { pointer: '' });
    return undefined;
  }
  return value;
}

/** A short digest of a body: the id of a delivery that came without one. */
export function bodyDigest(body: unknown): string {
  const text =
    typeof body === 'string'
      ? body
      : body instanceof Uint8Array
        ? body
        : (JSON.stringify(body) ?? 'undefined');
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
