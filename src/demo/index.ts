/**
 * The demo organisation: a deterministic, realistic company to try Pave on, generated from a seed
 * and written as real Backstage catalog files. Later demo parts (delivery, reliability, cost)
 * build on `generateOrganisation`'s model.
 */
export type * from './model.js';
export {
  DEFAULT_DEMO_SEED,
  DEFAULT_DEMO_TEAMS,
  type GenerateOrganisationOptions,
  generateOrganisation,
  MAX_DEMO_TEAMS,
} from './organisation.js';
export { createRandom, Random, type Seed } from './random.js';
export { ANNOTATIONS, type CatalogEntity, organisationEntities, shortRef } from './toEntities.js';
export {
  type CatalogFile,
  DEMO_MARKER,
  renderCatalogFiles,
  type WriteCatalogResult,
  writeCatalogFiles,
} from './writeCatalog.js';
