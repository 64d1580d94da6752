/**
 * Importing an incident file: read it in its format, then store it (`storeIncidents`). Used by
 * `pave incident import` and `POST /api/v1/incidents/import`.
 */
import type { Store } from '../../store/Store.js';
import { type ImportFormat, readIncidents } from './ingest/readIncidents.js';
import { type IncidentImportReport, type StoreIncidentsOptions, storeIncidents } from './storeIncidents.js';

/** Reads `text` as `format` and stores what it holds; see `IncidentImportReport`. */
export async function importIncidents(
  store: Store,
  text: string,
  format: ImportFormat,
  options: StoreIncidentsOptions = {},
): Promise<IncidentImportReport> {
  const batch = readIncidents(text, format, options.file ? { file: options.file } : {});
  return storeIncidents(store, batch, options);
}

/**
 * How an import ended, for exit codes and HTTP statuses alike: `ok` without errors (exit 0, 200);
 * `partial` when some incidents were stored, or already were, and some records were rejected
 * (exit 1, 207); `refused` when errors left nothing stored (exit 2, 422). An input without errors
 * is `ok` even when it holds no incident.
 */
export type ImportOutcome = 'ok' | 'partial' | 'refused';

export function importOutcome(counts: {
  errors: number;
  added: number;
  updated: number;
  unchanged: number;
}): ImportOutcome {
  if (counts.errors === 0) return 'ok';
  return counts.added + counts.updated + counts.unchanged > 0 ? 'partial' : 'refused';
}
