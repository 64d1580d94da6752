/**
 * What every ingest adapter returns, and the collector that builds it: records grouped by table,
 * duplicates within the batch merged by id, the problems found, and the events not used.
 */
import { hasErrors, InputError, type Problem, type SourceLocation } from '../../core/errors.js';
import { mergeCommit, mergeDefined, mergeDeployment, mergePullRequest } from '../mergeRecords.js';
import { type DeliveryRecords, emptyRecords, type RawEvent, type UnusedReport } from '../model.js';

/** The outcome of parsing one input: its records, what was wrong, what was kept but not used. */
export interface IngestResult {
  records: DeliveryRecords;
  /** Errors (the event was dropped) and warnings (the event was kept). */
  problems: Problem[];
  /** Events accepted but not used, by type (each also in `records.rawEvents`). */
  unused: UnusedReport;
  /** How many events (lines, array items, webhook deliveries, test cases) were read. */
  events: number;
}

/** Options every adapter takes. */
export interface IngestOptions {
  /** Name of the input for problem locations: a path, `request body`. */
  file?: string;
  /** Any error is fatal: throw an `InputError` and return no records. */
  atomic?: boolean;
  /** When Pave received the input (defaults to now); stamps raw events. */
  receivedAt?: Date;
}

type RecordOf = { [K in keyof DeliveryRecords]: DeliveryRecords[K][number] };
type Merge<T> = (a: T, b: T) => T;

const MERGE: { [K in keyof DeliveryRecords]: Merge<RecordOf[K]> } = {
  deployments: mergeDeployment,
  pullRequests: mergePullRequest,
  commits: mergeCommit,
  pushes: mergeDefined,
  pipelineRuns: mergeDefined,
  taskRuns: mergeDefined,
  testCaseResults: mergeDefined,
  testSuiteRuns: mergeDefined,
  incidentSignals: mergeDefined,
  rawEvents: mergeDefined,
};

/** Collects the records of one batch: one record per id and table, merged when repeated. */
export class RecordCollector {
  readonly records: DeliveryRecords = emptyRecords();
  readonly problems: Problem[] = [];
  events = 0;
  private readonly indexes = new Map<keyof DeliveryRecords, Map<string, number>>();
  private readonly unused = new Map<string, { type: string; reason: string; count: number }>();

  constructor(private readonly file?: string) {}

  /** Adds a record, merging it into an earlier one with the same id (a commit: the same sha). */
  add<K extends keyof DeliveryRecords>(table: K, record: RecordOf[K]): void {
    const key = 'id' in record ? record.id : record.sha;
    let index = this.indexes.get(table);
    if (!index) {
      index = new Map();
      this.indexes.set(table, index);
    }
    const list = this.records[table] as RecordOf[K][];
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, list.length);
      list.push(record);
    } else {
      list[at] = (MERGE[table] as Merge<RecordOf[K]>)(list[at]!, record);
    }
  }

  /** Keeps an event that is not used, and counts it in the unused report. */
  addRaw(raw: RawEvent): void {
    const before = this.records.rawEvents.length;
    this.add('rawEvents', raw);
    if (this.records.rawEvents.length === before) return; // a duplicate: already counted
    const key = `${raw.type}\u0000${raw.reason}`;
    const entry = this.unused.get(key);
    if (entry) entry.count++;
    else this.unused.set(key, { type: raw.type, reason: raw.reason, count: 1 });
  }

  /** Records an error: the event it belongs to is dropped. */
  error(message: string, location: Omit<SourceLocation, 'file'> = {}): void {
    this.problems.push({ severity: 'error', message, location: this.locate(location) });
  }

  /** Records a warning: the event is kept. */
  warn(message: string, location: Omit<SourceLocation, 'file'> = {}): void {
    this.problems.push({ severity: 'warning', message, location: this.locate(location) });
  }

  private locate(location: Omit<SourceLocation, 'file'>): SourceLocation {
    return this.file === undefined ? { ...location } : { file: this.file, ...location };
  }

  /** The result; with `atomic`, throws an `InputError` carrying every problem if any is an error. */
  finish(atomic = false): IngestResult {
    if (atomic && hasErrors(this.problems)) {
      const errors = this.problems.filter((p) => p.severity === 'error').length;
      throw new InputError(
        `${errors} error${errors === 1 ? '' : 's'} in ${this.file ?? 'the input'}; nothing was ingested (atomic)`,
        this.problems,
      );
    }
    return {
      records: this.records,
      problems: this.problems,
      unused: [...this.unused.values()].map(({ type, count, reason }) => ({ type, count, reason })),
      events: this.events,
    };
  }
}
