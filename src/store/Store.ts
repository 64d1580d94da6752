/**
 * The `Store`: the one way domains reach the database, the same for DuckDB and PostgreSQL.
 *
 * Domains write their SQL in their own `queries.ts` with `$1`-style parameters; one SQL text serves
 * both engines wherever it can, and the few differences are asked of `store.dialect`. Values come
 * back normalised the same way from both engines (see `Row`).
 */
import type { Dialect } from './dialect.js';
import type { Migration } from './migrations.js';

/** A value bound to a `$n` parameter. Dates bind as UTC timestamps; arrays as lists of one type. */
export type SqlParam =
  | string
  | number
  | bigint
  | boolean
  | Date
  | null
  | readonly string[]
  | readonly number[];

/**
 * One result row. Values are normalised identically by both adapters:
 * integers, decimals and doubles -> `number`; timestamps -> `Date`; dates -> `'YYYY-MM-DD'`;
 * JSON columns -> the parsed value; lists/arrays -> arrays; NULL -> `null`.
 */
export type Row = Record<string, unknown>;

/** What to do when an inserted row collides with an existing one on `target`. */
export interface OnConflict {
  /** The unique key columns. */
  target: readonly string[];
  /** `nothing` keeps the stored row; `update` overwrites `update` columns (default: all but target). */
  action: 'nothing' | 'update';
  update?: readonly string[];
}

/** Something SQL can be run on: the store itself or an open transaction. */
export interface Queryable {
  /** Runs a query with `$1`.. parameters and returns its rows. */
  query<T = Row>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  /** Runs a statement and returns the number of rows it changed, where the engine reports it. */
  execute(sql: string, params?: readonly SqlParam[]): Promise<number>;
  /**
   * Inserts many rows through the engine's fast path (DuckDB appender, PostgreSQL `unnest` arrays).
   * Rows repeating a key within the batch are collapsed to the last one when `onConflict` is given.
   * Returns the number of rows the table gained or changed.
   */
  insertRows(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly SqlParam[])[],
    options?: { onConflict?: OnConflict },
  ): Promise<number>;
}

export type Engine = 'duckdb' | 'postgres';

/** A database Pave keeps its data in. Open one with `openStore`. */
export interface Store extends Queryable {
  readonly engine: Engine;
  readonly dialect: Dialect;
  /** Where the data lives, for messages (`.pave/pave.duckdb`, `postgres://host/db`), without secrets. */
  readonly description: string;
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Applies the migrations not yet applied, under a lock; safe from several processes at once. */
  migrate(migrations?: readonly Migration[]): Promise<{ applied: number[] }>;
  /** Throws unless the database answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
