/**
 * SLI data sent to Pave: a JSON body or file `{ "points": [ { start, end, good, total } ] }`, or a
 * CSV file with the columns `start,end,good,total` (any order, more columns ignored). Every
 * problem is located: a JSON pointer (`/points/3/end`) or a CSV row (the header is row 0).
 *
 * Rules (besides each point's own: end after start, 0 <= good <= total, finite numbers): points
 * may come in any order; the same interval twice with the same counts is one point; the same
 * interval with other counts, or intervals that overlap, are errors (events would count twice).
 */
import { jsonPointer, type Problem, type SourceLocation } from '../../core/errors.js';
import { type SliPoint, SliPointSchema, SliPointsBodySchema } from './model.js';

/** Points read, each with where it was read from, and the problems found. */
export interface SliPointsRead {
  points: SliPoint[];
  problems: Problem[];
}

interface Located {
  point: SliPoint;
  location: SourceLocation;
}

/** Reads a parsed JSON body (`{ points: [...] }`). */
export function readSliPointsJson(value: unknown, file: string): SliPointsRead {
  const parsed = SliPointsBodySchema.safeParse(value);
  if (!parsed.success) {
    return {
      points: [],
      problems: parsed.error.issues.map((issue) => ({
        severity: 'error',
        message: issue.message,
        location: { file, pointer: jsonPointer(issue.path as (string | number)[]) },
      })),
    };
  }
  const located = parsed.data.points.map((point, index) => ({
    point: toPoint(point),
    location: { file, pointer: `/points/${index}` },
  }));
  return checkPoints(located);
}

/** Reads a JSON or CSV file's text: JSON when it starts with `{`, CSV otherwise. */
export function readSliPointsText(text: string, file: string): SliPointsRead {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{')) return readSliPointsCsv(text, file);
  try {
    return readSliPointsJson(JSON.parse(text), file);
  } catch (error) {
    return { points: [], problems: [jsonSyntaxProblem(error as Error, text, file)] };
  }
}

/** Reads CSV with a header naming `start`, `end`, `good` and `total`. */
export function readSliPointsCsv(text: string, file: string): SliPointsRead {
  const records = parseCsv(text);
  const header = records.shift();
  const problems: Problem[] = [];
  if (!header) {
    return {
      points: [],
      problems: [{ severity: 'error', message: 'the file is empty', location: { file } }],
    };
  }
  const names = header.cells.map((cell) => cell.trim().toLowerCase());
  const columns = Object.fromEntries(
    ['start', 'end', 'good', 'total'].map((name) => [name, names.indexOf(name)]),
  );
  const missing = Object.entries(columns).filter(([, index]) => index === -1);
  if (missing.length > 0) {
    return {
      points: [],
      problems: [
        {
          severity: 'error',
          message: `the CSV header must name the columns start, end, good and total; it lacks ${missing.map(([name]) => name).join(', ')}`,
          location: { file, row: 0 },
        },
      ],
    };
  }
  const located: Located[] = [];
  for (const record of records) {
    const location = { file, row: record.row };
    const cell = (name: string) => (record.cells[columns[name]!] ?? '').trim();
    const candidate = {
      start: cell('start'),
      end: cell('end'),
      good: csvNumber(cell('good')),
      total: csvNumber(cell('total')),
    };
    const parsed = SliPointSchema.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const column = String(issue.path[0] ?? '');
        problems.push({
          severity: 'error',
          message: column ? cellMessage(column, issue, cell(column)) : issue.message,
          // With the row, the pointer names the CSV column: `x.csv:3: error: column good: ...`.
          location: column ? { ...location, pointer: `/${column}` } : location,
        });
      }
      continue;
    }
    located.push({ point: toPoint(parsed.data), location });
  }
  if (records.length === 0)
    problems.push({ severity: 'error', message: 'the CSV file has no data rows', location: { file } });
  const checked = checkPoints(located);
  return { points: problems.length > 0 ? [] : checked.points, problems: [...problems, ...checked.problems] };
}

/** A bad cell in words: what the column must hold, and what it held. */
function cellMessage(column: string, issue: { code: string; message: string }, text: string): string {
  const found = text === '' ? 'it is empty' : `not "${text}"`;
  if (column === 'good' || column === 'total') {
    if (issue.code === 'invalid_type') return `must be a number, ${found}`;
    if (issue.code === 'too_small') return `must be 0 or more, not ${text}`;
  }
  if ((column === 'start' || column === 'end') && issue.code === 'invalid_format') {
    return `must be an ISO-8601 time with a time zone (2026-01-31T10:00:00Z), ${found}`;
  }
  return issue.message;
}

function toPoint(point: { start: string; end: string; good: number; total: number }): SliPoint {
  return { start: new Date(point.start), end: new Date(point.end), good: point.good, total: point.total };
}

/** A CSV number cell: a number, or NaN (which the schema rejects) for anything else, blanks included. */
function csvNumber(text: string): number {
  return text === '' ? Number.NaN : Number(text);
}

/** Drops exact repeats; reports repeats with other counts and overlapping intervals. */
function checkPoints(located: readonly Located[]): SliPointsRead {
  const problems: Problem[] = [];
  const sorted = [...located].sort(
    (a, b) =>
      a.point.start.getTime() - b.point.start.getTime() || a.point.end.getTime() - b.point.end.getTime(),
  );
  const kept: Located[] = [];
  for (const item of sorted) {
    const previous = kept[kept.length - 1];
    if (previous) {
      const same =
        previous.point.start.getTime() === item.point.start.getTime() &&
        previous.point.end.getTime() === item.point.end.getTime();
      if (same) {
        if (previous.point.good !== item.point.good || previous.point.total !== item.point.total) {
          problems.push({
            severity: 'error',
            message: `the interval ${interval(item.point)} is also at ${where(previous.location)} with other counts`,
            location: item.location,
          });
        }
        continue;
      }
      if (item.point.start < previous.point.end) {
        problems.push({
          severity: 'error',
          message: `${interval(item.point)} overlaps ${interval(previous.point)} at ${where(previous.location)}: its events would count twice`,
          location: item.location,
        });
        continue;
      }
    }
    kept.push(item);
  }
  return { points: problems.length > 0 ? [] : kept.map((item) => item.point), problems };
}

/** `start/end` in ISO-8601 interval notation. */
export function interval(point: Pick<SliPoint, 'start' | 'end'>): string {
  return `${point.start.toISOString()}/${point.end.toISOString()}`;
}

function where(location: SourceLocation): string {
  return location.pointer ?? (location.row !== undefined ? `row ${location.row}` : '?');
}

/** A JSON syntax error with the line and column where the text stops being JSON. */
function jsonSyntaxProblem(error: Error, text: string, file: string): Problem {
  const offset = jsonErrorOffset(text);
  const location: SourceLocation = { file };
  if (offset !== undefined) {
    const lines = text.slice(0, offset).split('\n');
    location.line = lines.length;
    location.column = lines[lines.length - 1]!.length + 1;
  }
  return { severity: 'error', message: `malformed JSON: ${error.message}`, location };
}

/**
 * The offset of the first character that makes `text` invalid JSON (Node 20's `JSON.parse` no longer
 * says), found by a small recursive-descent scan; `undefined` if the scan finds nothing wrong.
 */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    for (const c of word) {
      if (text[i] !== c) fail();
      i++;
    }
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      i += text[i] === '\\' ? 2 : 1;
    }
    if (i >= text.length) fail();
    i++;
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      space();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === '{') {
          space();
          if (text[i] !== '"') fail();
          string();
          space();
          if (text[i] !== ':') fail();
          i++;
        }
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === close) {
          i++;
          return;
        } else fail();
      }
    }
    if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else {
      const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      if (!number) fail();
      i += number![0].length;
    }
  };
  try {
    value();
    space();
    return i < text.length ? i : undefined;
  } catch (offset) {
    return offset as number;
  }
}

/** CSV records with their 0-based row numbers (the header is row 0); blank lines are skipped. */
function parseCsv(text: string): { row: number; cells: string[] }[] {
  const records: { row: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let row = 0;
  const endRecord = () => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0]!.trim() === '')) records.push({ row: row++, cells });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\n') endRecord();
    else if (c !== '\r') cell += c;
  }
  if (cell !== '' || cells.length > 0) endRecord();
  return records;
}
