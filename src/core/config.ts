/**
 * Configuration: an optional `pave.yaml`, then `PAVE_*` environment variables, then flags (flags
 * win). Core knows the shared settings; each domain validates its own section with its own schema
 * through `configSection`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { InputError, type Problem } from './errors.js';

export const DEFAULT_DB = '.pave/pave.duckdb';
export const DEFAULT_PORT = 7700;
export const DEFAULT_HOST = '127.0.0.1';

const PORT_MESSAGE = 'must be a port number 1-65535 (0 picks a free one)';
const BODY_LIMIT_MESSAGE = 'must be a whole number of bytes, at least 1';

/** The settings core and the server share; domain sections pass through, each checked by its schema. */
export const coreConfigSchema = z.looseObject({
  db: z.string().min(1, 'must not be empty').default(DEFAULT_DB),
  server: z
    .strictObject({
      host: z.string().default(DEFAULT_HOST),
      port: z.coerce
        .number({ error: PORT_MESSAGE })
        .int(PORT_MESSAGE)
        .min(0, PORT_MESSAGE)
        .max(65535, PORT_MESSAGE)
        .default(DEFAULT_PORT),
      /** Largest request body accepted, in bytes. */
      bodyLimitBytes: z.coerce
        .number({ error: BODY_LIMIT_MESSAGE })
        .int(BODY_LIMIT_MESSAGE)
        .positive(BODY_LIMIT_MESSAGE)
        .default(16 * 1024 * 1024),
    })
    .default({ host: DEFAULT_HOST, port: DEFAULT_PORT, bodyLimitBytes: 16 * 1024 * 1024 }),
  api: z
    .strictObject({
      /** Bearer tokens accepted for writes. No tokens: writes are open (a local, single-user setup). */
      tokens: z.array(z.string().min(1, 'must not be empty')).default([]),
    })
    .default({ tokens: [] }),
});

export type PaveConfig = z.infer<typeof coreConfigSchema>;

/** Where the configuration came from, to locate a problem found later in a domain's section. */
interface ConfigSource {
  /** The file as the user wrote it or as found, for messages; absent without a file. */
  file?: string;
  /** Line and column of the value (or, with `key`, of the key itself) at `path` in the file. */
  locate?(path: readonly PropertyKey[], key?: boolean): { line: number; column: number } | undefined;
  /** Values set by an environment variable or a flag, by dotted path: `server.port` -> `PAVE_PORT`. */
  setBy: Map<string, string>;
  /** The configuration before validation, for messages that quote the value found. */
  raw: Record<string, unknown>;
}

const sources = new WeakMap<object, ConfigSource>();

/** The problems of a failed zod parse of (part of) the configuration, located in its file. */
function configProblems(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[],
  schema: z.ZodType,
  source: ConfigSource | undefined,
): Problem[] {
  return issues.flatMap((issue): Problem[] => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      const known = Object.keys(shapeAt(schema, issue.path) ?? {});
      return issue.keys.map((key) =>
        configProblem(
          [...path, key],
          `unknown key ${key} in ${path.map(String).join('.') || 'the configuration'}; known keys: ${known.join(', ')}`,
          source,
          true,
        ),
      );
    }
    return [configProblem(path, issueMessage(issue, valueAt(source?.raw, path)), source)];
  });
}

/** One configuration problem: named by the variable or flag that set the value, else located in the file. */
function configProblem(
  path: readonly PropertyKey[],
  message: string,
  source: ConfigSource | undefined,
  unknownKey = false,
): Problem {
  const dotted = path.map(String).join('.');
  const setBy = source?.setBy.get(dotted);
  if (setBy) return { severity: 'error', message: `${setBy}: ${message}` };
  const position = source?.locate?.(path, unknownKey);
  return {
    severity: 'error',
    message: unknownKey ? message : `${dotted || '(root)'}: ${message}`,
    ...(source?.file ? { location: { file: source.file, ...(position ?? {}) } } : {}),
  };
}

/** A zod issue in words a pave.yaml author reads, with the value found when it helps. */
function issueMessage(issue: z.core.$ZodIssue, value: unknown): string {
  const found = value === undefined ? '' : `, not ${JSON.stringify(value)}`;
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.message && !issue.message.startsWith('Invalid input')) return `${issue.message}${found}`;
      if (value === undefined) return 'is required';
      const kinds: Record<string, string> = {
        boolean: 'must be true or false',
        number: 'must be a number',
        string: 'must be a text',
        array: 'must be a list',
        object: 'must be a mapping',
      };
      return `${kinds[issue.expected] ?? `must be ${issue.expected}`}${found}`;
    }
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}${found}`;
    case 'too_small':
    case 'too_big':
      if (!issue.message.startsWith('Too ')) return `${issue.message}${found}`;
      return `must be ${issue.code === 'too_small' ? 'at least' : 'at most'} ${String(issue.code === 'too_small' ? issue.minimum : issue.maximum)}${issue.origin === 'array' ? ' items' : ''}${found}`;
    default:
      return `${issue.message}${found}`;
  }
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let node = raw;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** The object shape of `schema` at `path` (through defaults, optionals and lazies), for known keys. */
function shapeAt(schema: z.ZodType, path: readonly PropertyKey[]): Record<string, unknown> | undefined {
  let node: unknown = schema;
  let depth = 0;
  for (;;) {
    const def = (node as { _zod?: { def?: Record<string, unknown> } } | undefined)?._zod?.def;
    if (!def) return undefined;
    if (def.innerType) node = def.innerType;
    else if (typeof def.getter === 'function') node = (def.getter as () => unknown)();
    else if (def.type === 'pipe') node = def.in;
    else if (def.type === 'object') {
      const shape = def.shape as Record<string, unknown>;
      if (depth === path.length) return shape;
      node = shape[String(path[depth++])];
    } else return undefined;
  }
}

/** Environment variables and the configuration path each one sets. */
const ENVIRONMENT: Record<string, { path: string[]; list?: boolean }> = {
  PAVE_DB: { path: ['db'] },
  PAVE_HOST: { path: ['server', 'host'] },
  PAVE_PORT: { path: ['server', 'port'] },
  PAVE_BODY_LIMIT_BYTES: { path: ['server', 'bodyLimitBytes'] },
  PAVE_API_TOKENS: { path: ['api', 'tokens'], list: true },
  PAVE_GITHUB_WEBHOOK_SECRET: { path: ['delivery', 'github', 'webhookSecret'] },
  PAVE_GITLAB_WEBHOOK_TOKEN: { path: ['delivery', 'gitlab', 'webhookToken'] },
  PAVE_PAGERDUTY_WEBHOOK_SECRET: { path: ['reliability', 'pagerduty', 'webhookSecret'] },
  PAVE_PROMETHEUS_URL: { path: ['reliability', 'prometheus', 'url'] },
};
export interface LoadConfigOptions {
  /** Folder where `pave.yaml` is looked for; defaults to the current directory. */
  cwd?: string;
  /** An explicit config file; an error if it does not exist. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Values from flags, as a partial config object; they win over file and environment. */
  overrides?: Record<string, unknown>;
  /** How to name each override in messages, by dotted path: `{ db: '--db' }`. */
  overrideNames?: Record<string, string>;
  /**
   * The domains' sections and their schemas. Given, every section is checked now (all problems at
   * once) and a top-level key that is neither core's nor a section is an error.
   */
  sections?: Record<string, z.ZodType>;
}

/** Reads `pave.yaml` (if any), applies the environment and the overrides, and validates. */
export function loadConfig(options: LoadConfigOptions = {}): PaveConfig {
  const cwd = options.cwd ?? process.cwd();
  const file = options.file ? path.resolve(cwd, options.file) : path.join(cwd, 'pave.yaml');
  const shown = options.file ?? 'pave.yaml';
  let raw: Record<string, unknown> = {};
  let fromFile: Pick<ConfigSource, 'file' | 'locate'> = {};
  if (existsSync(file)) ({ raw, source: fromFile } = readConfigFile(file, shown));
  else if (options.file) throw new InputError(`config file ${options.file} does not exist`);

  const setBy = new Map<string, string>();
  for (const [name, target] of Object.entries(ENVIRONMENT)) {
    const value = (options.env ?? process.env)[name];
    if (value === undefined || value === '') continue;
    const parsed = target.list
      ? value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean)
      : value;
    setPath(raw, target.path, parsed);
    setBy.set(target.path.join('.'), name);
  }
  raw = deepMerge(raw, options.overrides ?? {});
  for (const [dotted, name] of Object.entries(options.overrideNames ?? {})) setBy.set(dotted, name);
  const source: ConfigSource = { ...fromFile, setBy, raw };

  const problems: Problem[] = [];
  const result = coreConfigSchema.safeParse(raw);
  if (!result.success) problems.push(...configProblems(result.error.issues, [], coreConfigSchema, source));
  if (options.sections) {
    const known = [...Object.keys(coreConfigSchema.shape), ...Object.keys(options.sections)];
    for (const key of Object.keys(raw).filter((key) => !known.includes(key))) {
      problems.push(
        configProblem([key], `unknown key ${key}; known keys: ${known.join(', ')}`, source, true),
      );
    }
    for (const [name, schema] of Object.entries(options.sections)) {
      const section = schema.safeParse(raw[name] ?? {});
      if (!section.success) problems.push(...configProblems(section.error.issues, [name], schema, source));
    }
  }
  if (problems.length > 0 || !result.success) throw configError(inFileOrder(problems));
  sources.set(result.data, source);
  return result.data;
}

/** Problems in the order of their lines in the file; those set by variables or flags first. */
function inFileOrder(problems: Problem[]): Problem[] {
  const position = (problem: Problem) =>
    (problem.location?.line ?? 0) * 1_000_000 + (problem.location?.column ?? 0);
  return problems.sort((a, b) => position(a) - position(b));
}

function configError(problems: Problem[]): InputError {
  return new InputError(`invalid configuration: ${problems.map((p) => p.message).join('; ')}`, problems);
}

/**
 * Validates one domain's section of the configuration with the domain's schema. A strict schema
 * (`z.strictObject`) rejects unknown keys, each reported at its line with the keys it knows.
 */
export function configSection<Schema extends z.ZodType>(
  config: PaveConfig,
  name: string,
  schema: Schema,
): z.infer<Schema> {
  const result = schema.safeParse((config as Record<string, unknown>)[name] ?? {});
  if (!result.success) {
    const source = sources.get(config) ?? { setBy: new Map(), raw: config as Record<string, unknown> };
    throw configError(configProblems(result.error.issues, [name], schema, source));
  }
  return result.data;
}

function readConfigFile(
  file: string,
  shown: string,
): { raw: Record<string, unknown>; source: Pick<ConfigSource, 'file' | 'locate'> } {
  const lineCounter = new LineCounter();
  const document = parseDocument(readFileSync(file, 'utf8'), {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
  });
  const at = (offset: number) => {
    const position = lineCounter.linePos(offset);
    return { line: position.line, column: position.col };
  };
  if (document.errors.length > 0) {
    const problems: Problem[] = document.errors.map((error) => ({
      severity: 'error',
      message: error.message.split('\n')[0] ?? error.message,
      location: { file: shown, ...at(error.pos[0]) },
    }));
    throw new InputError(`invalid ${shown}: ${problems.map((p) => p.message).join('; ')}`, problems);
  }
  const value = document.toJS() ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError('the configuration must be a mapping', [
      {
        severity: 'error',
        message: 'the configuration must be a mapping',
        location: { file: shown, line: 1, column: 1 },
      },
    ]);
  }
  const locate = (keys: readonly PropertyKey[], key = false) => {
    if (key && keys.length > 0) {
      // An unknown key: point at the key itself, not its value.
      const parent =
        keys.length === 1 ? document.contents : document.getIn(keys.slice(0, -1) as unknown[], true);
      const items = (parent as { items?: { key?: { value?: unknown; range?: [number, number, number] } }[] })
        ?.items;
      const pair = items?.find((item) => String(item.key?.value) === String(keys[keys.length - 1]));
      if (pair?.key?.range) return at(pair.key.range[0]);
    }
    // The deepest node that exists: a missing key is shown at its parent.
    for (let depth = keys.length; depth >= 0; depth--) {
      const node = document.getIn(keys.slice(0, depth) as unknown[], true) as
        | { range?: [number, number, number] }
        | undefined;
      if (node?.range) return at(node.range[0]);
    }
    return undefined;
  };
  return { raw: value as Record<string, unknown>, source: { file: shown, locate } };
}

function setPath(target: Record<string, unknown>, keys: string[], value: unknown): void {
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

function deepMerge(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) continue;
    const current = merged[key];
    merged[key] =
      isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : (value as unknown);
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
