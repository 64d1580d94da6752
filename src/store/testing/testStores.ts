/**
 * Stores for tests: every store behaviour is tested against both engines. PostgreSQL tests use
 * `PAVE_TEST_PG_URL` and a fresh schema per store, dropped on close. Without that variable the
 * PostgreSQL cases are skipped with a printed reason, except under `CI=true`, where an unreachable
 * server is a failure.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDuckDBStore } from '../duckdb/DuckDBStore.js';
import type { Migration } from '../migrations.js';
import { openPostgresStore } from '../postgres/PostgresStore.js';
import type { Engine, Store } from '../Store.js';

export interface TestStoreFactory {
  engine: Engine;
  /** Why this engine is not available, or undefined when it is. */
  unavailable?: string;
  /** A fresh, empty, migrated store. Close it when done: that also removes its data. */
  open(migrations?: readonly Migration[]): Promise<Store>;
}

const pgUrl = process.env.PAVE_TEST_PG_URL;

function withSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

/** A fresh DuckDB file in a temporary folder. */
async function openDuckDB(migrations: readonly Migration[] = []): Promise<Store> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pave-test-'));
  const store = await openDuckDBStore(path.join(dir, 'test.duckdb'));
  await store.migrate(migrations);
  const close = store.close.bind(store);
  store.close = async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  };
  return store;
}

/** A fresh schema on the test server; the returned store's URL selects it. */
export async function createTestSchema(): Promise<{ url: string; drop(): Promise<void> }> {
  if (!pgUrl) throw new Error('PAVE_TEST_PG_URL is not set');
  const schema = `pave_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  return {
    url: withSchema(pgUrl, schema),
    async drop() {
      const client = new pg.Client({ connectionString: pgUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}

async function openPostgres(migrations: readonly Migration[] = []): Promise<Store> {
  const { url, drop } = await createTestSchema();
  const store = openPostgresStore(url);
  await store.migrate(migrations);
  const close = store.close.bind(store);
  store.close = async () => {
    await close();
    await drop();
  };
  return store;
}

function postgresUnavailable(): string | undefined {
  if (pgUrl) return undefined;
  const reason = 'PAVE_TEST_PG_URL is not set: PostgreSQL store tests are skipped';
  if (process.env.CI === 'true') throw new Error(`${reason}, but CI=true requires them`);
  console.warn(reason);
  return reason;
}

/** The engines to run a store test against: DuckDB always, PostgreSQL when configured. */
export function testStores(): TestStoreFactory[] {
  const unavailable = postgresUnavailable();
  return [
    { engine: 'duckdb', open: openDuckDB },
    { engine: 'postgres', open: openPostgres, ...(unavailable ? { unavailable } : {}) },
  ];
}
