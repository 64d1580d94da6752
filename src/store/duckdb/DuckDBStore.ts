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
  DOUBLE,
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
  LIST,
  listValue,
  timestampTZValue,
  VARCHAR,
} from '@duckdb/node-api';
import { PaveError } from '../../core/errors.js';
import { assertIdentifier, dedupeRows, upsertAssignments } from '../dedupeRows.js';
import { duckdbDialect } from '../dialect.js';
import { Mutex } from '../Mutex.js';
import { applyMigrations, type Migration } from '../migrations.js';
import type { OnConflict, Queryable, Row, SqlParam, Store } from '../Store.js';

const MILLIS_PER_DAY = 86_400_000;
/** Joins keys into one parameter (ASCII unit separator, chr(31)). */
const KEY_SEPARATOR = '\u001f';
/** Connections (so operations running at once) per store. */
const MAX_CONNECTIONS = 4;

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
  if (Array.isArray(value)) return listValue((value as SqlParam[]).map(bindValue));
  if (typeof value === 'number' && Number.isInteger(value) && Number.isSafeInteger(value)) {
    return BigInt(value);
  }
  return value as DuckDBValue;
}

/**
 * Explicit types for the parameters DuckDB would infer wrongly from their first item: a list of
 * numbers holding a fraction is a list of doubles (`[0, 0.9]` would be typed by its integer `0`), and
 * an empty list, which has no item to infer from, a list of text.
 */
function bindTypes(params: readonly SqlParam[]): (DuckDBType | undefined)[] | undefined {
  let types: (DuckDBType | undefined)[] | undefined;
  params.forEach((param, index) => {
    if (!Array.isArray(param)) return;
    const type =
      param.length === 0
        ? LIST(VARCHAR)
        : param.some((item) => typeof item === 'number' && !Number.isInteger(item))
          ? LIST(DOUBLE)
          : undefined;
    if (type) {
      types ??= [];
      types[index] = type;
    }
  });
  return types;
}

/** Values and types for `run`; an undefined type lets DuckDB infer that one (its typings say otherwise). */
function bind(params: readonly SqlParam[]): [DuckDBValue[], DuckDBType[] | undefined] {
  const types = bindTypes(params) as DuckDBType[] | undefined;
  const values = params.map((param, index) =>
    types?.[index]?.typeId === DuckDBTypeId.LIST && Array.isArray(param) && param.length > 0
      ? listValue(param as number[])
      : bindValue(param),
  );
  return [values, types];
}

/**
 * The rows of a result. Converted column by column, then assembled into rows (faster than row by
 * row); JSON columns are parsed here, by column: the per-value converter is not told a column's
 * `JSON` alias. Repeated column names keep the last, as row objects would.
 */
function readRows<T>(reader: DuckDBResultReader): T[] {
  const names = reader.columnNames();
  const columns = reader.convertColumns(rowValueConverter);
  names.forEach((_, index) => {
    const values = columns[index];
    // An empty result has no column arrays at all.
    if (!values || reader.columnType(index).alias !== 'JSON') return;
    for (let row = 0; row < values.length; row++) {
      const text = values[row];
      if (typeof text === 'string') values[row] = JSON.parse(text);
    }
  });
  const count = columns[0]?.length ?? 0;
  const rows: Record<string, unknown>[] = new Array(count);
  for (let row = 0; row < count; row++) {
    const object: Record<string, unknown> = {};
    for (let index = 0; index < names.length; index++) object[names[index]!] = columns[index]![row];
    rows[row] = object;
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
      return readRows<T>(await connection.runAndReadAll(sql, ...bind(params)));
    });
  }

  execute(sql: string, params: readonly SqlParam[] = []): Promise<number> {
    return this.useConnection(async (connection) => {
      const result = await connection.run(sql, ...bind(params));
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
      const unique = dedupeRows(columns, rows, onConflict.target);
      if (onConflict.action === 'nothing' && onConflict.target.length === 1) {
        // Keys already stored are left alone, so only the new rows need writing: append them
        // directly, which is much faster than an upsert (the write mutex keeps anyone from adding
        // a key between the lookup and the append).
        const keyIndex = columns.indexOf(onConflict.target[0]!);
        const key = onConflict.target[0]!;
        const keys = unique.map((row) => String(row[keyIndex]));
        // One text parameter split in SQL binds far faster than a list of many thousand values.
        const textKey = (await this.columnTypes(connection, table)).get(key)?.typeId === DuckDBTypeId.VARCHAR;
        const reader =
          !textKey || keys.some((k) => k.includes(KEY_SEPARATOR))
            ? await connection.runAndReadAll(
                `SELECT ${key} AS k FROM ${table} WHERE ${key} IN (SELECT unnest($1))`,
                ...bind([unique.map((row) => row[keyIndex]) as string[]]),
              )
            : await connection.runAndReadAll(
                `SELECT ${key} AS k FROM ${table} WHERE ${key} IN (SELECT unnest(string_split($1, chr(31))))`,
                [keys.join(KEY_SEPARATOR)],
              );
        const stored = new Set(reader.getColumnsJS()[0]?.map(String) ?? []);
        const fresh = unique.filter((row) => !stored.has(String(row[keyIndex])));
        if (fresh.length > 0) {
          await appendRows(connection, table, columns, fresh, await this.columnTypes(connection, table));
        }
        return fresh.length;
      }
      // The appender cannot resolve conflicts: stage the batch, then INSERT ... ON CONFLICT from it.
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
  private readonly waiting: (() => void)[] = [];
  private open = 0;
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
    for (const wake of this.waiting.splice(0)) wake();
    this.instance.closeSync();
  }

  private async withConnection<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.closed) throw new PaveError('the store is closed');
    // At most MAX_CONNECTIONS operations run at once; the rest wait their turn. DuckDB spreads
    // each query over its threads anyway, and every concurrent query costs working memory.
    while (this.open >= MAX_CONNECTIONS && this.idle.length === 0) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      if (this.closed) throw new PaveError('the store is closed');
    }
    let connection = this.idle.pop();
    if (!connection) {
      this.open++;
      try {
        connection = await this.connect();
      } catch (error) {
        this.open--;
        throw error;
      }
    }
    try {
      return await work(connection);
    } catch (error) {
      throw outOfMemory(error) ?? error;
    } finally {
      if (this.closed) connection.closeSync();
      else this.idle.push(connection);
      this.waiting.shift()?.();
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

/**
 * DuckDB's answer when a query needs more than its memory limit while others hold memory (the
 * server sets a low limit): a 503 to retry in a moment, not an internal error.
 */
function outOfMemory(error: unknown): PaveError | undefined {
  const message = error instanceof Error ? error.message : '';
  if (!message.startsWith('Out of Memory Error')) return undefined;
  const reason = message.split('\n')[0]!.replace(/^Out of Memory Error: /, '');
  return new PaveError(`the database is out of memory for this query (${reason}); try again in a moment`, {
    status: 503,
    code: 'store-out-of-memory',
    cause: error,
  });
}
