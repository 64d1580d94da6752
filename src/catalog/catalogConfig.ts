import { z } from 'zod';
import type { PaveConfig } from '../core/config.js';
import { configSection } from '../core/config.js';
import { DEFAULT_MAX_DOCUMENT_BYTES } from './ingest/backstage.js';

/** The `catalog` section of `pave.yaml`. */
export const catalogConfigSchema = z.strictObject({
  /** Dangling references are errors, not warnings. */
  strict: z.boolean().default(false),
  /** Largest YAML document (one entity) accepted, in bytes. */
  maxDocumentBytes: z.number().int().positive().default(DEFAULT_MAX_DOCUMENT_BYTES),
});

export type CatalogConfig = z.infer<typeof catalogConfigSchema>;

export function catalogConfig(config: PaveConfig): CatalogConfig {
  return configSection(config, 'catalog', catalogConfigSchema);
}
