/**
 * CDEvents (https://cdevents.dev, spec v0.4.x and v0.5.x, and the v0.6 drafts) to delivery records.
 *
 * Input is one event, a JSON array of events, or NDJSON (one event per line). Each event's context
 * is checked (`specversion`, called `version` in v0.4; `id`, `source`, `type`, `timestamp`), then
 * the subject fields Pave needs; a malformed event is reported with a JSON pointer (and for NDJSON
 * its line) and dropped, the other events are kept. Types Pave does not use are kept as raw events.
 *
 * Where Pave finds what the spec leaves open (see docs/delivery-formats.md):
 * - the service: `customData["pave.dev/service"]`, else `subject.id` for service events and
 *   `subject.content.service.id` for incidents;
 * - the commit: `customData["pave.dev/sha"]`, else the purl in `subject.content.artifactId`
 *   (a `vcs_url` qualifier ending in `@<sha>`, or a version that is a full sha);
 * - the environment: `customData["pave.dev/environment"]`, else `subject.content.environment.id`.
 */
import type { SourceLocation } from '../../core/errors.js';
import { parseTimestamp } from '../../core/timestamp.js';
import type {
  Deployment,
  IncidentSignalKind,
  PipelineRun,
  PullRequest,
  RunStatus,
  TaskRun,
  TestCaseResult,
  TestStatus,
} from '../model.js';
import {
  describe,
  isObject,
  lookup,
  nonEmptyString,
  normaliseSha,
  optional,
  put,
  truncate,
} from './fields.js';
import { locateJsonError, parseJsonText } from './jsonText.js';
import { commitFromArtifactId } from './purl.js';
import { type IngestOptions, type IngestResult, RecordCollector } from './recordCollector.js';

/** Options of `parseCdevents`. */
export interface CdeventsOptions extends IngestOptions {
  /** `auto` (default) tells an array, one event and NDJSON apart by their first lines. */
  format?: 'auto' | 'json' | 'ndjson';
}

/** The `<subject>.<predicate>` types Pave turns into records; every other type is kept raw. */
export const CDEVENTS_USED_TYPES = [
  'service.deployed',
  'service.upgraded',
  'service.rolledback',
  'change.created',
  'change.reviewed',
  'change.merged',
  'pipelinerun.finished',
  'taskrun.finished',
  'testcaserun.finished',
  'testsuiterun.finished',
  'incident.detected',
  'incident.reported',
  'incident.resolved',
] as const;

const USED = new Set<string>(CDEVENTS_USED_TYPES);

// dev.cdevents.<subject>.<predicate>.<major>.<minor>.<patch>[-pre]; custom events use dev.cdeventsx.
const TYPE = /^dev\.cdevents\.([a-z]+)\.([a-z]+)\.(\d+)\.(\d+)\.(\d+)(?:-[0-9A-Za-z.-]+)?$/;
const CUSTOM_TYPE = /^dev\.cdeventsx\./;
const NON_BLANK = /\S/;

/** Parses CDEvents text: one event, an array of events, or NDJSON. */
export function parseCdevents(text: string, options: CdeventsOptions = {}): IngestResult {
  const collector = new RecordCollector(options.file);
  const reader = new CdeventReader(collector, options.receivedAt);
  const format =
    options.format === undefined || options.format === 'auto' ? detectFormat(text) : options.format;
  if (format === 'ndjson') {
    let lineNumber = 0;
    let start = 0;
    while (start <= text.length) {
      let end = text.indexOf('\n', start);
      if (end === -1) end = text.length;
      lineNumber++;
      reader.readLine(text.slice(start, end), lineNumber);
      start = end + 1;
    }
  } else {
    const parsed = parseJsonText(text);
    if (!parsed.ok) {
      collector.error(`invalid JSON: ${parsed.error.message}`, {
        line: parsed.error.line,
        column: parsed.error.column,
      });
    } else {
      reader.readValue(parsed.value);
    }
  }
  return collector.finish(options.atomic);
}

/** Reads an already parsed body: one event object or an array of them. */
export function parseCdeventsValue(value: unknown, options: IngestOptions = {}): IngestResult {
  const collector = new RecordCollector(options.file);
  new CdeventReader(collector, options.receivedAt).readValue(value);
  return collector.finish(options.atomic);
}

/**
 * Reads NDJSON from a stream of lines (a big file need not be in memory) and yields one result per
 * `batchSize` lines; line numbers run on across batches. `atomic` applies per batch.
 */
export async function* parseCdeventsLines(
  lines: AsyncIterable<string> | Iterable<string>,
  options: IngestOptions & { batchSize?: number } = {},
): AsyncGenerator<IngestResult> {
  const batchSize = options.batchSize ?? 10_000;
  let collector = new RecordCollector(options.file);
  let reader = new CdeventReader(collector, options.receivedAt);
  let lineNumber = 0;
  let inBatch = 0;
  for await (const line of lines) {
    lineNumber++;
    reader.readLine(line, lineNumber);
    if (++inBatch >= batchSize) {
      yield collector.finish(options.atomic);
      collector = new RecordCollector(options.file);
      reader = new CdeventReader(collector, options.receivedAt);
      inBatch = 0;
    }
  }
  if (inBatch > 0) yield collector.finish(options.atomic);
}

/**
 * NDJSON when the text starts with an object whose first line is a complete JSON value and a
 * second non-blank line starts another object; otherwise one JSON document. A pretty-printed event
 * (first line `{`) stays one document.
 */
export function detectFormat(text: string): 'json' | 'ndjson' {
  const start = text.search(/\S/);
  if (start === -1 || text[start] !== '{') return 'json';
  const firstEnd = text.indexOf('\n', start);
  if (firstEnd === -1) return 'json';
  const rest = text.slice(firstEnd + 1).search(/\S/);
  if (rest === -1) return 'json';
  return text[firstEnd + 1 + rest] === '{' ? 'ndjson' : 'json';
}

/** Where one event sits in the input. */
interface Place {
  /** JSON pointer of the event itself ('' for a single event or an NDJSON line). */
  pointer: string;
  /** NDJSON line (line N of the file is event N). */
  line?: number;
}

/** The checked context of an event. */
interface Context {
  id: string;
  source: string;
  type: string;
  subject: string;
  predicate: string;
  timestamp: string;
}

const OUTCOMES: Record<string, RunStatus> = {
  success: 'success',
  failure: 'failure',
  error: 'failure',
  cancel: 'cancelled',
};
const TEST_OUTCOMES: Record<string, TestStatus> = {
  success: 'passed',
  failure: 'failed',
  error: 'error',
  cancel: 'skipped',
};

/** Turns events into records in a collector. */
class CdeventReader {
  private readonly receivedAt: string;

  constructor(
    private readonly out: RecordCollector,
    receivedAt: Date | undefined,
  ) {
    this.receivedAt = (receivedAt ?? new Date()).toISOString();
  }

  readLine(line: string, lineNumber: number): void {
    const text = line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
    if (text.length === 0 || !NON_BLANK.test(text)) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.out.events++;
      const located = locateJsonError(text, error instanceof Error ? error.message : String(error));
      this.out.error(`invalid JSON: ${located.message}`, { line: lineNumber, column: located.column });
      return;
    }
    this.readEvent(value, { pointer: '', line: lineNumber });
  }

  readValue(value: unknown): void {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) this.readEvent(value[i], { pointer: `/${i}` });
    } else {
      this.readEvent(value, { pointer: '' });
    }
  }

  private error(place: Place, path: string, message: string): void {
    const location: Omit<SourceLocation, 'file'> = { pointer: place.pointer + path };
    if (place.line !== undefined) location.line = place.line;
    this.out.error(message, location);
  }

  private readEvent(event: unknown, place: Place): void {
    this.out.events++;
    if (!isObject(event)) {
      this.error(place, '', `a CDEvent must be a JSON object, not ${describe(event)}`);
      return;
    }
    const context = this.readContext(event, place);
    if (!context) return;
    const subject = event.subject;
    if (!isObject(subject)) {
      this.error(
        place,
        '/subject',
        subject === undefined ? 'required' : `must be an object, not ${describe(subject)}`,
      );
      return;
    }
    if (nonEmptyString(subject.id) === undefined) {
      this.error(place, '/subject/id', requiredString(subject.id));
      return;
    }
    const kind = `${context.subject}.${context.predicate}`;
    if (!USED.has(kind)) {
      const custom = CUSTOM_TYPE.test(context.type);
      this.keepRaw(event, context, custom ? 'a custom event type' : 'not a type Pave uses');
      return;
    }
    if (!context.type.startsWith(`dev.cdevents.${kind}.0.`)) {
      this.keepRaw(event, context, 'an event version Pave does not know (it reads 0.x)');
      return;
    }
    const content = subject.content;
    if (!isObject(content)) {
      this.error(
        place,
        '/subject/content',
        content === undefined ? 'required' : `must be an object, not ${describe(content)}`,
      );
      return;
    }
    const custom = isObject(event.customData) ? event.customData : undefined;
    const input: EventInput = { event, context, subject, content, custom, place };
    switch (context.subject) {
      case 'service':
        this.deployment(input);
        return;
      case 'change':
        this.change(input);
        return;
      case 'pipelinerun':
        this.pipelineRun(input);
        return;
      case 'taskrun':
        this.taskRun(input);
        return;
      case 'testcaserun':
        this.testCaseRun(input);
        return;
      case 'testsuiterun':
        this.testSuiteRun(input);
        return;
      case 'incident':
        this.incident(input);
        return;
    }
  }

  private readContext(event: Record<string, unknown>, place: Place): Context | undefined {
    const context = event.context;
    if (!isObject(context)) {
      this.error(
        place,
        '/context',
        context === undefined ? 'required' : `must be an object, not ${describe(context)}`,
      );
      return undefined;
    }
    // v0.4 events carry `version`; the current schemas renamed it `specversion`: accept either.
    const specField = context.specversion !== undefined ? 'specversion' : 'version';
    if (nonEmptyString(context[specField]) === undefined) {
      this.error(
        place,
        context[specField] === undefined ? '/context/specversion' : `/context/${specField}`,
        context[specField] === undefined
          ? 'required (CDEvents v0.4 and earlier call it "version")'
          : requiredString(context[specField]),
      );
      return undefined;
    }
    const id = nonEmptyString(context.id);
    if (id === undefined) {
      this.error(place, '/context/id', requiredString(context.id));
      return undefined;
    }
    const source = nonEmptyString(context.source);
    if (source === undefined) {
      this.error(place, '/context/source', requiredString(context.source));
      return undefined;
    }
    const type = context.type;
    if (typeof type !== 'string') {
      this.error(place, '/context/type', requiredString(type));
      return undefined;
    }
    const match = TYPE.exec(type);
    if (!match && !CUSTOM_TYPE.test(type)) {
      this.error(
        place,
        '/context/type',
        `"${truncate(type)}" is not a CDEvents type: expected dev.cdevents.<subject>.<predicate>.<major>.<minor>.<patch>`,
      );
      return undefined;
    }
    const timestamp = parseTimestamp(context.timestamp, { requireZone: true });
    if (timestamp === undefined) {
      this.error(
        place,
        '/context/timestamp',
        context.timestamp === undefined
          ? 'required'
          : `${describe(context.timestamp)} is not an RFC 3339 timestamp with a time zone`,
      );
      return undefined;
    }
    return { id, source, type, subject: match?.[1] ?? '', predicate: match?.[2] ?? '', timestamp };
  }

  private keepRaw(event: Record<string, unknown>, context: Context, reason: string): void {
    this.out.addRaw({
      id: `cdevents:${context.type}:${context.source}:${context.id}`,
      source: 'cdevents',
      type: context.type,
      receivedAt: this.receivedAt,
      reason,
      payload: event,
    });
  }

  /** The event's own key: its type (events of different types never collapse), source and id. */
  private eventKey(context: Context): string {
    return `cdevents:${context.subject}.${context.predicate}:${context.source}:${context.id}`;
  }

  private deployment(input: EventInput): void {
    const { context, subject, content, custom, place } = input;
    const environment = customString(input, 'environment') ?? this.environmentId(input, true);
    if (environment === undefined) return;
    const artifact = this.optionalString(input, content.artifactId, '/subject/content/artifactId');
    if (artifact === null) return;
    const unplanned = custom?.['pave.dev/unplanned'];
    if (unplanned !== undefined && typeof unplanned !== 'boolean') {
      this.error(
        place,
        '/customData/pave.dev~1unplanned',
        `must be true or false, not ${describe(unplanned)}`,
      );
      return;
    }
    const sha =
      this.customSha(input) ?? (artifact === undefined ? undefined : commitFromArtifactId(artifact));
    const deployment: Deployment = {
      id: customString(input, 'deployment-id') ?? this.eventKey(context),
      service: customString(input, 'service') ?? (subject.id as string),
      environment,
      status: 'success',
      finishedAt: context.timestamp,
      statusAt: context.timestamp,
      source: 'cdevents',
      sourceRef: context.id,
    };
    if (sha !== undefined) deployment.sha = sha;
    if (artifact !== undefined) deployment.artifact = artifact;
    if (context.predicate === 'rolledback') deployment.rollback = true;
    const rollbackOf = customString(input, 'rollback-of');
    if (rollbackOf !== undefined) deployment.rollbackOf = rollbackOf;
    const remediates = customString(input, 'remediates');
    if (remediates !== undefined) deployment.remediates = remediates;
    if (typeof unplanned === 'boolean') deployment.unplanned = unplanned;
    const repository = customString(input, 'repository');
    if (repository !== undefined) deployment.repository = repository;
    this.out.add('deployments', deployment);
  }

  private change(input: EventInput): void {
    const { context, subject, content, place } = input;
    const repositoryObject = content.repository;
    let repository: string | undefined;
    if (repositoryObject !== undefined) {
      if (!isObject(repositoryObject)) {
        this.error(
          place,
          '/subject/content/repository',
          `must be an object, not ${describe(repositoryObject)}`,
        );
        return;
      }
      repository = nonEmptyString(repositoryObject.id);
      if (repository === undefined) {
        this.error(place, '/subject/content/repository/id', requiredString(repositoryObject.id));
        return;
      }
    }
    const subjectSource = nonEmptyString(subject.source) ?? context.source;
    const description = this.optionalString(input, content.description, '/subject/content/description');
    if (description === null) return;
    const change: PullRequest = {
      id: `cdevents:change:${subjectSource}:${subject.id as string}`,
      repository: customString(input, 'repository') ?? repository ?? subjectSource,
      source: 'cdevents',
      sourceRef: context.id,
    };
    put(change, 'title', description);
    if (context.predicate === 'reviewed') {
      // A review event names no reviewer: the earliest one is the first review (pickup ends there).
      put(change, 'firstReviewAt', context.timestamp);
    } else {
      const merged = context.predicate === 'merged';
      put(change, merged ? 'mergedAt' : 'createdAt', context.timestamp);
      put(change, merged ? 'mergeCommitSha' : 'headSha', this.customSha(input));
    }
    put(change, 'service', customString(input, 'service'));
    this.out.add('pullRequests', change);
  }

  private pipelineRun(input: EventInput): void {
    const { context, subject, content } = input;
    const status = this.outcome(input, OUTCOMES);
    if (status === null || status === undefined) return;
    const pipelineName = this.optionalString(input, content.pipelineName, '/subject/content/pipelineName');
    if (pipelineName === null) return;
    const subjectSource = nonEmptyString(subject.source) ?? context.source;
    const run: PipelineRun = {
      id: `cdevents:pipelinerun:${subjectSource}:${subject.id as string}`,
      pipeline: pipelineName ?? subjectSource,
      status,
      finishedAt: context.timestamp,
      source: 'cdevents',
      sourceRef: nonEmptyString(content.uri) ?? context.id,
    };
    put(run, 'service', customString(input, 'service'));
    put(run, 'repository', customString(input, 'repository'));
    put(run, 'sha', this.customSha(input));
    this.out.add('pipelineRuns', run);
  }

  private taskRun(input: EventInput): void {
    const { context, subject, content, place } = input;
    const status = this.outcome(input, OUTCOMES);
    if (status === null || status === undefined) return;
    const taskName = this.optionalString(input, content.taskName, '/subject/content/taskName');
    if (taskName === null) return;
    const subjectSource = nonEmptyString(subject.source) ?? context.source;
    let pipelineRunId: string | undefined;
    const pipelineRun = content.pipelineRun;
    if (pipelineRun !== undefined) {
      if (!isObject(pipelineRun) || nonEmptyString(pipelineRun.id) === undefined) {
        this.error(place, '/subject/content/pipelineRun/id', 'required: the pipeline run this task ran in');
        return;
      }
      const runSource = nonEmptyString(pipelineRun.source) ?? subjectSource;
      pipelineRunId = `cdevents:pipelinerun:${runSource}:${pipelineRun.id as string}`;
    }
    const task: TaskRun = {
      id: `cdevents:taskrun:${subjectSource}:${subject.id as string}`,
      name: taskName ?? (subject.id as string),
      status,
      finishedAt: context.timestamp,
      source: 'cdevents',
      sourceRef: nonEmptyString(content.uri) ?? context.id,
    };
    put(task, 'pipelineRunId', pipelineRunId);
    put(task, 'sha', this.customSha(input));
    this.out.add('taskRuns', task);
  }

  private testCaseRun(input: EventInput): void {
    const { context, subject, content, place } = input;
    const status = this.outcome(input, TEST_OUTCOMES, true);
    if (status === null || status === undefined) return;
    const testCase = content.testCase;
    if (testCase !== undefined && !isObject(testCase)) {
      this.error(place, '/subject/content/testCase', `must be an object, not ${describe(testCase)}`);
      return;
    }
    const test = nonEmptyString(testCase?.name) ?? nonEmptyString(testCase?.id);
    if (test === undefined) {
      this.keepRaw(input.event, context, 'no subject.content.testCase: the test cannot be identified');
      return;
    }
    const subjectSource = nonEmptyString(subject.source) ?? context.source;
    const result: TestCaseResult = {
      id: `cdevents:testcaserun:${subjectSource}:${subject.id as string}`,
      test,
      status,
      at: context.timestamp,
      source: 'cdevents',
    };
    put(result, 'pipelineRunId', customString(input, 'pipeline-run-id'));
    put(result, 'sha', this.customSha(input));
    put(result, 'suite', customString(input, 'suite'));
    put(result, 'message', nonEmptyString(content.reason));
    this.out.add('testCaseResults', result);
  }

  private testSuiteRun(input: EventInput): void {
    const { context, subject, content, place } = input;
    const status = this.outcome(input, TEST_OUTCOMES, true);
    if (status === null || status === undefined) return;
    const testSuite = content.testSuite;
    if (testSuite !== undefined && !isObject(testSuite)) {
      this.error(place, '/subject/content/testSuite', `must be an object, not ${describe(testSuite)}`);
      return;
    }
    const suite = nonEmptyString(testSuite?.name) ?? nonEmptyString(testSuite?.id);
    if (suite === undefined) {
      this.keepRaw(input.event, context, 'no subject.content.testSuite: the suite cannot be identified');
      return;
    }
    const subjectSource = nonEmptyString(subject.source) ?? context.source;
    const environment = this.environmentId(input, false);
    if (environment === null) return;
    this.out.add('testSuiteRuns', {
      id: `cdevents:testsuiterun:${subjectSource}:${subject.id as string}`,
      suite,
      ...optional('pipelineRunId', customString(input, 'pipeline-run-id')),
      ...optional('sha', this.customSha(input)),
      status,
      ...optional('environment', environment),
      finishedAt: context.timestamp,
      source: 'cdevents',
    });
  }

  private incident(input: EventInput): void {
    const { context, subject, content, place } = input;
    const service = content.service;
    let serviceId: string | undefined;
    if (service !== undefined) {
      if (!isObject(service) || nonEmptyString(service.id) === undefined) {
        this.error(place, '/subject/content/service/id', 'required when subject.content.service is given');
        return;
      }
      serviceId = service.id as string;
    }
    const environment = this.environmentId(input, false);
    if (environment === null) return;
    const artifact = this.optionalString(input, content.artifactId, '/subject/content/artifactId');
    if (artifact === null) return;
    const description = this.optionalString(input, content.description, '/subject/content/description');
    if (description === null) return;
    const sha =
      this.customSha(input) ?? (artifact === undefined ? undefined : commitFromArtifactId(artifact));
    this.out.add('incidentSignals', {
      id: this.eventKey(context),
      incidentId: subject.id as string,
      incidentSource: nonEmptyString(subject.source) ?? context.source,
      kind: context.predicate as IncidentSignalKind,
      at: context.timestamp,
      ...optional('service', customString(input, 'service') ?? serviceId),
      ...optional('environment', customString(input, 'environment') ?? environment),
      ...optional('sha', sha),
      ...optional('artifact', artifact),
      ...optional('deploymentId', customString(input, 'deployment-id')),
      ...optional('description', description),
      ...optional('ticketUri', nonEmptyString(content.ticketURI)),
      source: 'cdevents',
    });
  }

  /**
   * `subject.content.environment.id`. Returns `null` after reporting an error, `undefined` when
   * absent and not `required` (when required, absence is an error and returns `undefined`).
   */
  private environmentId(input: EventInput, required: true): string | undefined;
  private environmentId(input: EventInput, required: false): string | undefined | null;
  private environmentId(input: EventInput, required: boolean): string | undefined | null {
    const environment = input.content.environment;
    if (environment === undefined && !required) return undefined;
    if (!isObject(environment)) {
      this.error(
        input.place,
        '/subject/content/environment',
        environment === undefined ? 'required' : `must be an object, not ${describe(environment)}`,
      );
      return required ? undefined : null;
    }
    const id = nonEmptyString(environment.id);
    if (id === undefined) {
      this.error(input.place, '/subject/content/environment/id', requiredString(environment.id));
      return required ? undefined : null;
    }
    return id;
  }

  /** `subject.content.outcome` mapped; `null` after an error; `undefined` (kept raw) when absent. */
  private outcome<T>(input: EventInput, map: Record<string, T>, required = false): T | null | undefined {
    const outcome = input.content.outcome;
    if (outcome === undefined && !required) {
      this.keepRaw(input.event, input.context, 'no subject.content.outcome: the run cannot be counted');
      return undefined;
    }
    const status = lookup(map, outcome);
    if (status === undefined) {
      this.error(
        input.place,
        '/subject/content/outcome',
        outcome === undefined
          ? 'required'
          : `must be one of ${Object.keys(map).join(', ')}, not ${describe(outcome)}`,
      );
      return null;
    }
    return status;
  }

  /** An optional string field: the string, `undefined` when absent, `null` after reporting a wrong type. */
  private optionalString(input: EventInput, value: unknown, path: string): string | undefined | null {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value.length > 0 ? value : undefined;
    this.error(input.place, path, `must be a string, not ${describe(value)}`);
    return null;
  }

  /** `customData["pave.dev/sha"]`, checked: a wrong sha is a warning and is ignored. */
  private customSha(input: EventInput): string | undefined {
    const value = input.custom?.['pave.dev/sha'];
    if (value === undefined) return undefined;
    const sha = normaliseSha(value);
    if (sha === undefined) {
      const location: Omit<SourceLocation, 'file'> = {
        pointer: `${input.place.pointer}/customData/pave.dev~1sha`,
      };
      if (input.place.line !== undefined) location.line = input.place.line;
      this.out.warn(`${describe(value)} is not a commit sha (7 to 64 hex digits); ignored`, location);
    }
    return sha;
  }
}

/** One event being read, with its parts already checked. */
interface EventInput {
  event: Record<string, unknown>;
  context: Context;
  subject: Record<string, unknown>;
  content: Record<string, unknown>;
  custom: Record<string, unknown> | undefined;
  place: Place;
}

/** `customData["pave.dev/<key>"]` when it is a non-empty string. */
function customString(input: EventInput, key: string): string | undefined {
  return nonEmptyString(input.custom?.[`pave.dev/${key}`]);
}

function requiredString(value: unknown): string {
  return value === undefined ? 'required' : `must be a non-empty string, not ${describe(value)}`;
}
