/**
 * Reads Backstage catalog files: multi-document YAML, `Location` entities followed relative to
 * their file, and the `$text`, `$json` and `$yaml` placeholders Backstage substitutes. Every
 * problem carries `file:line:col` from the YAML parser's positions; one broken file does not stop
 * the others from being read.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseAllDocuments,
} from 'yaml';
import type { Problem, SourceLocation } from '../../core/errors.js';
import { type Progress, silentProgress } from '../../core/progress.js';

/** Default largest YAML document accepted (one entity), in bytes. */
export const DEFAULT_MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;
/** Largest file read at all. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** Aliases a document may expand: YAML "billion laughs" protection. */
const MAX_ALIAS_COUNT = 100;

/** One entity document as read from a file or a request body. */
export interface SourceDocument {
  /** The entity as a plain object, placeholders substituted. */
  entity: Record<string, unknown>;
  /** The location it came from: `file:/absolute/path` or `api:<name>`. */
  locationKey: string;
  /** Position of the document's first line. */
  location: SourceLocation;
  /** Turns a path into the entity (`['metadata', 'name']`) into a position in its file. */
  locate(pathInEntity: readonly (string | number)[]): SourceLocation;
}

/** What reading a set of catalog files found. */
export interface ReadResult {
  documents: SourceDocument[];
  problems: Problem[];
  /** Locations read completely: their stored entities may be replaced by what was read. */
  locations: string[];
  /** Locations that could not be read completely: their stored entities must be left as they are. */
  failedLocations: string[];
}

export interface ReadOptions {
  /** Paths in messages are shown relative to this folder. */
  cwd?: string;
  maxDocumentBytes?: number;
  progress?: Progress;
}

/** The location key of a file. */
export function fileLocationKey(file: string): string {
  return `file:${path.resolve(file)}`;
}

/**
 * Reads files and folders (every `.yaml`/`.yml` file under a folder) and the files their
 * `Location` entities reach, each file once.
 */
export function readCatalogFiles(inputs: readonly string[], options: ReadOptions = {}): ReadResult {
  const cwd = options.cwd ?? process.cwd();
  const progress = options.progress ?? silentProgress;
  const result: ReadResult = { documents: [], problems: [], locations: [], failedLocations: [] };
  const queue: { file: string; fromFolder: boolean }[] = [];
  const seen = new Set<string>();
  const enqueue = (file: string, fromFolder: boolean) => {
    const absolute = path.resolve(cwd, file);
    if (seen.has(absolute)) return;
    seen.add(absolute);
    queue.push({ file: absolute, fromFolder });
  };

  for (const input of inputs) {
    const absolute = path.resolve(cwd, input);
    let stats: ReturnType<typeof statSync>;
    try {
      stats = statSync(absolute);
    } catch {
      result.problems.push({
        severity: 'error',
        message: 'no such file or folder',
        location: { file: input },
      });
      continue;
    }
    if (stats.isDirectory()) for (const file of yamlFilesUnder(absolute)) enqueue(file, true);
    else enqueue(absolute, false);
  }

  progress.start('reading catalog files');
  for (let next = queue.shift(); next; next = queue.shift()) {
    const shown = path.relative(cwd, next.file) || next.file;
    const locationKey = fileLocationKey(next.file);
    let text: string;
    try {
      const size = statSync(next.file).size;
      if (size > MAX_FILE_BYTES)
        throw new Error(`the file is ${formatBytes(size)}, over the ${formatBytes(MAX_FILE_BYTES)} limit`);
      text = readFileSync(next.file, 'utf8');
    } catch (error) {
      result.problems.push({
        severity: 'error',
        message: (error as Error).message,
        location: { file: shown },
      });
      result.failedLocations.push(locationKey);
      continue;
    }
    const parsed = parseCatalogText(text, {
      file: shown,
      locationKey,
      baseDir: path.dirname(next.file),
      maxDocumentBytes: options.maxDocumentBytes,
      skipNonEntities: next.fromFolder,
    });
    result.problems.push(...parsed.problems);
    result.documents.push(...parsed.documents);
    (parsed.complete ? result.locations : result.failedLocations).push(locationKey);
    for (const document of parsed.documents) {
      for (const target of locationTargets(document, result.problems)) {
        const absolute = path.resolve(path.dirname(next.file), target.path);
        const matches = target.path.includes('*') ? expandGlob(absolute) : [absolute];
        if (matches.length === 0 || (!target.path.includes('*') && !isFile(absolute))) {
          result.problems.push({
            severity: 'error',
            message: `Location target ${target.path} does not exist`,
            location: target.location,
            entityRef: target.entityRef,
          });
          continue;
        }
        for (const match of matches) enqueue(match, false);
      }
    }
    progress.tick();
  }
  progress.done();
  return result;
}

/**
 * Reads catalog YAML sent in a request body. `Location` entities are stored but not followed, and
 * file placeholders are not substituted: a request must not make the server read its own files.
 */
export function readCatalogText(
  text: string,
  options: { name: string; locationKey: string; maxDocumentBytes?: number },
): ReadResult {
  const parsed = parseCatalogText(text, {
    file: options.name,
    locationKey: options.locationKey,
    maxDocumentBytes: options.maxDocumentBytes,
    skipNonEntities: false,
  });
  for (const document of parsed.documents) {
    if (String(document.entity.kind).toLowerCase() === 'location') {
      parsed.problems.push({
        severity: 'warning',
        message:
          'Location targets are not followed in catalog data sent over the API; import the files with `pave catalog import`',
        location: document.location,
      });
    }
  }
  return {
    documents: parsed.documents,
    problems: parsed.problems,
    locations: parsed.complete ? [options.locationKey] : [],
    failedLocations: parsed.complete ? [] : [options.locationKey],
  };
}

interface ParseOptions {
  file: string;
  locationKey: string;
  /** Folder placeholders are resolved against; without it they are left as written, with a warning. */
  baseDir?: string;
  maxDocumentBytes?: number | undefined;
  /** Files found by scanning a folder may hold other YAML (OpenAPI documents): skip those quietly. */
  skipNonEntities: boolean;
}

function parseCatalogText(
  text: string,
  options: ParseOptions,
): { documents: SourceDocument[]; problems: Problem[]; complete: boolean } {
  const { file } = options;
  const maxBytes = options.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  const lineCounter = new LineCounter();
  const documents: SourceDocument[] = [];
  const problems: Problem[] = [];
  const at = (offset: number): SourceLocation => {
    const position = lineCounter.linePos(offset);
    return { file, line: position.line, column: position.col };
  };
  let complete = true;

  const parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const yamlDocuments = Array.isArray(parsed) ? parsed : [];
  if (!Array.isArray(parsed)) {
    // An empty stream parses to an EmptyStream object: no documents, nothing wrong.
    return { documents, problems, complete };
  }
  if (options.skipNonEntities && yamlDocuments.length > 0 && !yamlDocuments.some(looksLikeEntity)) {
    return { documents, problems, complete };
  }

  for (const yamlDocument of yamlDocuments) {
    const start = yamlDocument.contents?.range?.[0] ?? yamlDocument.range[0];
    if (yamlDocument.errors.length > 0) {
      complete = false;
      for (const error of yamlDocument.errors) {
        problems.push({ severity: 'error', message: firstLine(error.message), location: at(error.pos[0]) });
      }
      continue;
    }
    for (const warning of yamlDocument.warnings) {
      problems.push({
        severity: 'warning',
        message: firstLine(warning.message),
        location: at(warning.pos[0]),
      });
    }
    const contents = yamlDocument.contents;
    if (contents === null || (isScalar(contents) && contents.value === null)) continue; // an empty document
    const size = Buffer.byteLength(text.slice(yamlDocument.range[0], yamlDocument.range[2]));
    if (size > maxBytes) {
      complete = false;
      problems.push({
        severity: 'error',
        message: `the document is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit for one entity`,
        location: at(start),
      });
      continue;
    }
    if (!isMap(contents)) {
      complete = false;
      const found = isSeq(contents)
        ? 'a list'
        : isScalar(contents)
          ? `the scalar ${JSON.stringify(contents.value)}`
          : 'not a mapping';
      problems.push({
        severity: 'error',
        message: `a catalog document must be a mapping with apiVersion, kind and metadata; found ${found}`,
        location: at(start),
      });
      continue;
    }
    let entity: Record<string, unknown>;
    try {
      entity = yamlDocument.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as Record<string, unknown>;
    } catch (error) {
      complete = false;
      problems.push({ severity: 'error', message: (error as Error).message, location: at(start) });
      continue;
    }
    const locate = (pathInEntity: readonly (string | number)[]) => at(offsetOf(yamlDocument, pathInEntity));
    substitutePlaceholders(entity, [], options.baseDir, locate, problems);
    documents.push({ entity, locationKey: options.locationKey, location: at(start), locate });
  }
  return { documents, problems, complete };
}

function looksLikeEntity(document: Document.Parsed): boolean {
  const contents = document.contents;
  return isMap(contents) && contents.has('apiVersion') && contents.has('kind');
}

/**
 * The offset of the node at `pathInEntity`: the key of the last segment when it exists (a bad label
 * key is shown at the key), else the deepest node that exists (a missing field at its parent).
 */
function offsetOf(document: Document.Parsed, pathInEntity: readonly (string | number)[]): number {
  let node: Node | null | undefined = document.contents;
  let offset = node?.range?.[0] ?? 0;
  for (const [index, segment] of pathInEntity.entries()) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) return offset;
      const key = pair.key as Node;
      if (index === pathInEntity.length - 1) return key.range?.[0] ?? offset;
      node = pair.value as Node | null;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment] as Node | undefined;
    } else {
      return offset;
    }
    if (!node) return offset;
    offset = node.range?.[0] ?? offset;
  }
  return offset;
}

const PLACEHOLDERS = new Set(['$text', '$json', '$yaml']);

/**
 * Substitutes Backstage placeholders: a mapping whose only key is `$text`, `$json` or `$yaml`
 * is replaced by the file it names (text, parsed JSON, parsed YAML), relative to the entity file.
 * Remote URLs are not fetched: the placeholder stays, with a warning.
 */
function substitutePlaceholders(
  value: unknown,
  at: (string | number)[],
  baseDir: string | undefined,
  locate: (pathInEntity: readonly (string | number)[]) => SourceLocation,
  problems: Problem[],
): unknown {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      value[index] = substitutePlaceholders(item, [...at, index], baseDir, locate, problems);
    });
    return value;
  }
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && PLACEHOLDERS.has(keys[0]!)) {
    const kind = keys[0]!;
    const target = record[kind];
    const where = locate([...at, kind]);
    if (typeof target !== 'string') {
      problems.push({
        severity: 'error',
        message: `placeholder ${kind} must name a file or URL`,
        location: where,
      });
      return value;
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
      problems.push({
        severity: 'warning',
        message: `placeholder ${kind}: ${target} is remote and was not fetched`,
        location: where,
      });
      return value;
    }
    if (!baseDir) {
      problems.push({
        severity: 'warning',
        message: `placeholder ${kind}: ${target} was not substituted (no file context)`,
        location: where,
      });
      return value;
    }
    try {
      const content = readFileSync(path.resolve(baseDir, target), 'utf8');
      if (kind === '$text') return content;
      if (kind === '$json') return JSON.parse(content);
      const documents = parseAllDocuments(content);
      const first = Array.isArray(documents) ? documents[0] : undefined;
      if (first?.errors.length) throw new Error(firstLine(first.errors[0]!.message));
      return first?.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? null;
    } catch (error) {
      problems.push({
        severity: 'error',
        message: `placeholder ${kind}: cannot read ${target}: ${firstLine((error as Error).message)}`,
        location: where,
      });
      return value;
    }
  }
  for (const key of keys)
    record[key] = substitutePlaceholders(record[key], [...at, key], baseDir, locate, problems);
  return record;
}

interface LocationTarget {
  path: string;
  location: SourceLocation;
  entityRef: string;
}

/** The file targets of a `Location` entity; remote targets are reported and left out. */
function locationTargets(document: SourceDocument, problems: Problem[]): LocationTarget[] {
  const { entity } = document;
  if (typeof entity.kind !== 'string' || entity.kind.toLowerCase() !== 'location') return [];
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const name = (entity.metadata as Record<string, unknown> | undefined)?.name;
  const entityRef = `location:${String(name)}`;
  const type = typeof spec.type === 'string' ? spec.type : 'file';
  const targets: { value: unknown; at: (string | number)[] }[] = [];
  if (spec.target !== undefined) targets.push({ value: spec.target, at: ['spec', 'target'] });
  if (Array.isArray(spec.targets)) {
    for (const [i, value] of spec.targets.entries()) targets.push({ value, at: ['spec', 'targets', i] });
  }
  const found: LocationTarget[] = [];
  for (const target of targets) {
    const location = document.locate(target.at);
    if (typeof target.value !== 'string' || target.value === '') continue; // validation reports it
    if (type !== 'file' || /^[a-z][a-z0-9+.-]*:\/\//i.test(target.value)) {
      problems.push({
        severity: 'warning',
        message: `Location target ${target.value} is remote (type ${type}) and was not fetched`,
        location,
        entityRef,
      });
      continue;
    }
    found.push({ path: target.value, location, entityRef });
  }
  return found;
}

function yamlFilesUnder(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) files.push(...yamlFilesUnder(full));
    else if (/\.ya?ml$/i.test(entry.name)) files.push(full);
  }
  return files;
}

/** Expands `*` (within a folder) and `**` (any depth) in an absolute path. */
function expandGlob(pattern: string): string[] {
  const firstWildcard = pattern.search(/[*?]/);
  const base = pattern.slice(0, pattern.lastIndexOf(path.sep, firstWildcard));
  const expression = new RegExp(
    `^${pattern
      .split(/(\*\*\/|\*\*|\*|\?)/)
      .map((part) => {
        if (part === '**/') return '(?:.*/)?';
        if (part === '**') return '.*';
        if (part === '*') return '[^/]*';
        if (part === '?') return '[^/]';
        return part.replace(/[.+^${}()|[\]\\]/g, '\\$&');
      })
      .join('')}$`,
  );
  if (!isDirectory(base)) return [];
  return walk(base).filter((file) => expression.test(file));
}

function walk(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) files.push(...walk(full));
    else files.push(full);
  }
  return files.sort();
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function isDirectory(folder: string): boolean {
  try {
    return statSync(folder).isDirectory();
  } catch {
    return false;
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
