/**
 * JUnit XML test reports to test case results.
 *
 * There is no formal standard; Pave reads the common shape the tools share (Ant's
 * `<testsuites>/<testsuite>/<testcase>`, as written by Maven Surefire, pytest `--junitxml` and
 * jest-junit): a test case passed unless it has a `<failure>` (failed), `<error>` (error) or
 * `<skipped>` (skipped) child. Surefire's re-runs (`<flakyFailure>`, `<flakyError>` inside a
 * test case that finally passed) become failed attempts of the same test on the same commit,
 * which is what flaky-test detection looks for.
 */
import { createHash } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { InputError } from '../../core/errors.js';
import { parseTimestamp } from '../../core/timestamp.js';
import type { TestCaseResult, TestStatus } from '../model.js';
import { isObject, nonEmptyString, normaliseSha, put } from './fields.js';
import { lineAndColumn } from './jsonText.js';
import { type IngestOptions, type IngestResult, RecordCollector } from './recordCollector.js';

/** Options of `parseJUnit`. */
export interface JUnitOptions extends IngestOptions {
  /** The pipeline run the tests ran in; part of each result's id. */
  pipelineRunId?: string;
  /** The commit tested. */
  sha?: string;
  /** When the tests ran, for suites without a `timestamp` (default: `receivedAt`, then now). */
  at?: Date;
}

const MESSAGE_LIMIT = 500;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  htmlEntities: false,
  isArray: (name) => ARRAY_ELEMENTS.has(name),
});
const ARRAY_ELEMENTS = new Set([
  'testsuite',
  'testcase',
  'failure',
  'error',
  'skipped',
  'flakyFailure',
  'flakyError',
  'rerunFailure',
  'rerunError',
]);

/**
 * fast-xml-parser's validation error, readable and where it is. Elements left open at the end are
 * reported by the validator at 1:1 with a JSON list of their names: they are shown at the end of
 * the file, innermost first.
 */
function xmlError(
  xml: string,
  err: { msg: string; line: number; col?: number },
): { message: string; line: number; column?: number } {
  if (xml.trim() === '') return { message: 'the file is empty', line: 1, column: 1 };
  const open = /^Invalid '(\[[\s\S]*\])' found\.$/.exec(err.msg);
  if (open) {
    let names: unknown;
    try {
      names = JSON.parse(open[1]!);
    } catch {
      names = undefined;
    }
    if (Array.isArray(names) && names.length > 0) {
      const tags = names.map((name) => `<${String(name)}>`).reverse();
      return {
        message: `the file ends before ${tags.join(', ')} ${tags.length === 1 ? 'is' : 'are'} closed (truncated?)`,
        ...lineAndColumn(xml, xml.length),
      };
    }
  }
  return { message: err.msg, line: err.line, ...(err.col !== undefined ? { column: err.col } : {}) };
}

/** Parses one JUnit XML report. */
export function parseJUnit(xml: string, options: JUnitOptions = {}): IngestResult {
  const out = new RecordCollector(options.file);
  let sha: string | undefined;
  if (options.sha !== undefined) {
    sha = normaliseSha(options.sha);
    if (sha === undefined)
      throw new InputError(`--sha "${options.sha}" is not a commit sha (7 to 64 hex digits)`);
  }
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const { message, line, column } = xmlError(xml, valid.err);
    out.error(`invalid XML: ${message}`, { line, ...(column !== undefined ? { column } : {}) });
    return out.finish(options.atomic);
  }
  const document = parser.parse(xml) as Record<string, unknown>;
  const rootName = Object.keys(document).find((key) => !key.startsWith('?') && key !== '#text');
  if (rootName !== 'testsuites' && rootName !== 'testsuite') {
    const found = rootName === undefined ? 'no element' : `<${rootName}>`;
    const offset = rootName === undefined ? 0 : Math.max(0, xml.indexOf(`<${rootName}`));
    out.error(`not a JUnit report: expected a <testsuites> or <testsuite> root element, found ${found}`, {
      ...lineAndColumn(xml, offset),
    });
    return out.finish(options.atomic);
  }
  const reader = new JUnitReader(out, {
    runKey: options.pipelineRunId ?? `sha256:${createHash('sha256').update(xml).digest('hex').slice(0, 16)}`,
    pipelineRunId: options.pipelineRunId,
    sha,
    defaultAt: (options.at ?? options.receivedAt ?? new Date()).toISOString(),
  });
  const root = document[rootName];
  if (rootName === 'testsuites') {
    for (const suite of asArray(isObject(root) ? root.testsuite : undefined)) reader.suite(suite, undefined);
  } else {
    for (const suite of asArray(root)) reader.suite(suite, undefined);
  }
  return out.finish(options.atomic);
}

interface RunInfo {
  runKey: string;
  pipelineRunId: string | undefined;
  sha: string | undefined;
  defaultAt: string;
}

class JUnitReader {
  /** How many times each suite+test was seen: the occurrence number keeps repeated names apart. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly out: RecordCollector,
    private readonly run: RunInfo,
  ) {}

  suite(element: unknown, inheritedAt: string | undefined): void {
    if (!isObject(element)) return;
    const name = nonEmptyString(element.name) ?? '';
    // Suite timestamps have no zone in most tools (local time); read as UTC, documented.
    const at = parseTimestamp(element.timestamp) ?? inheritedAt;
    for (const testCase of asArray(element.testcase)) this.testCase(testCase, name, at ?? this.run.defaultAt);
    // Some tools nest suites (one per class inside one per file).
    for (const nested of asArray(element.testsuite)) this.suite(nested, at);
  }

  private testCase(element: unknown, suite: string, at: string): void {
    this.out.events++;
    if (!isObject(element)) return;
    const name = nonEmptyString(element.name);
    if (name === undefined) {
      this.out.warn(`a <testcase> in suite "${suite}" has no name; skipped`);
      return;
    }
    const className = nonEmptyString(element.classname);
    const test = className === undefined || className === name ? name : `${className}.${name}`;
    const key = `${suite}\u0000${test}`;
    const occurrence = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, occurrence);
    const baseId = `junit:${this.run.runKey}:${suite}:${test}${occurrence > 1 ? `#${occurrence}` : ''}`;
    const durationSeconds = parseSeconds(element.time);

    const failure = first(element.failure);
    const error = first(element.error);
    const skipped = first(element.skipped);
    const status: TestStatus =
      failure !== undefined
        ? 'failed'
        : error !== undefined
          ? 'error'
          : skipped !== undefined
            ? 'skipped'
            : 'passed';
    const flaky = [
      ...asArray(element.flakyFailure).map((detail) => ({ status: 'failed' as const, detail })),
      ...asArray(element.flakyError).map((detail) => ({ status: 'error' as const, detail })),
    ];
    let attempt = 0;
    for (const { status: flakyStatus, detail } of flaky) {
      attempt++;
      this.add(
        `${baseId}@${attempt}`,
        suite,
        test,
        flakyStatus,
        at,
        parseSeconds(attributeOf(detail, 'time')),
        {
          attempt,
          message: messageOf(detail),
        },
      );
    }
    this.add(attempt > 0 ? `${baseId}@${attempt + 1}` : baseId, suite, test, status, at, durationSeconds, {
      attempt: attempt > 0 ? attempt + 1 : undefined,
      message: messageOf(failure ?? error ?? skipped),
    });
  }

  private add(
    id: string,
    suite: string,
    test: string,
    status: TestStatus,
    at: string,
    durationSeconds: number | undefined,
    extra: { attempt?: number | undefined; message?: string | undefined },
  ): void {
    const result: TestCaseResult = { id, test, status, at, source: 'junit' };
    if (suite !== '') result.suite = suite;
    put(result, 'pipelineRunId', this.run.pipelineRunId);
    put(result, 'sha', this.run.sha);
    put(result, 'durationSeconds', durationSeconds);
    put(result, 'attempt', extra.attempt);
    put(result, 'message', extra.message);
    this.out.add('testCaseResults', result);
  }
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** The first of a repeated child element, or `undefined`. (`<skipped/>` parses as ''.) */
function first(value: unknown): unknown {
  const list = asArray(value);
  return list.length > 0 ? (list[0] ?? '') : undefined;
}

function attributeOf(element: unknown, name: string): unknown {
  return isObject(element) ? element[name] : undefined;
}

/** A failure's `message` attribute, else the first line of its text, cut to 500 characters. */
function messageOf(element: unknown): string | undefined {
  if (element === undefined) return undefined;
  const text =
    nonEmptyString(attributeOf(element, 'message')) ??
    nonEmptyString(attributeOf(element, '#text'))?.trim().split('\n', 1)[0] ??
    (typeof element === 'string' ? nonEmptyString(element.trim().split('\n', 1)[0]) : undefined);
  if (text === undefined || text === '') return undefined;
  return text.length > MESSAGE_LIMIT ? `${text.slice(0, MESSAGE_LIMIT)}...` : text;
}

/** `time` in seconds; Surefire writes thousands separators (`1,234.5`) in some versions. */
function parseSeconds(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const seconds = Number(value.replaceAll(',', ''));
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}
