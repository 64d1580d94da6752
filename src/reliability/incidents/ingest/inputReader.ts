/**
 * Reading untrusted input for the incident adapters: JSON text with the line and column of a
 * syntax error, and typed field reads that report what is wrong at a JSON pointer (or a CSV row).
 * An adapter reads one incident at a time; any error drops that incident and keeps the others.
 */
import { InputError, jsonPointer, type Problem, type SourceLocation } from '../../../core/errors.js';

/** Parses JSON text; a syntax error becomes an `InputError` located at its line and column. */
export function parseJsonInput(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    const location: SourceLocation = { file };
    // "Unexpected end of JSON input" has no position: the end of the text is where it is.
    const offset = position
      ? Number(position[1])
      : /end of JSON input/.test(message)
        ? text.length
        : undefined;
    if (offset !== undefined) {
      const before = text.slice(0, offset);
      location.line = before.split('\n').length;
      location.column = offset - before.lastIndexOf('\n');
    } else if (text.trim() === '') {
      location.line = 1;
      location.column = 1;
    }
    const detail =
      text.trim() === '' ? 'the input is empty' : message.replace(/ in JSON at position \d+.*$/, '');
    throw new InputError(`${file}: not valid JSON: ${detail}`, [
      { severity: 'error', message: `not valid JSON: ${detail}`, location },
    ]);
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** Typed reads of one record's fields, with problems located at `base` + the field's path. */
export class RecordReader {
  /** Errors found in this record; any error drops it. */
  errors = 0;

  constructor(
    private readonly problems: Problem[],
    private readonly where: {
      file?: string;
      base: (string | number)[];
      row?: number;
      /** Names a field path differently (CSV: the column as the header writes it). */
      pointer?: (path: readonly (string | number)[]) => string;
    },
    /** The record's id once known, for `entityRef` in problems. */
    public id?: string,
    private readonly parent?: RecordReader,
  ) {}

  /** A reader at another absolute path of the same input whose errors count as this record's. */
  at(base: (string | number)[]): RecordReader {
    return new RecordReader(this.problems, { ...this.where, base }, this.id, this);
  }

  /** The JSON pointer path of this record from the input's root. */
  get base(): (string | number)[] {
    return this.where.base;
  }

  /** The location of a field: the JSON pointer of `path` under the record, and the CSV row. */
  location(path: readonly (string | number)[]): SourceLocation {
    const pointer = this.where.pointer
      ? this.where.pointer(path)
      : jsonPointer([...this.where.base, ...path]);
    return {
      ...(this.where.file ? { file: this.where.file } : {}),
      ...(this.where.row !== undefined ? { row: this.where.row } : {}),
      ...(pointer !== '' ? { pointer } : {}),
    };
  }

  error(path: readonly (string | number)[], message: string): undefined {
    this.errors++;
    if (this.parent) this.parent.errors++;
    this.problems.push({
      severity: 'error',
      message,
      location: this.location(path),
      ...(this.id ? { entityRef: this.id } : {}),
    });
    return undefined;
  }

  warn(path: readonly (string | number)[], message: string): void {
    this.problems.push({
      severity: 'warning',
      message,
      location: this.location(path),
      ...(this.id ? { entityRef: this.id } : {}),
    });
  }

  /** A string field; `undefined` when absent, null or empty (an error when `required`). */
  string(value: unknown, path: readonly (string | number)[], required = false): string | undefined {
    if (value === undefined || value === null || value === '') {
      return required ? this.error(path, 'required') : undefined;
    }
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value !== 'string') return this.error(path, `must be a string, not ${describe(value)}`);
    return value;
  }

  /** A timestamp with a time zone; returned as ISO 8601 UTC. */
  time(value: unknown, path: readonly (string | number)[], required = false): string | undefined {
    const text = this.string(value, path, required);
    if (text === undefined) return undefined;
    const trimmed = text.trim();
    if (!ISO_TIME.test(trimmed)) {
      return this.error(
        path,
        /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(trimmed)
          ? `"${text}" has no time zone: add Z or an offset like +01:00`
          : `"${text}" is not an ISO 8601 timestamp (e.g. 2024-05-01T12:00:00Z)`,
      );
    }
    const parsed = new Date(trimmed.replace(' ', 'T'));
    if (Number.isNaN(parsed.getTime())) return this.error(path, `"${text}" is not a valid date and time`);
    return parsed.toISOString();
  }

  /** A calendar day, `YYYY-MM-DD`. */
  day(value: unknown, path: readonly (string | number)[]): string | undefined {
    const text = this.string(value, path);
    if (text === undefined) return undefined;
    const trimmed = text.trim();
    const parsed = new Date(`${trimmed}T00:00:00Z`);
    if (
      !/^\d{4}-\d{2}-\d{2}$/.test(trimmed) ||
      Number.isNaN(parsed.getTime()) ||
      parsed.toISOString().slice(0, 10) !== trimmed
    ) {
      return this.error(path, `"${text}" is not a date like 2024-05-31`);
    }
    return trimmed;
  }

  /** A boolean (`true`/`false`, also as text, `yes`/`no`, `1`/`0` in CSV). */
  boolean(value: unknown, path: readonly (string | number)[]): boolean | undefined {
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string') {
      const text = value.trim().toLowerCase();
      if (['true', 'yes', '1', 'y'].includes(text)) return true;
      if (['false', 'no', '0', 'n'].includes(text)) return false;
    }
    return this.error(path, `must be true or false, not ${describe(value)}`);
  }

  /** A non-negative number. */
  number(value: unknown, path: readonly (string | number)[]): number | undefined {
    if (value === undefined || value === null || value === '') return undefined;
    const number = typeof value === 'string' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isFinite(number) || number < 0) {
      return this.error(path, `must be a non-negative number, not ${describe(value)}`);
    }
    return number;
  }

  /** One of `allowed` (compared ignoring case); returns the allowed spelling. */
  oneOf<T extends string>(
    value: unknown,
    path: readonly (string | number)[],
    allowed: readonly T[],
  ): T | undefined {
    const text = this.string(value, path);
    if (text === undefined) return undefined;
    const match = allowed.find((option) => option.toLowerCase() === text.trim().toLowerCase());
    return match ?? this.error(path, `"${text}" is not one of ${allowed.join(', ')}`);
  }

  /** A list of strings: a JSON array, or (from CSV) text separated by `;` or `,`. */
  list(value: unknown, path: readonly (string | number)[]): string[] {
    if (value === undefined || value === null || value === '') return [];
    if (typeof value === 'string') {
      return value
        .split(/[;,]/)
        .map((item) => item.trim())
        .filter(Boolean);
    }
    if (!Array.isArray(value)) {
      this.error(path, `must be a list of strings, not ${describe(value)}`);
      return [];
    }
    const out: string[] = [];
    value.forEach((item, index) => {
      const text = this.string(item, [...path, index]);
      if (text !== undefined) out.push(text);
    });
    return out;
  }
}

/** A short description of a JSON value's type, for messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}...` : value}"`;
  return `${typeof value} ${String(value)}`;
}
