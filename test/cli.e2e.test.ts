/**
 * The built `pave` program end to end: each test spawns `node bin/pave.js` (running `dist/`, which
 * `npm test` builds first) in a temporary working folder, as a user would run it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { STOP_GRACE_MS } from '../src/cli/main.js';
import { tempFolder } from '../src/core/testing/tempFiles.js';
import { createTestSchema, testStores } from '../src/store/testing/testStores.js';

const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'bin/pave.js');
const fixtures = path.resolve(root, '../shared/fixtures/backstage');

/** How long a command or a server start may take before the test gives up on it. */
const DEADLINE_MS = 30_000;
/** How long `pave serve` may take to stop after SIGTERM. */
const STOP_DEADLINE_MS = 5_000;

/** The environment without the caller's PAVE_* settings, so that only what a test sets applies. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('PAVE_')) env[name] = value;
  return { ...env, ...extra };
}

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A spawned `pave`, its output so far, and a promise of its end. */
interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<Finished>;
}

const running = new Set<Running>();

function start(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Running {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const run: Running = {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited: new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, signal) => {
        running.delete(run);
        resolve({ code, signal, stdout, stderr });
      });
    }),
  };
  running.add(run);
  return run;
}

/** Resolves with `promise`, or rejects after `ms` saying what was awaited. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs `pave` to completion. */
function pave(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Finished> {
  return within(start(args, cwd, env).exited, DEADLINE_MS, `pave ${args.join(' ')}`);
}

interface Server extends Running {
  url: string;
  stop(): Promise<Finished>;
}

/** Starts `pave serve` (or `demo`) and waits for its "serving http://..." line on stderr. */
async function serve(args: readonly string[], cwd: string): Promise<Server> {
  const server = start(args, cwd);
  const url = await within(
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const match = /serving (http:\/\/\S+)/.exec(server.stderr());
        if (match) resolve(match[1]!);
      };
      server.child.stderr!.on('data', check);
      check();
      server.exited.then((end) =>
        reject(new Error(`pave ${args.join(' ')} exited (${end.code}) before serving:\n${end.stderr}`)),
      );
    }),
    DEADLINE_MS,
    `pave ${args.join(' ')} serving`,
  );
  return {
    ...server,
    url,
    stop() {
      server.child.kill('SIGTERM');
      return within(server.exited, STOP_DEADLINE_MS, 'pave serve stopping on SIGTERM');
    },
  };
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  expect(response.status, url).toBe(200);
  return (await response.json()) as T;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** One hash of every file's path and content under `dir`. */
function treeHash(dir: string): string {
  const hash = createHash('sha256');
  for (const file of filesUnder(dir)) hash.update(`${path.relative(dir, file)}\0`).update(readFileSync(file));
  return hash.digest('hex');
}

/** The refs of the entities of `kind` in the YAML files under `dir`, read with the YAML library alone. */
function refsInFiles(dir: string, kind: string): string[] {
  const refs: string[] = [];
  for (const file of filesUnder(dir).filter((name) => /\.ya?ml$/.test(name))) {
    for (const document of parseAllDocuments(readFileSync(file, 'utf8'))) {
      const entity = document.toJS() as { kind?: string; metadata?: { name: string; namespace?: string } };
      if (entity?.kind === kind && entity.metadata) {
        refs.push(`${kind}:${entity.metadata.namespace ?? 'default'}/${entity.metadata.name}`.toLowerCase());
      }
    }
  }
  return refs.sort();
}

beforeAll(() => {
  if (!existsSync(path.join(root, 'dist/cli/main.js'))) {
    throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
  }
});

afterEach(async () => {
  // A failed test must not leave a server behind.
  for (const leftover of [...running]) {
    leftover.child.kill('SIGKILL');
    await leftover.exited;
  }
});

describe('pave demo and pave serve on DuckDB', () => {
  let cwd: string;
  let outDir: string;
  let db: string;
  let first: Finished;

  beforeAll(async () => {
    cwd = tempFolder({}, 'pave-e2e-');
    outDir = path.join(cwd, 'demo');
    db = path.join(cwd, '.pave/pave.duckdb');
    first = await pave(['demo', '--no-serve', '--teams', '8', '--seed', '3', '--out', outDir], cwd);
  });
  afterAll(() => {
    rmSync(cwd, { recursive: true, force: true });
  });

  it('generates the demo organisation, imports it, and changes nothing when run again', async () => {
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe('');
    // stderr is a pipe here, not a terminal: no progress redraws.
    expect(first.stderr).not.toContain('\r');
    expect(first.stderr).not.toContain('\x1b');
    const summary =
      /^demo organisation \(seed 3, 8 teams\): (\d+) entities in (\d+) files under demo; catalog (\d+) added, 0 updated, 0 removed, 0 unchanged/m.exec(
        first.stderr,
      );
    expect(summary, first.stderr).not.toBeNull();
    const [, entities, files, added] = summary!.map(Number);
    expect(added).toBe(entities);
    // The catalog files, besides the marker file that lets a rerun tidy up after itself.
    expect(filesUnder(outDir).filter((file) => file.endsWith('.yaml'))).toHaveLength(files!);
    expect(existsSync(db)).toBe(true);
    const written = treeHash(outDir);

    const second = await pave(
      ['demo', '--no-serve', '--teams', '8', '--seed', '3', '--out', outDir, '--format', 'json'],
      cwd,
    );
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toBe('');
    const report = JSON.parse(second.stdout) as {
      entities: number;
      files: number;
      catalog: Record<string, number>;
    };
    expect(report).toMatchObject({ entities, files });
    expect(report.catalog).toMatchObject({ added: 0, updated: 0, removed: 0, unchanged: entities });
    expect(treeHash(outDir)).toBe(written);
  });

  it('serves the demo components, holds the database, and stops on SIGTERM with exit 0', async () => {
    const server = await serve(['serve', '--port', '0'], cwd);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.stderr()).toContain(`on ${db}`);

    expect(await getJson(`${server.url}/readyz`)).toEqual({ status: 'ready', store: 'duckdb' });
    const components = refsInFiles(outDir, 'Component');
    expect(components.length).toBeGreaterThan(10);
    const page = await getJson<{ items: { ref: string }[]; totalItems: number }>(
      `${server.url}/api/v1/entities?kind=component&limit=1000`,
    );
    expect(page.totalItems).toBe(components.length);
    expect(page.items.map((item) => item.ref)).toEqual(components);

    // The DuckDB file is the server's while it runs: another process is told so, and nothing breaks.
    const locked = await pave(['catalog', 'list', '--db', db], cwd);
    expect(locked.code).toBe(1);
    expect(locked.stdout).toBe('');
    expect(locked.stderr).toMatch(/^error: the database .*pave\.duckdb is in use by another process/);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    const end = await server.stop();
    expect(end).toMatchObject({ code: 0, signal: null });
    expect(end.stdout).toBe('');

    // Released: the next command opens it.
    const after = await pave(['catalog', 'list', '--kind', 'component', '--format', 'json'], cwd);
    expect(after.code, after.stderr).toBe(0);
    expect((JSON.parse(after.stdout) as unknown[]).length).toBe(components.length);
  });

  it('refuses a busy port before generating anything, and serves the demo it generates', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const busyPort = (blocker.address() as { port: number }).port;
    try {
      const busy = await pave(
        ['demo', '--teams', '2', '--port', String(busyPort), '--out', 'busy', '--db', 'busy.duckdb'],
        cwd,
      );
      expect(busy.code).toBe(2);
      expect(busy.stderr).toBe(
        `error: port ${busyPort} on 127.0.0.1 is already in use (another pave serve?); choose another with --port or PAVE_PORT\n`,
      );
      expect(existsSync(path.join(cwd, 'busy'))).toBe(false);
      expect(existsSync(path.join(cwd, 'busy.duckdb'))).toBe(false);
    } finally {
      blocker.close();
    }

    // Generation runs in a child process; the server opens the database once it is done.
    const server = await serve(
      ['demo', '--teams', '2', '--seed', '5', '--port', '0', '--out', 'served', '--db', 'served.duckdb'],
      cwd,
    );
    expect(server.stderr()).toMatch(/^demo organisation \(seed 5, 2 teams\): \d+ entities/m);
    expect(server.stderr()).toContain(`on ${path.join(cwd, 'served.duckdb')}`);
    expect(await getJson(`${server.url}/readyz`)).toEqual({ status: 'ready', store: 'duckdb' });
    const groups = await getJson<{ totalItems: number }>(`${server.url}/api/v1/entities?kind=group`);
    expect(groups.totalItems).toBe(refsInFiles(path.join(cwd, 'served'), 'Group').length);
    const dora = await getJson<{ deploymentFrequency: { deployments: number } }>(
      `${server.url}/api/v1/metrics/dora?from=2020-01-01`,
    );
    expect(dora.deploymentFrequency.deployments).toBeGreaterThan(0);
    expect(await server.stop()).toMatchObject({ code: 0, signal: null });
  });

  it('refuses a bad port before opening anything', async () => {
    const run = await pave(['serve', '--port', '70000', '--db', 'other.duckdb'], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error: --port must be 0-65535, not 70000\n');
    expect(existsSync(path.join(cwd, 'other.duckdb'))).toBe(false);
  });
});

describe('pave usage and input errors', () => {
  let cwd: string;
  beforeAll(() => {
    cwd = tempFolder({}, 'pave-e2e-');
  });
  afterAll(() => {
    rmSync(cwd, { recursive: true, force: true });
  });

  it('exits 2 with the usage on stderr when no command is given', async () => {
    const run = await pave([], cwd);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^Usage: pave <noun> <verb>/);
  });

  it('prints each problem once, naming the variable or flag behind it', async () => {
    const port = await pave(['catalog', 'list'], cwd, { PAVE_PORT: 'abc' });
    expect(port.code).toBe(2);
    expect(port.stderr).toBe(
      'error: PAVE_PORT: must be a port number 1-65535 (0 picks a free one), not "abc"\n',
    );
    const record = await pave(
      ['deployment', 'record', '--service', 's', '--env', 'production', '--started', 'nope'],
      cwd,
    );
    expect(record.code).toBe(2);
    expect(record.stderr).toBe('error: --started: "nope" is not an RFC 3339 timestamp with a time zone\n');
    expect(existsSync(path.join(cwd, '.pave'))).toBe(false);
  });
});

describe('pave and signals', () => {
  it('ends a command that does not watch for Ctrl-C, with exit code 130', async () => {
    // A "database" that accepts the connection and never answers: the list waits on it for ever.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const connected = new Promise((resolve) => silent.once('connection', resolve));
    const cwd = tempFolder({}, 'pave-e2e-');
    try {
      const run = start(['catalog', 'list', '--db', `postgres://pave@127.0.0.1:${port}/pave`], cwd);
      await within(connected, DEADLINE_MS, 'pave connecting to the silent server');
      run.child.kill('SIGINT');
      const end = await within(run.exited, STOP_GRACE_MS + STOP_DEADLINE_MS, 'pave exiting after SIGINT');
      expect(end).toMatchObject({ code: 130, stdout: '' });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

const postgres = testStores().find((factory) => factory.engine === 'postgres')!;

describe.skipIf(postgres.unavailable !== undefined)('pave on PostgreSQL', () => {
  let cwd: string;
  let schema: { url: string; drop(): Promise<void> };

  beforeAll(async () => {
    cwd = tempFolder({}, 'pave-e2e-pg-');
  });
  afterAll(() => {
    rmSync(cwd, { recursive: true, force: true });
  });
  afterEach(async () => {
    for (const leftover of [...running]) {
      leftover.child.kill('SIGKILL');
      await leftover.exited;
    }
    await schema?.drop();
  });

  it('imports the example catalog with --db and lists it back', async () => {
    schema = await createTestSchema();
    const imported = await pave(
      ['catalog', 'import', path.join(fixtures, 'everything.yaml'), '--db', schema.url, '--format', 'json'],
      cwd,
    );
    expect(imported.code, imported.stderr).toBe(0);
    const report = JSON.parse(imported.stdout) as { added: number; errors: number };
    expect(report.errors).toBe(0);
    expect(report.added).toBeGreaterThan(50);

    const listed = await pave(['catalog', 'list', '--db', schema.url, '--format', 'json'], cwd);
    expect(listed.code, listed.stderr).toBe(0);
    const refs = (JSON.parse(listed.stdout) as { ref: string }[]).map((entity) => entity.ref);
    expect(refs).toHaveLength(report.added);
    expect(refs).toContain('component:default/artist-lookup');
    // Nothing was written to a DuckDB file on the side.
    expect(existsSync(path.join(cwd, '.pave'))).toBe(false);
  });

  it('runs two replicas on one fresh schema: both migrate, serve, and see the same catalog', async () => {
    schema = await createTestSchema();
    const args = ['serve', '--port', '0', '--db', schema.url];
    const [a, b] = await Promise.all([serve(args, cwd), serve(args, cwd)]);
    expect(a.url).not.toBe(b.url);
    for (const replica of [a, b]) {
      expect(await getJson(`${replica.url}/readyz`)).toEqual({ status: 'ready', store: 'postgres' });
    }

    const body = readFileSync(
      path.join(fixtures, 'examples/components/artist-lookup-component.yaml'),
      'utf8',
    );
    const imported = await fetch(`${a.url}/api/v1/catalog/import?location=e2e`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/yaml' },
    });
    expect(imported.status).toBe(200);

    const fromA = await getJson<unknown>(`${a.url}/api/v1/entities`);
    const fromB = await getJson<unknown>(`${b.url}/api/v1/entities`);
    expect(fromA).toMatchObject({ totalItems: 1, items: [{ ref: 'component:default/artist-lookup' }] });
    expect(fromB).toEqual(fromA);

    for (const end of await Promise.all([a.stop(), b.stop()]))
      expect(end).toMatchObject({ code: 0, signal: null });
  });
});
