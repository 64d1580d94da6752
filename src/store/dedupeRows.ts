import type { SqlParam } from './Store.js';

/**
 * Keeps the last of the rows that share a key, in first-seen order: a batch that repeats a key
 * must not make `INSERT ... ON CONFLICT` touch one row twice (an error on both engines).
 */
export function dedupeRows(
  columns: readonly string[],
  rows: readonly (readonly SqlParam[])[],
  target: readonly string[],
): (readonly SqlParam[])[] {
  const indexes = target.map((name) => {
    const index = columns.indexOf(name);
    if (index === -1) throw new Error(`conflict target column "${name}" is not among the inserted columns`);
    return index;
  });
  const byKey = new Map<string, readonly SqlParam[]>();
  for (const row of rows) {
    const key = indexes.length === 1 ? String(row[indexes[0]!]) : JSON.stringify(indexes.map((i) => row[i]));
    byKey.set(key, row);
  }
  return byKey.size === rows.length ? [...rows] : [...byKey.values()];
}

/** The `SET` list of an upsert: every inserted column except the key, unless `update` names them. */
export function upsertAssignments(
  columns: readonly string[],
  target: readonly string[],
  update: readonly string[] | undefined,
): string {
  const updated = update ?? columns.filter((column) => !target.includes(column));
  return updated.map((column) => `${column} = excluded.${column}`).join(', ');
}

/** Checks an SQL identifier coming from code (table and column names are never user input). */
export function assertIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`"${name}" is not a plain SQL identifier`);
  return name;
}
