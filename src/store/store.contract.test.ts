/**
 * The store contract: every behaviour domains rely on, run against DuckDB and PostgreSQL alike.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaveError } from '../core/errors.js';
import { openDuckDBStore } from './duckdb/DuckDBStore.js';
import type { Migration } from './migrations.js';
import { openStore } from './openStore.js';
import { openPostgresStore } from './postgres/PostgresStore.js';
import type { Store } from './Store.js';
import { createTestSchema, testStores } from './testing/testStores.js';

const migrations: Migration[] = [
  {
    version: 2,
    name: 'second',
    up: [
      'CREATE TABLE items (id TEXT PRIMARY KEY, n INTEGER NOT NULL DEFAULT 7, big BIGINT, price {{double}})',
    ],
  },
  {
    version: 1,
    name: 'first',
    up: [
      `CREATE TABLE kinds (
         id TEXT PRIMARY KEY, happened {{timestamp}}, day DATE, doc {{json}}, tags {{text[]}}, flag BOOLEAN, note TEXT
       )`,
    ],
  },
];

for (const factory of testStores()) {
  describe.skipIf(factory.unavailable !== undefined)(`Store contract on ${factory.engine}`, () => {
    let store: Store;

    beforeAll(async () => {
      store = await factory.open(migrations);
    });
    afterAll(async () => {
      await store?.close();
    });

    it('applies migrations in version order once, and a second run applies nothing', async () => {
      const applied = await store.query<{ version: number; name: string }>(
        'SELECT version, name FROM pave_migrations ORDER BY version',
      );
      expect(applied).toEqual([
        { version: 1, name: 'first' },
        { version: 2, name: 'second' },
      ]);
      expect(await store.migrate(migrations)).toEqual({ applied: [] });
    });

    it('rejects two migrations with one version', async () => {
      await expect(store.migrate([...migrations, { version: 1, name: 'again', up: [] }])).rejects.toThrow(
        /both have version 1/,
      );
    });

    it('rolls a failing migration back entirely and keeps what was applied', async () => {
      const broken: Migration = {
        version: 3,
        name: 'broken',
        up: ['CREATE TABLE half_done (id TEXT)', 'CREATE TABLE oops ('],
      };
      await expect(store.migrate([...migrations, broken])).rejects.toThrow(/migration 3 \(broken\) failed/);
      const tables = await store.query(
        "SELECT table_name FROM information_schema.tables WHERE table_name = 'half_done'",
      );
      expect(tables).toEqual([]);
      expect(await store.query('SELECT version FROM pave_migrations WHERE version = 3')).toEqual([]);
    });

    it('normalises values the same way on both engines', async () => {
      const at = new Date('2024-03-01T10:15:30.123Z');
      await store.execute('INSERT INTO kinds VALUES ($1, $2, $3::DATE, $4, $5, $6, NULL)', [
        'k1',
        at,
        '2024-02-29',
        JSON.stringify({ a: [1, 'two'], b: null }),
        ['x', 'y'],
        true,
      ]);
      const [row] = await store.query('SELECT * FROM kinds WHERE id = $1', ['k1']);
      expect(row).toEqual({
        id: 'k1',
        happened: at,
        day: '2024-02-29',
        doc: { a: [1, 'two'], b: null },
        tags: ['x', 'y'],
        flag: true,
        note: null,
      });
      const [counts] = await store.query(
        'SELECT count(*) AS n, sum(1) AS s, avg(2) AS a, CAST(5 AS BIGINT) AS big, 1.5 AS d FROM kinds',
      );
      expect(counts).toEqual({ n: 1, s: 1, a: 2, big: 5, d: 1.5 });
    });

    it('binds dates, arrays, integers, floats, booleans and nulls', async () => {
      const [row] = await store.query(
        `SELECT $1::TIMESTAMPTZ AS t, 'b' = ANY($2) AS has, $3::INTEGER + 1 AS i, $4::DOUBLE PRECISION * 2 AS f,
                $5::BOOLEAN AS yes, $6::TEXT IS NULL AS empty`,
        [new Date('2020-01-01T00:00:00Z'), ['a', 'b'], 41, 0.25, false, null],
      );
      expect(row).toEqual({
        t: new Date('2020-01-01T00:00:00Z'),
        has: true,
        i: 42,
        f: 0.5,
        yes: false,
        empty: true,
      });
    });

    it('binds number lists with fractions after integers, and empty lists', async () => {
      const [row] = await store.query<{ total: number; none: boolean }>(
        `SELECT (SELECT sum(x) FROM unnest($1::DOUBLE PRECISION[]) AS u(x)) AS total,
                NOT ('a' = ANY($2::TEXT[])) AS none`,
        [[0, 0.9, 2], []],
      );
      expect(row).toEqual({ total: 2.9, none: true });
    });

    it('inserts many rows in bulk, filling defaults for the columns left out', async () => {
      const rows = Array.from({ length: 12_000 }, (_, i) => [`bulk-${i}`, i * 10, i / 4]);
      const count = await store.insertRows('items', ['id', 'big', 'price'], rows);
      expect(count).toBe(12_000);
      const [summary] = await store.query(
        "SELECT count(*) AS n, sum(big) AS total, min(n) AS lo, max(n) AS hi, max(price) AS top FROM items WHERE id LIKE 'bulk-%'",
      );
      expect(summary).toEqual({
        n: 12_000,
        total: 10 * ((11_999 * 12_000) / 2),
        lo: 7,
        hi: 7,
        top: 11_999 / 4,
      });
    });

    it('bulk-inserts timestamps, dates, JSON and arrays', async () => {
      const at = new Date('2023-06-01T12:00:00Z');
      await store.insertRows(
        'kinds',
        ['id', 'happened', 'day', 'doc', 'tags', 'flag'],
        [
          ['b1', at, '2023-06-01', '{"k":"v"}', ['p', 'q "quoted"', 'r,s'], false],
          ['b2', null, null, null, [], null],
        ],
      );
      const rows = await store.query(
        "SELECT id, happened, day, doc, tags, flag FROM kinds WHERE id IN ('b1', 'b2') ORDER BY id",
      );
      expect(rows).toEqual([
        {
          id: 'b1',
          happened: at,
          day: '2023-06-01',
          doc: { k: 'v' },
          tags: ['p', 'q "quoted"', 'r,s'],
          flag: false,
        },
        { id: 'b2', happened: null, day: null, doc: null, tags: [], flag: null },
      ]);
    });

    it('keeps stored rows on conflict "nothing" and collapses repeated keys to the last', async () => {
      await store.insertRows('items', ['id', 'n'], [['c1', 1]]);
      const changed = await store.insertRows(
        'items',
        ['id', 'n'],
        [
          ['c1', 100],
          ['c2', 2],
          ['c2', 3],
        ],
        { onConflict: { target: ['id'], action: 'nothing' } },
      );
      expect(changed).toBe(1);
      const rows = await store.query("SELECT id, n FROM items WHERE id IN ('c1', 'c2') ORDER BY id");
      expect(rows).toEqual([
        { id: 'c1', n: 1 },
        { id: 'c2', n: 3 },
      ]);
    });

    it('keeps stored rows on conflict "nothing" for number keys and keys holding any character', async () => {
      await store.execute('CREATE TABLE numbered (k BIGINT PRIMARY KEY, v TEXT)');
      await store.insertRows('numbered', ['k', 'v'], [[1, 'one']]);
      const added = await store.insertRows(
        'numbered',
        ['k', 'v'],
        [
          [1, 'uno'],
          [2, 'two'],
        ],
        { onConflict: { target: ['k'], action: 'nothing' } },
      );
      expect(added).toBe(1);
      expect(await store.query('SELECT k, v FROM numbered ORDER BY k')).toEqual([
        { k: 1, v: 'one' },
        { k: 2, v: 'two' },
      ]);
      const odd = 'a\u001fb';
      await store.insertRows('items', ['id', 'n'], [[odd, 1]]);
      const again = await store.insertRows(
        'items',
        ['id', 'n'],
        [
          [odd, 2],
          ['a', 3],
        ],
        { onConflict: { target: ['id'], action: 'nothing' } },
      );
      expect(again).toBe(1);
      expect(await store.query('SELECT n FROM items WHERE id = $1', [odd])).toEqual([{ n: 1 }]);
    });

    it('overwrites stored rows on conflict "update"', async () => {
      await store.insertRows('items', ['id', 'n', 'big'], [['u1', 1, 10]]);
      await store.insertRows(
        'items',
        ['id', 'n', 'big'],
        [
          ['u1', 2, 20],
          ['u2', 5, 50],
        ],
        { onConflict: { target: ['id'], action: 'update', update: ['n'] } },
      );
      const rows = await store.query("SELECT id, n, big FROM items WHERE id IN ('u1', 'u2') ORDER BY id");
      expect(rows).toEqual([
        { id: 'u1', n: 2, big: 10 },
        { id: 'u2', n: 5, big: 50 },
      ]);
    });

    it('commits a transaction that resolves and rolls back one that throws, bulk inserts included', async () => {
      await store.transaction(async (tx) => {
        await tx.execute("INSERT INTO items (id) VALUES ('t1')");
        await tx.insertRows('items', ['id'], [['t2']]);
      });
      await expect(
        store.transaction(async (tx) => {
          await tx.execute("INSERT INTO items (id) VALUES ('t3')");
          await tx.insertRows('items', ['id'], [['t4'], ['t5']], {
            onConflict: { target: ['id'], action: 'nothing' },
          });
          expect(await tx.query("SELECT id FROM items WHERE id = 't4'")).toHaveLength(1);
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      const rows = await store.query("SELECT id FROM items WHERE id LIKE 't_' ORDER BY id");
      expect(rows).toEqual([{ id: 't1' }, { id: 't2' }]);
    });

    it('refuses a bulk insert into an unknown column and writes nothing', async () => {
      await expect(store.insertRows('items', ['id', 'nope'], [['x1', 1]])).rejects.toThrow(/nope/);
      expect(await store.query("SELECT id FROM items WHERE id = 'x1'")).toEqual([]);
    });

    it('computes interpolated percentiles and time buckets identically', async () => {
      const rows = await store.query(
        `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS p50,
                percentile_cont(0.9) WITHIN GROUP (ORDER BY x) AS p90,
                count(*) FILTER (WHERE x > 2) AS big,
                date_trunc('week', $1::TIMESTAMPTZ AT TIME ZONE 'Europe/Paris') AS paris_week,
                date_trunc('month', $1::TIMESTAMPTZ) AS utc_month,
                extract(epoch FROM $1::TIMESTAMPTZ) AS epoch
           FROM (VALUES (1), (2), (3), (10)) AS t(x)`,
        [new Date('2024-03-03T23:30:00Z')],
      );
      expect(rows).toEqual([
        {
          p50: 2.5,
          p90: expect.closeTo(7.9, 9),
          big: 2,
          paris_week: new Date('2024-03-04T00:00:00Z'),
          utc_month: new Date('2024-03-01T00:00:00Z'),
          epoch: Date.parse('2024-03-03T23:30:00Z') / 1000,
        },
      ]);
    });

    it('computes several quantiles in one aggregate, equal to one percentile_cont each', async () => {
      const rows = await store.query<{ grp: string | null; q: number[]; p75: number }>(
        `SELECT grp, ${store.dialect.quantiles('x', [0.5, 0.75, 0.9])} AS q,
                percentile_cont(0.75) WITHIN GROUP (ORDER BY x) AS p75
           FROM (VALUES ('a', 1), ('a', 2), ('a', 3), ('a', 10), ('b', 5)) AS t(grp, x)
          GROUP BY GROUPING SETS ((grp), ()) ORDER BY grp NULLS LAST`,
      );
      expect(rows.map((row) => ({ ...row, q: row.q.map(Number) }))).toEqual([
        { grp: 'a', q: [2.5, 4.75, expect.closeTo(7.9, 9)], p75: 4.75 },
        { grp: 'b', q: [5, 5, 5], p75: 5 },
        { grp: null, q: [3, 5, expect.closeTo(8, 9)], p75: 5 },
      ]);
    });

    it('reads an empty result with a JSON column as no rows', async () => {
      const rows = await store.query(
        `SELECT CAST('{"a": 1}' AS ${store.dialect.jsonType}) AS body, 1 AS n FROM (SELECT 1) AS t(x) WHERE false`,
      );
      expect(rows).toEqual([]);
    });

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}

describe.skipIf(!process.env.PAVE_TEST_PG_URL)('PostgreSQL across replicas', () => {
  it('lets two replicas migrate one database at once, each migration applied once', async () => {
    const { url, drop } = await createTestSchema();
    const slow: Migration[] = [
      { version: 1, name: 'a', up: ['CREATE TABLE a (id TEXT PRIMARY KEY)', 'SELECT pg_sleep(0.3)'] },
      { version: 2, name: 'b', up: ['CREATE TABLE b (id TEXT PRIMARY KEY)'] },
    ];
    const replicas = [openPostgresStore(url), openPostgresStore(url), openPostgresStore(url)];
    try {
      const results = await Promise.all(replicas.map((replica) => replica.migrate(slow)));
      const applied = results.flatMap((result) => result.applied).sort();
      expect(applied).toEqual([1, 2]);
      const rows = await replicas[0]!.query('SELECT version FROM pave_migrations ORDER BY version');
      expect(rows).toEqual([{ version: 1 }, { version: 2 }]);
    } finally {
      await Promise.all(replicas.map((replica) => replica.close()));
      await drop();
    }
  });

  it('reports an unreachable server clearly', async () => {
    const store = await openStore('postgres://nobody@127.0.0.1:1/none', { migrate: false });
    const failure = await store.ping().catch((error: unknown) => error);
    await store.close();
    expect(failure).toBeInstanceOf(PaveError);
    expect((failure as PaveError).message).toMatch(
      /cannot reach PostgreSQL at postgres:\/\/nobody@127\.0\.0\.1:1\/none/,
    );
  });
});

describe('DuckDB file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'pave-lock-'));
  });

  it('keeps data across reopening', async () => {
    const file = path.join(dir, 'keep.duckdb');
    const first = await openDuckDBStore(file);
    await first.migrate(migrations);
    await first.insertRows('items', ['id'], [['kept']]);
    await first.close();
    const second = await openDuckDBStore(file);
    expect(await second.migrate(migrations)).toEqual({ applied: [] });
    expect(await second.query('SELECT id FROM items')).toEqual([{ id: 'kept' }]);
    await second.close();
  });

  it('turns running out of its memory limit into a 503 to retry, and keeps working', async () => {
    const store = await openDuckDBStore(path.join(dir, 'small.duckdb'));
    try {
      await store.execute("SET memory_limit = '8MB'");
      // A list aggregate cannot spill to disk: 10 million integers need more than 8 MB.
      const failure = await store
        .query('SELECT list(i) FROM range(10000000) t(i)')
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(PaveError);
      expect((failure as PaveError).status).toBe(503);
      expect((failure as PaveError).code).toBe('store-out-of-memory');
      expect((failure as PaveError).message).toMatch(
        /^the database is out of memory for this query \(failed to allocate/,
      );
      expect(await store.query('SELECT 42 AS answer')).toEqual([{ answer: 42 }]);
    } finally {
      await store.close();
    }
  });

  it('says so when another process holds the file', async () => {
    const file = path.join(dir, 'locked.duckdb');
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { DuckDBInstance } from '@duckdb/node-api';
         const db = await DuckDBInstance.create(${JSON.stringify(file)});
         await (await db.connect()).run('CREATE TABLE t (x INTEGER)');
         console.log('ready');
         setTimeout(() => {}, 60000);`,
      ],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout!.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('ready')) resolve();
        });
        holder.on('exit', (code) => reject(new Error(`holder exited with ${code}`)));
      });
      const failure = await openDuckDBStore(file).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(PaveError);
      expect((failure as PaveError).code).toBe('store-locked');
      expect((failure as PaveError).message).toMatch(/in use by another process/);
    } finally {
      holder.kill();
    }
  });
});
