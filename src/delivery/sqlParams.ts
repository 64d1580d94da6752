/**
 * Small helpers for building the delivery domain's SQL: numbered parameters added as they are used
 * (PostgreSQL refuses a parameter the text never mentions), and lists that are never empty (the
 * DuckDB adapter cannot bind an empty list: it has no element type to give it).
 */
import type { SqlParam } from '../store/Store.js';

/** Parameters numbered in the order they are added. */
export class Params {
  readonly values: SqlParam[] = [];

  /** Adds a value and returns its placeholder, `$n`. */
  add(value: SqlParam): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * A text list to bind: the list itself, or `['']` for an empty one. No key, sha, name or
 * repository Pave stores is empty, so `''` matches nothing.
 */
export function textList(values: Iterable<string>): string[] {
  const list = [...values];
  return list.length === 0 ? [''] : list;
}
