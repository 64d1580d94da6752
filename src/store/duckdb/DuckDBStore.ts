/**
 * The embedded store: DuckDB in one file (`.pave/pave.duckdb`), no server to run.
 *
 * DuckDB lets one process open a file for writing; inside that process Pave keeps a few
 * connections (one per concurrent operation) and serialises writes with a mutex, because DuckDB's
 * optimistic transactions would otherwise abort one of two writers touching the same rows.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDateValue,
  DuckDBInstance,
  type DuckDBResultReader,
  DuckDBTimestampTZValue,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBValue,
  type DuckDBValueConverter,
  type JS,
  JSDuckDBValueConverter,
  listValue,
  timestampTZValue,
} from '@duckdb/node-api';
import { PaveError } from '../../core/errors.js';
import { assertIdentifier, dedupeRows, upsertAssignments } from '../dedupeRows.js';
import { duckdbDialect } from '../dialect.js';
import { Mutex } from '../Mutex.js';
import { applyMigrations, type Migration } from '../migrations.js';
import type { OnConflict, Queryable, Row, SqlParam, Store } from '../Store.js';

const MILLIS_PER_DAY = 86_400_000;

/** Opens (creating if needed) a DuckDB file, or an in-memory database for `:memory:`. */
export async function openDuckDBStore(file: string): Promise<DuckDBStore> {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(file);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/lock/i.test(message)) {
      throw new PaveError(
        `the database ${file} is in use by another process (is \`pave serve\` running?). ` +
          'Stop it, or send the data through its HTTP API, or use PostgreSQL for shared access.',
        { exitCode: 1, code: 'store-locked', status: 503, cause: error },
      );
    }
    throw new PaveError(`cannot open the database ${file}: ${message}`, { code: 'store-open', cause: error });
  }
  return new DuckDBStore(instance, file);
}

/** Converts DuckDB values the way `Row` promises: numbers, Dates, date strings (JSON: see `readRows`). */
const rowValueConverter: DuckDBValueConverter<unknown> = (value, type, self) => {
  if (value === null) return null;
  switch (type.typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.UHUGEINT:
      return Number(value as bigint);
    case DuckDBTypeId.DATE:
      return new Date((value as DuckDBDateValue).days * MILLIS_PER_DAY).toISOString().slice(0, 10);
    default:
      return JSDuckDBValueConverter(value, type, self as unknown as DuckDBValueConverter<JS>);
  }
};

/** Turns a parameter into a value DuckDB can bind: dates as TIMESTAMPTZ, arrays as lists. */
function bindValue(value: SqlParam): DuckDBValue {
  if (value instanceof Date) return timestampTZValue(BigInt(value.getTime()) * 1000n);
  if (Array.isArray(value)) return listValue(value as DuckDBValue[]);
  if (typeof value === 'number' && Number.isInteger(value) && Number.isSafeInteger(value)) {
    return BigInt(value);
  }
  return value as DuckDBValue;
}

/**
 * The rows of a result. JSON columns are parsed here, by column: the per-value converter is not told
 * a column's `JSON` alias.
 */
function readRows<T>(reader: DuckDBResultReader): T[] {
  const rows = reader.convertRowObjects(rowValueConverter);
  const jsonColumns = reader.columnNames().filter((_, index) => reader.columnType(index).alias === 'JSON');
  for (const row of rows) {
    for (const column of jsonColumns) {
      const text = row[column];
      if (typeof text === 'string') row[column] = JSON.parse(text);
    }
  }
  return rows as T[];
}

function toMillis(value: SqlParam): number {
  if (value instanceof Date) return value.getTime();
  const millis = typeof value === 'number' ? value : Date.parse(String(value));
  if (Number.isNaN(millis)) throw new TypeError(`"${String(value)}" is not a timestamp`);
  return millis;
}

type Append = (appender: DuckDBAppender, value: SqlParam) => void;

/** The appender call for a column of `type`, converting the parameter on the way. */
function appendFor(type: DuckDBType): Append {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return (a, v) => a.appendBoolean(Boolean(v));
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
      return (a, v) => a.appendInteger(Number(v));
    case DuckDBTypeId.BIGINT:
      return (a, v) => a.appendBigInt(typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v))));
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.DECIMAL:
      return (a, v) => a.appendDouble(Number(v));
    case DuckDBTypeId.TIMESTAMP_TZ:
      return (a, v) => a.appendTimestampTZ(new DuckDBTimestampTZValue(BigInt(toMillis(v)) * 1000n));
    case DuckDBTypeId.DATE:
      return (a, v) => a.appendDate(new DuckDBDateValue(Math.floor(toMillis(v) / MILLIS_PER_DAY)));
    case DuckDBTypeId.LIST:
      return (a, v) => a.appendList(listValue((v as DuckDBValue[]).map((item) => item)), type as never);
    case DuckDBTypeId.VARCHAR:
      return (a, v) => a.appendVarchar(typeof v === 'string' ? v : String(v));
    default:
      return (a, v) => a.appendValue(bindValue(v), type);
  }
}

/** A store's or a transaction's way of running SQL on one DuckDB connection. */
class DuckDBQueryable implements Queryable {
  constructor(
    private readonly useConnection: <T>(work: (connection: DuckDBConnection) => Promise<T>) => Promise<T>,
    private readonly columnTypes: (
      connection: DuckDBConnection,
      table: string,
    ) => Promise<Map<string, DuckDBType>>,
  ) {}

  query<T = Row>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    return this.useConnection(async (connection) => {
      return readRows<T>(await connection.runAndReadAll(sql, params.map(bindValue)));
    });
  }

  execute(sql: string, params: readonly SqlParam[] = []): Promise<number> {
    return this.useConnection(async (connection) => {
      const result = await connection.run(sql, params.map(bindValue));
      return Number(result.rowsChanged);
    });
  }

  insertRows(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly SqlParam[])[],
    options: { onConflict?: OnConflict } = {},
  ): Promise<number> {
    if (rows.length === 0) return Promise.resolve(0);
    assertIdentifier(table);
    columns.forEach(assertIdentifier);
    return this.useConnection(async (connection) => {
      const { onConflict } = options;
      if (!onConflict) {
        await appendRows(connection, table, columns, rows, await this.columnTypes(connection, table));
        return rows.length;
      }
      // The appender cannot resolve conflicts: stage the batch, then INSERT ... ON CONFLICT from it.
      const unique = dedupeRows(columns, rows, onConflict.target);
      const stage = `pave_stage_${table}`;
      const list = columns.join(', ');
      await connection.run(`CREATE OR REPLACE TEMP TABLE ${stage} AS SELECT ${list} FROM ${table} LIMIT 0`);
      try {
        await appendRows(connection, stage, columns, unique, await this.columnTypes(connection, stage));
        const action =
          onConflict.action === 'nothing'
            ? 'DO NOTHING'
            : `DO UPDATE SET ${upsertAssignments(columns, onConflict.target, onConflict.update)}`;
        const result = await connection.run(
          `INSERT INTO ${table} (${list}) SELECT ${list} FROM ${stage} ON CONFLICT (${onConflict.target.join(', ')}) ${action}`,
        );
        return Number(result.rowsChanged);
      } finally {
        await connection.run(`DROP TABLE IF EXISTS ${stage}`);
      }
    });
  }
}

async function appendRows(
  connection: DuckDBConnection,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly SqlParam[])[],
  types: Map<string, DuckDBType>,
): Promise<void> {
  const tableColumns = [...types.keys()];
  const positions = tableColumns.map((name) => columns.indexOf(name));
  for (const column of columns) {
    if (!types.has(column)) throw new Error(`table ${table} has no column "${column}"`);
  }
  const appends = tableColumns.map((name) => appendFor(types.get(name)!));
  const appender = await connection.createAppender(table);
  try {
    for (const row of rows) {
      for (let i = 0; i < positions.length; i++) {
        const position = positions[i]!;
        if (position === -1) {
          appender.appendDefault();
          continue;
        }
        const value = row[position];
        if (value === null || value === undefined) appender.appendNull();
        else appends[i]!(appender, value);
      }
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

export class DuckDBStore extends DuckDBQueryable implements Store {
  readonly engine = 'duckdb' as const;
  readonly dialect = duckdbDialect;
  readonly description: string;
  private readonly idle: DuckDBConnection[] = [];
  private readonly writes = new Mutex();
  private readonly typeCache = new Map<string, Map<string, DuckDBType>>();
  private closed = false;

  constructor(
    private readonly instance: DuckDBInstance,
    file: string,
  ) {
    super(
      (work) => this.withConnection(work),
      (connection, table) => this.tableColumnTypes(connection, table),
    );
    this.description = file;
  }

  override execute(sql: string, params?: readonly SqlParam[]): Promise<number> {
    return this.writes.run(() => super.execute(sql, params));
  }

  override insertRows(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly SqlParam[])[],
    options?: { onConflict?: OnConflict },
  ): Promise<number> {
    return this.writes.run(() => super.insertRows(table, columns, rows, options));
  }

  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.writes.run(() =>
      this.withConnection(async (connection) => {
        const tx = new DuckDBQueryable(
          (inner) => inner(connection),
          (conn, table) => this.tableColumnTypes(conn, table),
        );
        await connection.run('BEGIN TRANSACTION');
        try {
          const result = await work(tx);
          await connection.run('COMMIT');
          return result;
        } catch (error) {
          await connection.run('ROLLBACK');
          throw error;
        }
      }),
    );
  }

  async migrate(migrations: readonly Migration[] = []): Promise<{ applied: number[] }> {
    return this.writes.run(() =>
      this.withConnection(async (connection) => {
        const applied = await applyMigrations(
          async (sql, params) => {
            await connection.run(sql, params ? [...params] : undefined);
          },
          async () => {
            const reader = await connection.runAndReadAll('SELECT version FROM pave_migrations');
            return reader.getRowObjectsJS().map((row) => Number(row.version));
          },
          migrations,
          this.dialect,
        );
        this.typeCache.clear();
        return { applied };
      }),
    );
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const connection of this.idle.splice(0)) connection.closeSync();
    this.instance.closeSync();
  }

  private async withConnection<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.closed) throw new PaveError('the store is closed');
    const connection = this.idle.pop() ?? (await this.connect());
    try {
      return await work(connection);
    } finally {
      if (this.closed) connection.closeSync();
      else this.idle.push(connection);
    }
  }

  private async connect(): Promise<DuckDBConnection> {
    const connection = await this.instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
    return connection;
  }

  private async tableColumnTypes(
    connection: DuckDBConnection,
    table: string,
  ): Promise<Map<string, DuckDBType>> {
    const cached = this.typeCache.get(table);
    if (cached && !table.startsWith('pave_stage_')) return cached;
    const reader = await connection.runAndReadAll(`SELECT * FROM ${table} LIMIT 0`);
    const types = new Map<string, DuckDBType>();
    reader.columnNames().forEach((name, index) => {
      types.set(name, reader.columnType(index));
    });
    if (!table.startsWith('pave_stage_')) this.typeCache.set(table, types);
    return types;
  }
}
