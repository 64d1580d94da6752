/**
 * The shared store: PostgreSQL, for several stateless `pave serve` replicas behind a load balancer.
 *
 * Values are parsed per pool (not through pg's global type registry) so that both engines return
 * the same `Row` shapes. Bulk inserts send one array per column and `unnest` them, one round trip
 * per few thousand rows whatever the row count, with no parameter-count limit.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { PaveError } from '../../core/errors.js';
import { assertIdentifier, dedupeRows, upsertAssignments } from '../dedupeRows.js';
import { postgresDialect } from '../dialect.js';
import { applyMigrations, type Migration } from '../migrations.js';
import type { OnConflict, Queryable, Row, SqlParam, Store } from '../Store.js';

const INSERT_BATCH_ROWS = 5000;
const CONNECT_TIMEOUT_MS = 10_000;

/** PostgreSQL type OIDs whose default parsing differs from what `Row` promises. */
const TYPE_PARSERS: Record<number, (text: string) => unknown> = {
  20: Number, // int8
  1700: Number, // numeric
  1082: (text) => text, // date stays 'YYYY-MM-DD'
  1114: (text) => new Date(`${text.replace(' ', 'T')}Z`), // timestamp without time zone: UTC
};

const types = {
  getTypeParser(oid: number, format?: string) {
    return TYPE_PARSERS[oid] ?? pg.types.getTypeParser(oid, format as 'text');
  },
};

/** Opens a pool on a `postgres://` URL. Nothing is sent until the first query. */
export function openPostgresStore(url: string): PostgresStore {
  const pool = new pg.Pool({
    connectionString: withUtcSessions(url),
    types,
    max: 10,
    // A server that accepts connections but never answers must not hang a command for ever.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  } as pg.PoolConfig);
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return new PostgresStore(pool, redact(url));
}

/** The URL with `TimeZone=UTC` added to the session options it may already carry. */
function withUtcSessions(url: string): string {
  try {
    const parsed = new URL(url);
    const options = parsed.searchParams.get('options');
    parsed.searchParams.set('options', `${options ? `${options} ` : ''}-c TimeZone=UTC`);
    return parsed.toString();
  } catch {
    return url;
  }
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

function translateError(error: unknown, description: string): unknown {
  const code = (error as { code?: string }).code;
  const message = (error as Error).message ?? '';
  const unreachable =
    [
      'ECONNREFUSED',
      'ENOTFOUND',
      'ETIMEDOUT',
      'ECONNRESET',
      'EHOSTUNREACH',
      '3D000',
      '28000',
      '28P01',
    ].includes(code ?? '') || /Connection terminated|timeout exceeded when trying to connect/i.test(message);
  if (unreachable) {
    return new PaveError(`cannot reach PostgreSQL at ${description}: ${(error as Error).message}`, {
      code: 'store-unreachable',
      status: 503,
      cause: error,
    });
  }
  return error;
}

/** Runs SQL on a pool (each statement on any client) or on one client (a transaction). */
class PostgresQueryable implements Queryable {
  constructor(
    protected readonly client: pg.Pool | pg.PoolClient,
    protected readonly columnTypes: (table: string) => Promise<Map<string, string>>,
    protected readonly describe: string,
  ) {}

  async query<T = Row>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    try {
      const result = await this.client.query(sql, params.map(toPgParam));
      return result.rows as T[];
    } catch (error) {
      throw translateError(error, this.describe);
    }
  }

  async execute(sql: string, params: readonly SqlParam[] = []): Promise<number> {
    try {
      const result = await this.client.query(sql, params.map(toPgParam));
      return result.rowCount ?? 0;
    } catch (error) {
      throw translateError(error, this.describe);
    }
  }

  async insertRows(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly SqlParam[])[],
    options: { onConflict?: OnConflict } = {},
  ): Promise<number> {
    if (rows.length === 0) return 0;
    assertIdentifier(table);
    columns.forEach(assertIdentifier);
    const { onConflict } = options;
    const unique = onConflict ? dedupeRows(columns, rows, onConflict.target) : rows;
    const typeOf = await this.columnTypes(table);
    const casts = columns.map((column) => {
      const type = typeOf.get(column);
      if (!type) throw new Error(`table ${table} has no column "${column}"`);
      return type;
    });
    // Array columns travel as their text literal, because unnest() flattens arrays of arrays.
    const selects = casts.map((type, i) => (type.endsWith('[]') ? `u.c${i}::${type}` : `u.c${i}`));
    const arrays = casts.map((type, i) => `$${i + 1}::${type.endsWith('[]') ? 'text' : type}[]`);
    const aliases = casts.map((_, i) => `c${i}`).join(', ');
    let sql = `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${selects.join(', ')} FROM unnest(${arrays.join(', ')}) AS u(${aliases})`;
    if (onConflict) {
      const action =
        onConflict.action === 'nothing'
          ? 'DO NOTHING'
          : `DO UPDATE SET ${upsertAssignments(columns, onConflict.target, onConflict.update)}`;
      sql += ` ON CONFLICT (${onConflict.target.join(', ')}) ${action}`;
    }
    let changed = 0;
    for (let start = 0; start < unique.length; start += INSERT_BATCH_ROWS) {
      const batch = unique.slice(start, start + INSERT_BATCH_ROWS);
      const params = casts.map((type, i) =>
        batch.map((row) => {
          const value = row[i] ?? null;
          if (type.endsWith('[]') && Array.isArray(value)) return arrayLiteral(value);
          return toPgParam(value);
        }),
      );
      changed += await this.execute(sql, params as never);
    }
    return changed;
  }
}

/** pg sends bigint as text and Dates with their offset; both parse back to the same instant. */
function toPgParam(value: SqlParam): unknown {
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** A PostgreSQL array literal (`{"a","b"}`) for one array value. */
function arrayLiteral(values: readonly unknown[]): string {
  const items = values.map((value) =>
    value === null ? 'NULL' : `"${String(value).replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`,
  );
  return `{${items.join(',')}}`;
}

export class PostgresStore extends PostgresQueryable implements Store {
  readonly engine = 'postgres' as const;
  readonly dialect = postgresDialect;
  readonly description: string;
  private readonly typeCache = new Map<string, Map<string, string>>();

  constructor(
    private readonly pool: pg.Pool,
    description: string,
  ) {
    super(pool, (table) => this.tableColumnTypes(table), description);
    this.description = description;
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.connect();
    try {
      await client.query('BEGIN');
      try {
        const result = await work(
          new PostgresQueryable(client, (table) => this.tableColumnTypes(table), this.description),
        );
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    } finally {
      client.release();
    }
  }

  /**
   * Applies pending migrations under a session advisory lock keyed by the database and schema, so
   * replicas starting together take turns and the later ones find nothing left to do.
   */
  async migrate(migrations: readonly Migration[] = []): Promise<{ applied: number[] }> {
    const client = await this.connect();
    try {
      const [{ scope }] = (await client.query('SELECT current_database() || current_schema() AS scope'))
        .rows as [{ scope: string }];
      const lockKey = createHash('sha256').update(`pave-migrations:${scope}`).digest().readBigInt64BE(0);
      await client.query('SELECT pg_advisory_lock($1)', [lockKey.toString()]);
      try {
        const applied = await applyMigrations(
          async (sql, params) => {
            await client.query(sql, params ? [...params] : undefined);
          },
          async () =>
            (await client.query('SELECT version FROM pave_migrations')).rows.map((row) =>
              Number(row.version),
            ),
          migrations,
          this.dialect,
        );
        this.typeCache.clear();
        return { applied };
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [lockKey.toString()]);
      }
    } finally {
      client.release();
    }
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (error) {
      throw translateError(error, this.description);
    }
  }

  private async tableColumnTypes(table: string): Promise<Map<string, string>> {
    const cached = this.typeCache.get(table);
    if (cached) return cached;
    const rows = await this.query<{ name: string; type: string }>(
      `SELECT attname AS name, format_type(atttypid, atttypmod) AS type
         FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped`,
      [table],
    );
    if (rows.length === 0) throw new Error(`table ${table} does not exist`);
    const types = new Map(rows.map((row) => [row.name, row.type]));
    this.typeCache.set(table, types);
    return types;
  }
}
