/**
 * Typed reads from one YAML document, each failure recorded as a located problem rather than
 * thrown, so one pass over a spec reports everything wrong with it.
 */
import type { Problem, Severity, SourceLocation } from '../../core/errors.js';
import type { YamlDocument, YamlFile, YamlPath } from './yamlFile.js';

/** A plain YAML mapping. */
export type YamlMap = Record<string, unknown>;

export function isYamlMap(value: unknown): value is YamlMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Reads fields of one document and collects problems with `file:line:col`. */
export class FieldReader {
  /** Errors recorded by this reader (its own count, even when `problems` is shared). */
  errorCount = 0;

  constructor(
    readonly file: YamlFile,
    readonly doc: YamlDocument,
    readonly problems: Problem[],
    /** Names the object in messages, e.g. `SLO svc01-slo1`. */
    public subject?: string,
  ) {}

  at(path: YamlPath, where: 'key' | 'value' = 'value'): SourceLocation {
    return this.file.locate(this.doc, path, where);
  }

  report(severity: Severity, path: YamlPath, message: string, where: 'key' | 'value' = 'value'): void {
    if (severity === 'error') this.errorCount++;
    this.problems.push({
      severity,
      message,
      location: this.at(path, where),
      ...(this.subject ? { entityRef: this.subject } : {}),
    });
  }

  error(path: YamlPath, message: string, where: 'key' | 'value' = 'value'): void {
    this.report('error', path, message, where);
  }

  warn(path: YamlPath, message: string, where: 'key' | 'value' = 'value'): void {
    this.report('warning', path, message, where);
  }

  get(path: YamlPath): unknown {
    let value: unknown = this.doc.value;
    for (const segment of path) {
      if (Array.isArray(value) && typeof segment === 'number') value = value[segment];
      else if (isYamlMap(value) && typeof segment === 'string') value = value[segment];
      else return undefined;
    }
    return value;
  }

  has(path: YamlPath): boolean {
    return this.get(path) !== undefined && this.get(path) !== null;
  }

  /** A mapping; `null`/absent gives `undefined` (an error when required). */
  map(path: YamlPath, options: { required?: boolean } = {}): YamlMap | undefined {
    const value = this.get(path);
    if (value === undefined || value === null) {
      if (options.required) this.error(path, `${describe(path)} is required`);
      return undefined;
    }
    if (!isYamlMap(value)) {
      this.error(path, `${describe(path)} must be a mapping, not ${typeName(value)}`);
      return undefined;
    }
    return value;
  }

  /** A sequence; `null`/absent gives `undefined` (an error when required). */
  list(path: YamlPath, options: { required?: boolean } = {}): unknown[] | undefined {
    const value = this.get(path);
    if (value === undefined || value === null) {
      if (options.required) this.error(path, `${describe(path)} is required`);
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.error(path, `${describe(path)} must be a list, not ${typeName(value)}`);
      return undefined;
    }
    return value;
  }

  /**
   * A string. Numbers and booleans are read as their source text (`2` is `"2"`), as Go's YAML
   * decoders do for string fields; mappings and lists are errors.
   */
  string(path: YamlPath, options: { required?: boolean } = {}): string | undefined {
    const value = this.get(path);
    if (value === undefined || value === null || value === '') {
      if (options.required) this.error(path, `${describe(path)} is required`);
      return value === '' ? '' : undefined;
    }
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') {
      return this.file.scalarSource(this.doc, path) ?? String(value);
    }
    if (value instanceof Date) return this.file.scalarSource(this.doc, path) ?? value.toISOString();
    this.error(path, `${describe(path)} must be a string, not ${typeName(value)}`);
    return undefined;
  }

  number(path: YamlPath, options: { required?: boolean } = {}): number | undefined {
    const value = this.get(path);
    if (value === undefined || value === null) {
      if (options.required) this.error(path, `${describe(path)} is required`);
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.error(path, `${describe(path)} must be a number, not ${typeName(value)}`);
      return undefined;
    }
    return value;
  }

  boolean(path: YamlPath): boolean | undefined {
    const value = this.get(path);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') {
      this.error(path, `${describe(path)} must be true or false, not ${typeName(value)}`);
      return undefined;
    }
    return value;
  }

  /** A string-to-string mapping; scalar values are read as their source text (`0.2`, `true`). */
  stringMap(path: YamlPath): Record<string, string> {
    const map = this.map(path);
    const result: Record<string, string> = {};
    if (!map) return result;
    for (const [key, value] of Object.entries(map)) {
      const text = this.string([...path, key]);
      if (text !== undefined) result[key] = text;
      else if (value === null) result[key] = '';
    }
    return result;
  }

  /**
   * Warns about keys the format does not define. Sloth ignores them silently, which hides typos
   * such as `pageAlert` in a `prometheus/v1` spec (whose key is `page_alert`).
   */
  unknownKeys(path: YamlPath, known: readonly string[], format: string): void {
    const map = this.get(path);
    if (!isYamlMap(map)) return;
    for (const key of Object.keys(map)) {
      if (known.includes(key)) continue;
      const near = known.find((k) => normaliseKey(k) === normaliseKey(key));
      const hint = near ? `; did you mean ${near}?` : '';
      this.warn([...path, key], `unknown key ${key} is ignored (${format})${hint}`, 'key');
    }
  }
}

/** `slos[1].objective` for messages. */
export function describe(path: YamlPath): string {
  let text = '';
  for (const segment of path) {
    text += typeof segment === 'number' ? `[${segment}]` : text === '' ? segment : `.${segment}`;
  }
  return text === '' ? 'the document' : text;
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (isYamlMap(value)) return 'a mapping';
  if (typeof value === 'string') return `the string "${value}"`;
  return String(value);
}

function normaliseKey(key: string): string {
  return key.replaceAll('_', '').toLowerCase();
}
