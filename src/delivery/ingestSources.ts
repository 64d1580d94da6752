/**
 * Ingest from files and repositories, for the CLI and the API: CDEvents (one event, an array or
 * NDJSON, streamed in batches so a file of millions of events never sits in memory), JUnit XML
 * reports and local git history. Each parses with its adapter and stores with `storeRecords`.
 */
import { closeSync, createReadStream, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { hasErrors, InputError, type Problem } from '../core/errors.js';
import { type Progress, silentProgress } from '../core/progress.js';
import type { Store } from '../store/Store.js';
import { detectFormat, parseCdevents, parseCdeventsLines } from './ingest/cdevents.js';
import { deploymentsFromTags, readGitCommits, readGitTags } from './ingest/git.js';
import { parseJUnit } from './ingest/junit.js';
import type { IngestResult } from './ingest/recordCollector.js';
import { addReports, emptyReport, type IngestReport, ingestResult, storeRecords } from './ingestRecords.js';
import { emptyRecords } from './model.js';
import { loadComponentIndex, resolveService } from './serviceResolver.js';

/** Options of the file ingests. */
export interface SourceIngestOptions {
  /** Any error: nothing is stored (the input is read whole first). */
  atomic?: boolean;
  progress?: Progress;
  /** NDJSON lines per stored batch; default 10,000. */
  batchSize?: number;
  receivedAt?: Date;
}

const HEAD_BYTES = 64 * 1024;

/**
 * Ingests CDEvents files in order. With `atomic`, every file is read and checked before anything
 * is stored, so an error in the last file keeps the first ones out too.
 */
export async function ingestCdeventsFiles(
  store: Store,
  files: readonly string[],
  options: SourceIngestOptions & { stdin?: NodeJS.ReadableStream } = {},
): Promise<IngestReport> {
  let report = emptyReport();
  if (!options.atomic || files.length < 2) {
    for (const file of files) report = addReports(report, await ingestCdeventsFile(store, file, options));
    return report;
  }
  const results: IngestResult[] = [];
  for (const file of files) {
    const text = file === '-' ? await readAll(options.stdin, file) : readText(file);
    results.push(parseCdevents(text, { file: file === '-' ? 'stdin' : file, ...receivedAt(options) }));
  }
  const problems = results.flatMap((result) => result.problems);
  if (hasErrors(problems)) {
    const errors = problems.filter((problem) => problem.severity === 'error').length;
    throw new InputError(
      `${errors} error${errors === 1 ? '' : 's'} in ${files.length} files; nothing was ingested (atomic)`,
      problems,
    );
  }
  for (const result of results)
    report = addReports(report, await ingestResult(store, result, receivedAt(options)));
  return report;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

async function readAll(input: NodeJS.ReadableStream | undefined, name: string): Promise<string> {
  if (!input) throw new InputError(`no standard input to read (${name})`);
  let text = '';
  (input as Readable).setEncoding?.('utf8');
  for await (const chunk of input) text += chunk;
  return text;
}

/** Ingests one CDEvents file (`-` reads `stdin`). */
export async function ingestCdeventsFile(
  store: Store,
  file: string,
  options: SourceIngestOptions & { stdin?: NodeJS.ReadableStream } = {},
): Promise<IngestReport> {
  if (file === '-') {
    if (!options.stdin) throw new InputError('no standard input to read');
    return ingestCdeventsStream(store, options.stdin as Readable, 'stdin', options);
  }
  let head: string;
  try {
    const fd = openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(HEAD_BYTES);
      const read = readSync(fd, buffer, 0, HEAD_BYTES, 0);
      head = buffer.subarray(0, read).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as Error).message}`);
  }
  // A file whose first event spans the whole head is read whole: it cannot be NDJSON worth streaming.
  if (options.atomic || detectFormat(head) === 'json') {
    const text = readFileSync(file, 'utf8');
    return ingestResult(
      store,
      parseCdevents(text, { file, atomic: options.atomic ?? false, ...receivedAt(options) }),
      receivedAt(options),
    );
  }
  return ingestCdeventsStream(store, createReadStream(file, { encoding: 'utf8' }), file, options);
}

/**
 * Events per stored batch when streaming NDJSON: large enough that each batch's fixed cost (a
 * transaction, the lookups of stored keys, re-attribution marks) is small beside its rows (25,000
 * ingest about 25% faster than 10,000 on DuckDB), small enough to keep memory flat.
 */
const STREAM_BATCH_EVENTS = 25_000;

/** Ingests NDJSON from a stream in batches; with `atomic`, reads it whole first. */
export async function ingestCdeventsStream(
  store: Store,
  input: Readable,
  name: string,
  options: SourceIngestOptions = {},
): Promise<IngestReport> {
  if (options.atomic) {
    let text = '';
    input.setEncoding?.('utf8');
    for await (const chunk of input) text += chunk;
    return ingestResult(
      store,
      parseCdevents(text, { file: name, atomic: true, ...receivedAt(options) }),
      receivedAt(options),
    );
  }
  const progress = options.progress ?? silentProgress;
  progress.start(`ingesting ${path.basename(name)}: events`);
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let report = emptyReport();
  // One batch is written while the next is parsed: the database works on its own threads, so
  // parsing meanwhile keeps both busy. Batches are still stored in order, one at a time.
  let writing: Promise<IngestReport> | undefined;
  const finishWrite = async () => {
    if (writing) report = addReports(report, await writing);
    writing = undefined;
  };
  for await (const batch of parseCdeventsLines(lines, {
    file: name,
    batchSize: options.batchSize ?? STREAM_BATCH_EVENTS,
    ...receivedAt(options),
  })) {
    await finishWrite();
    writing = ingestResult(store, batch, receivedAt(options));
    // A failed write is rethrown by finishWrite; this only keeps it from being reported unhandled
    // while the next batch is parsed.
    writing.catch(() => {});
    progress.tick(batch.events);
  }
  await finishWrite();
  progress.done();
  return report;
}

/** Ingests CDEvents text (an API body): one event, an array or NDJSON. */
export function ingestCdeventsText(
  store: Store,
  text: string,
  options: { file?: string; atomic?: boolean; receivedAt?: Date } = {},
): Promise<IngestReport> {
  const result = parseCdevents(text, {
    file: options.file ?? 'request body',
    atomic: options.atomic ?? false,
    ...receivedAt(options),
  });
  return ingestResult(store, result, receivedAt(options));
}

/** Options of `ingestJUnitFiles`. */
export interface JUnitIngestOptions extends SourceIngestOptions {
  pipelineRunId?: string;
  sha?: string;
}

/** Ingests JUnit XML reports; with `atomic`, every file is checked before anything is stored. */
export async function ingestJUnitFiles(
  store: Store,
  files: readonly string[],
  options: JUnitIngestOptions = {},
): Promise<IngestReport> {
  const progress = options.progress ?? silentProgress;
  progress.start('reading JUnit reports', files.length);
  const results = files.map((file) => {
    let xml: string;
    try {
      xml = readFileSync(file, 'utf8');
    } catch (error) {
      throw new InputError(`cannot read ${file}: ${(error as Error).message}`);
    }
    const result = parseJUnit(xml, {
      file,
      ...(options.pipelineRunId !== undefined ? { pipelineRunId: options.pipelineRunId } : {}),
      ...(options.sha !== undefined ? { sha: options.sha } : {}),
      ...receivedAt(options),
    });
    progress.tick();
    return result;
  });
  progress.done();
  const problems: Problem[] = results.flatMap((result) => result.problems);
  if (options.atomic && hasErrors(problems)) {
    const errors = problems.filter((problem) => problem.severity === 'error').length;
    throw new InputError(
      `${errors} error${errors === 1 ? '' : 's'} in the JUnit reports; nothing was ingested (atomic)`,
      problems,
    );
  }
  const records = emptyRecords();
  for (const result of results) records.testCaseResults.push(...result.records.testCaseResults);
  const summary = await storeRecords(store, records, receivedAt(options));
  return {
    events: results.reduce((sum, result) => sum + result.events, 0),
    problems,
    unused: [],
    ...summary,
  };
}

/** Options of `ingestGitRepository`. */
export interface GitIngestOptions {
  /** The service (catalog ref or name) the repository builds. */
  service: string;
  /** Tags matching this glob are production deployments. */
  deployTags?: string;
  /** Only history reachable from this ref (default: every ref). */
  ref?: string;
  /** Repository name stored on commits (default: the service's `github.com/project-slug`, else the folder's name). */
  repository?: string;
  environment?: string;
  progress?: Progress;
}

/** Reads a local repository's commits (and tags, with `deployTags`) and stores them in batches. */
export async function ingestGitRepository(
  store: Store,
  repoPath: string,
  options: GitIngestOptions,
): Promise<IngestReport> {
  const progress = options.progress ?? silentProgress;
  const repository = options.repository ?? (await repositoryOfService(store, options.service)) ?? undefined;
  let report = emptyReport();
  progress.start(`reading git history of ${repoPath}: commits`);
  let name: string | undefined = repository;
  for await (const batch of readGitCommits(repoPath, {
    service: options.service,
    ...(repository !== undefined ? { repository } : {}),
    ...(options.ref !== undefined ? { ref: options.ref } : {}),
  })) {
    name ??= batch[0]?.repository;
    const records = emptyRecords();
    records.commits.push(...batch);
    const summary = await storeRecords(store, records);
    report = addReports(report, { events: batch.length, problems: [], unused: [], ...summary });
    progress.tick(batch.length);
  }
  progress.done();
  if (options.deployTags !== undefined) {
    const deployments = deploymentsFromTags(await readGitTags(repoPath), {
      service: options.service,
      repository: name ?? path.basename(path.resolve(repoPath)).replace(/\.git$/, ''),
      deployTags: options.deployTags,
      ...(options.environment !== undefined ? { environment: options.environment } : {}),
    });
    if (deployments.length === 0) {
      report.problems.push({
        severity: 'warning',
        message: `no tag matches --deploy-tags "${options.deployTags}"`,
        location: { file: repoPath },
      });
    } else {
      const records = emptyRecords();
      records.deployments.push(...deployments);
      const summary = await storeRecords(store, records);
      report = addReports(report, { events: deployments.length, problems: [], unused: [], ...summary });
    }
  }
  return report;
}

/** The repository a service's component names in its slug annotation, if it resolves to one. */
async function repositoryOfService(store: Store, service: string): Promise<string | undefined> {
  const index = await loadComponentIndex(store);
  const resolution = resolveService(service, index);
  if (!resolution.resolved) return undefined;
  for (const map of [index.slugs, index.sourceLocations]) {
    for (const [repository, refs] of map) if (refs.includes(resolution.serviceKey)) return repository;
  }
  return undefined;
}

function receivedAt(options: { receivedAt?: Date }): { receivedAt?: Date } {
  return options.receivedAt === undefined ? {} : { receivedAt: options.receivedAt };
}
