/**
 * The catalog: Backstage descriptors -> validated entities -> relations graph, and the ownership
 * lookups every other domain uses.
 */
import type { Domain } from '../core/domain.js';
import { catalogConfigSchema } from './catalogConfig.js';
import { catalogCommands } from './commands.js';
import { catalogMigrations } from './migrations.js';
import { catalogRoutes } from './routes.js';

export { checkCatalog } from './checkCatalog.js';
export { componentsInScope, parseScope, type Scope } from './componentsInScope.js';
export { type EntityGraph, entityGraph } from './entityGraph.js';
export { type ImportReport, importCatalog } from './importCatalog.js';
export { fileLocationKey, readCatalogFiles, readCatalogText } from './ingest/backstage.js';
export {
  countEntitiesByKind,
  type EntityFilter,
  getEntity,
  listAllEntities,
  listEntities,
} from './queries.js';

export const catalogDomain: Domain = {
  name: 'catalog',
  migrations: catalogMigrations,
  commands: catalogCommands,
  routes: catalogRoutes,
  config: { catalog: catalogConfigSchema },
};
