/**
 * Versioned schema migrations. Each domain owns a range of versions (catalog 100s, delivery 200s,
 * reliability 300s, governance 400s, cost 500s, paths 600s, report 700s) and lists its migrations in
 * its own `migrations.ts`; `src/domains.ts` gathers them. A store applies, in version order, every
 * migration it has not applied yet, each in its own transaction, and records it in
 * `pave_migrations`.
 */
import { PaveError } from '../core/errors.js';
import type { Dialect } from './dialect.js';

export interface Migration {
  /** Unique across all domains; see the ranges above. */
  version: number;
  /** A few words, recorded with the version. */
  name: string;
  /** DDL statements, one per entry. `{{json}}`-style placeholders are filled in by the dialect. */
  up: readonly string[] | ((dialect: Dialect) => readonly string[]);
}

/** The statements of a migration for one engine. */
export function migrationStatements(migration: Migration, dialect: Dialect): string[] {
  const statements = typeof migration.up === 'function' ? migration.up(dialect) : migration.up;
  return statements.map((statement) => dialect.ddl(statement));
}

/** Throws if two migrations share a version; returns them sorted by version. */
export function orderMigrations(migrations: readonly Migration[]): Migration[] {
  const seen = new Map<number, string>();
  for (const migration of migrations) {
    const other = seen.get(migration.version);
    if (other !== undefined) {
      throw new Error(`migrations "${other}" and "${migration.name}" both have version ${migration.version}`);
    }
    seen.set(migration.version, migration.name);
  }
  return [...migrations].sort((a, b) => a.version - b.version);
}

/** Runs SQL on the one connection a migration run holds. */
export type MigrationExecutor = (sql: string, params?: readonly (string | number)[]) => Promise<void>;

/**
 * Applies, in version order, the migrations not yet recorded in `pave_migrations`: each in its own
 * transaction on `execute`'s connection, recorded with it, rolled back whole if a statement fails.
 * The caller holds whatever lock keeps two runs apart. Returns the versions applied.
 */
export async function applyMigrations(
  execute: MigrationExecutor,
  appliedVersions: () => Promise<number[]>,
  migrations: readonly Migration[],
  dialect: Dialect,
): Promise<number[]> {
  const ordered = orderMigrations(migrations);
  await execute(
    'CREATE TABLE IF NOT EXISTS pave_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)',
  );
  const done = new Set(await appliedVersions());
  const applied: number[] = [];
  for (const migration of ordered) {
    if (done.has(migration.version)) continue;
    await execute('BEGIN');
    try {
      for (const statement of migrationStatements(migration, dialect)) await execute(statement);
      await execute('INSERT INTO pave_migrations VALUES ($1, $2, now())', [
        migration.version,
        migration.name,
      ]);
      await execute('COMMIT');
    } catch (error) {
      await execute('ROLLBACK');
      throw new PaveError(`migration ${migration.version} (${migration.name}) failed: ${String(error)}`, {
        cause: error,
      });
    }
    applied.push(migration.version);
  }
  return applied;
}
