/**
 * The few places where DuckDB and PostgreSQL SQL differ, in one file. Everything else is one SQL
 * text for both: `$n` parameters, `percentile_cont(q) WITHIN GROUP (ORDER BY x)`, `FILTER`,
 * `ON CONFLICT`, `WITH RECURSIVE`, `ILIKE`, `date_trunc`, `AT TIME ZONE`, `extract(epoch FROM ...)`.
 */
import type { Engine } from './Store.js';

export interface Dialect {
  readonly engine: Engine;
  /** Column type for JSON documents (`JSON` / `JSONB`). */
  readonly jsonType: string;
  /** Column type for timestamps in UTC (`TIMESTAMPTZ` on both). */
  readonly timestampType: string;
  /** Column type for a list of strings (`VARCHAR[]` / `TEXT[]`). */
  readonly textArrayType: string;
  /** Column type for a 64-bit float. */
  readonly doubleType: string;
  /** An expression reading text field `key` of JSON column `column`. */
  jsonText(column: string, key: string): string;
  /**
   * An aggregate giving the interpolated quantiles `qs` of `expr` as one array, computed in one pass
   * (DuckDB `quantile_cont(x, [...])`, PostgreSQL `percentile_cont(ARRAY[...])`): the same values as
   * one `percentile_cont(q)` per quantile, for one sort instead of several.
   */
  quantiles(expr: string, qs: readonly number[]): string;
  /** Substitutes `{{json}}`, `{{timestamp}}`, `{{text[]}}` and `{{double}}` in a DDL text. */
  ddl(sql: string): string;
}

function makeDialect(engine: Engine): Dialect {
  const dialect: Dialect = {
    engine,
    jsonType: engine === 'duckdb' ? 'JSON' : 'JSONB',
    timestampType: 'TIMESTAMPTZ',
    textArrayType: engine === 'duckdb' ? 'VARCHAR[]' : 'TEXT[]',
    doubleType: engine === 'duckdb' ? 'DOUBLE' : 'DOUBLE PRECISION',
    quantiles: (expr, qs) => {
      const list = qs.map((q) => String(q)).join(', ');
      return engine === 'duckdb'
        ? `quantile_cont(${expr}, [${list}])`
        : `percentile_cont(ARRAY[${list}]::double precision[]) WITHIN GROUP (ORDER BY ${expr})`;
    },
    jsonText: (column, key) => `(${column} ->> '${key.replaceAll("'", "''")}')`,
    ddl: (sql) =>
      sql
        .replaceAll('{{json}}', dialect.jsonType)
        .replaceAll('{{timestamp}}', dialect.timestampType)
        .replaceAll('{{text[]}}', dialect.textArrayType)
        .replaceAll('{{double}}', dialect.doubleType),
  };
  return dialect;
}

export const duckdbDialect = makeDialect('duckdb');
export const postgresDialect = makeDialect('postgres');
