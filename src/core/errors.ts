/**
 * Errors and problems shared by every domain.
 *
 * A `Problem` is one thing wrong (or worth a warning) with some input, located as precisely as the
 * input allows: `file:line:col` for text files, a JSON pointer for JSON documents, a row and column
 * for CSV. `formatProblem` prints them all in one format.
 * A `PaveError` is thrown to stop an operation; the CLI maps it to an exit code and the HTTP app to
 * an RFC 9457 problem document.
 */

/** Where in an input a problem was found. Every field is optional: use what the input offers. */
export interface SourceLocation {
  /** File path or another name for the input (`request body`, `api:default`). */
  file?: string;
  /** 1-based line. */
  line?: number;
  /** 1-based column. */
  column?: number;
  /** RFC 6901 JSON pointer into a JSON document, e.g. `/events/3/subject/id`. */
  pointer?: string;
  /**
   * Data row of a CSV file, the header being row 0 (so row N is file line N + 1); with it, `pointer`
   * names the column (`/resolved_at`). NDJSON and other text inputs use `line`.
   */
  row?: number;
}

export type Severity = 'error' | 'warning';

/** One thing wrong with some input. */
export interface Problem {
  severity: Severity;
  message: string;
  location?: SourceLocation;
  /** The entity (or record) the problem belongs to, when known. */
  entityRef?: string;
}

/**
 * Where the problem is, as editors and CI annotations read it: `file:line:col`, `file:line`, or
 * just the file. A CSV row is shown as its file line (the header is line 1).
 */
export function formatLocation(location: SourceLocation | undefined): string {
  if (!location) return '';
  const line = location.line ?? (location.row !== undefined ? location.row + 1 : undefined);
  let text = location.file ?? '';
  if (line !== undefined) {
    text += `${text ? ':' : 'line '}${line}`;
    if (location.line !== undefined && location.column !== undefined) text += `:${location.column}`;
  }
  return text;
}

/** The place inside the line or document: a JSON pointer, or a CSV column (`column resolved_at`). */
function formatPlace(location: SourceLocation | undefined): string {
  if (location?.pointer === undefined || location.pointer === '') return '';
  if (location.row !== undefined && location.line === undefined) {
    // A CSV row's pointer names its column.
    return `column ${location.pointer.replace(/^\//, '').replaceAll('~1', '/').replaceAll('~0', '~')}`;
  }
  return location.pointer;
}

/**
 * One line for a terminal, the one format of every problem Pave prints:
 * `file:line:col: severity: [/json/pointer: ]message [entity]`. Parts the input does not offer are
 * left out: `pave.yaml:3:9: error: ...`, `events.ndjson:2:467: error: ...`,
 * `events.ndjson:3: error: /subject/id: required`, `incidents.csv:3: error: column resolved_at: ...`,
 * `error: --started: ...`.
 */
export function formatProblem(problem: Problem): string {
  const where = formatLocation(problem.location);
  const place = formatPlace(problem.location);
  const subject = problem.entityRef ? ` [${problem.entityRef}]` : '';
  return `${where ? `${where}: ` : ''}${problem.severity}: ${place ? `${place}: ` : ''}${problem.message}${subject}`;
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

/** Escapes one JSON pointer segment (RFC 6901). */
export function pointerSegment(segment: string | number): string {
  return String(segment).replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Builds a JSON pointer from path segments: `['a', 0, 'b/c']` -> `/a/0/b~1c`. */
export function jsonPointer(path: readonly (string | number)[]): string {
  return path.map((segment) => `/${pointerSegment(segment)}`).join('');
}

/** Base class of every error Pave throws on purpose. */
export class PaveError extends Error {
  /** HTTP status for the API. */
  readonly status: number;
  /** Process exit code for the CLI. */
  readonly exitCode: number;
  /** A short machine-readable type, used in the problem document's `type` URI. */
  readonly code: string;
  /** The individual problems behind the error, if any. */
  readonly problems: Problem[];

  constructor(
    message: string,
    options: {
      status?: number;
      exitCode?: number;
      code?: string;
      problems?: Problem[];
      cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = options.status ?? 500;
    this.exitCode = options.exitCode ?? 1;
    this.code = options.code ?? 'internal';
    this.problems = options.problems ?? [];
  }
}

/** The input is malformed or invalid: exit code 2, HTTP 400 (422 when it parsed but is invalid). */
export class InputError extends PaveError {
  constructor(message: string, problems: Problem[] = [], options: { status?: number; code?: string } = {}) {
    super(message, {
      status: options.status ?? 400,
      exitCode: 2,
      code: options.code ?? 'invalid-input',
      problems,
    });
  }
}

/** The thing asked for does not exist: exit code 1, HTTP 404. */
export class NotFoundError extends PaveError {
  constructor(message: string) {
    super(message, { status: 404, exitCode: 1, code: 'not-found' });
  }
}

/** The request conflicts with what is stored: exit code 1, HTTP 409. */
export class ConflictError extends PaveError {
  constructor(message: string, problems: Problem[] = []) {
    super(message, { status: 409, exitCode: 1, code: 'conflict', problems });
  }
}

/** Missing or wrong credentials or signature: HTTP 401. */
export class UnauthorizedError extends PaveError {
  constructor(message: string) {
    super(message, { status: 401, exitCode: 2, code: 'unauthorized' });
  }
}

/** The input is larger than allowed: HTTP 413. */
export class TooLargeError extends PaveError {
  constructor(message: string) {
    super(message, { status: 413, exitCode: 2, code: 'too-large' });
  }
}

/** Turns a thrown value into a message, for logs and last-resort error output. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A problem as JSON outputs show it: flat, with the location's parts as fields. */
export interface ProblemJson {
  severity: Severity;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  pointer?: string;
  row?: number;
  entityRef?: string;
}

export function toProblemJson(problem: Problem): ProblemJson {
  const { location } = problem;
  return {
    severity: problem.severity,
    message: problem.message,
    ...(location?.file !== undefined ? { file: location.file } : {}),
    ...(location?.line !== undefined ? { line: location.line } : {}),
    ...(location?.column !== undefined ? { column: location.column } : {}),
    ...(location?.pointer !== undefined ? { pointer: location.pointer } : {}),
    ...(location?.row !== undefined ? { row: location.row } : {}),
    ...(problem.entityRef !== undefined ? { entityRef: problem.entityRef } : {}),
  };
}
