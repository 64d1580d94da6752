/**
 * Test helpers for the delivery domain: where the shared fixtures are, and a check that every
 * record an adapter built matches its schema in `model.ts`.
 */
import { resolve } from 'node:path';
import { expect } from 'vitest';
import { DELIVERY_RECORD_SCHEMAS, type DeliveryRecords } from '../model.js';

/** A path under `shared/fixtures` (beside the repository). */
export function fixturePath(...segments: string[]): string {
  return resolve(import.meta.dirname, '../../../../shared/fixtures', ...segments);
}

/** Asserts that every record matches its table's zod schema. */
export function expectValidRecords(records: DeliveryRecords): void {
  for (const [table, schema] of Object.entries(DELIVERY_RECORD_SCHEMAS)) {
    for (const record of records[table as keyof DeliveryRecords]) {
      const parsed = schema.safeParse(record);
      expect(parsed.success ? undefined : { table, record, issues: parsed.error.issues }).toBeUndefined();
    }
  }
}

/** How many records each table holds, leaving out empty tables. */
export function countRecords(records: DeliveryRecords): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [table, list] of Object.entries(records)) if (list.length > 0) counts[table] = list.length;
  return counts;
}
