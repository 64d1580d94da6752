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
  options: StoreIncidentsOptions & { file?: string } = {},
): Promise<IncidentImportReport> {
  const batch = readIncidents(text, format, options.file ? { file: options.file } : {});
  return storeIncidents(store, batch, options);
}
