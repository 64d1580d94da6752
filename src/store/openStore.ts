/**
 * Opens the store a `--db` value (or `PAVE_DB`) names: a `postgres://` or `postgresql://` URL for
 * PostgreSQL; `:memory:` or a file path (`.pave/pave.duckdb`) for DuckDB. Migrations are applied
 * unless `migrate` is false.
 */
import { openDuckDBStore } from './duckdb/DuckDBStore.js';
import type { Migration } from './migrations.js';
import { openPostgresStore } from './postgres/PostgresStore.js';
import type { Store } from './Store.js';

export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

export async function openStore(
  db: string,
  options: { migrations?: readonly Migration[]; migrate?: boolean } = {},
): Promise<Store> {
  const store = isPostgresUrl(db) ? openPostgresStore(db) : await openDuckDBStore(db.replace(/^duckdb:/, ''));
  if (options.migrate !== false) {
    try {
      await store.migrate(options.migrations ?? []);
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}
