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

/** The settings core and the server share; domain sections pass through untouched. */
export const coreConfigSchema = z.looseObject({
  db: z.string().min(1).default(DEFAULT_DB),
  server: z
    .object({
      host: z.string().default(DEFAULT_HOST),
      port: z.coerce.number().int().min(0).max(65535).default(DEFAULT_PORT),
      /** Largest request body accepted, in bytes. */
      bodyLimitBytes: z.coerce
        .number()
        .int()
        .positive()
        .default(16 * 1024 * 1024),
    })
    .default({ host: DEFAULT_HOST, port: DEFAULT_PORT, bodyLimitBytes: 16 * 1024 * 1024 }),
  api: z
    .object({
      /** Bearer tokens accepted for writes. No tokens: writes are open (a local, single-user setup). */
      tokens: z.array(z.string().min(1)).default([]),
    })
    .default({ tokens: [] }),
});

export type PaveConfig = z.infer<typeof coreConfigSchema>;

/** The file a configuration was read from, to locate a problem found later in a domain's section. */
interface ConfigSource {
  /** The path as the user wrote it or as found, for messages. */
  file: string;
  locate(path: readonly PropertyKey[]): { line: number; column: number } | undefined;
}

const sources = new WeakMap<object, ConfigSource>();

/** The problems of a failed zod parse of (part of) the configuration, located in its file. */
function configProblems(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[],
  source: ConfigSource | undefined,
): Problem[] {
  return issues.map((issue) => {
    const path = [...prefix, ...issue.path];
    const position = source?.locate(path);
    return {
      severity: 'error',
      message: `${path.map(String).join('.') || '(root)'}: ${issue.message}`,
      ...(source ? { location: { file: source.file, ...(position ?? {}) } } : {}),
    };
  });
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
}

/** Reads `pave.yaml` (if any), applies the environment and the overrides, and validates. */
export function loadConfig(options: LoadConfigOptions = {}): PaveConfig {
  const cwd = options.cwd ?? process.cwd();
  const file = options.file ? path.resolve(cwd, options.file) : path.join(cwd, 'pave.yaml');
  const shown = options.file ?? 'pave.yaml';
  let raw: Record<string, unknown> = {};
  let source: ConfigSource | undefined;
  if (existsSync(file)) ({ raw, source } = readConfigFile(file, shown));
  else if (options.file) throw new InputError(`config file ${options.file} does not exist`);

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
  }
  raw = deepMerge(raw, options.overrides ?? {});

  const result = coreConfigSchema.safeParse(raw);
  if (!result.success) {
    const problems = configProblems(result.error.issues, [], source);
    throw new InputError(`invalid configuration: ${problems.map((p) => p.message).join('; ')}`, problems);
  }
  if (source) sources.set(result.data, source);
  return result.data;
}

/** Validates one domain's section of the configuration with the domain's schema. */
export function configSection<Schema extends z.ZodType>(
  config: PaveConfig,
  name: string,
  schema: Schema,
): z.infer<Schema> {
  const result = schema.safeParse((config as Record<string, unknown>)[name] ?? {});
  if (!result.success) {
    const problems = configProblems(result.error.issues, [name], sources.get(config));
    throw new InputError(`invalid configuration: ${problems.map((p) => p.message).join('; ')}`, problems);
  }
  return result.data;
}

function readConfigFile(file: string, shown: string): { raw: Record<string, unknown>; source: ConfigSource } {
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
    throw new InputError(`cannot read ${shown}`, problems);
  }
  const value = document.toJS() ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(`${shown}: the configuration must be a mapping`, [
      {
        severity: 'error',
        message: 'the configuration must be a mapping',
        location: { file: shown, line: 1, column: 1 },
      },
    ]);
  }
  const locate = (keys: readonly PropertyKey[]) => {
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
