/**
 * The reliability domain: SLOs (specs, Prometheus rules) and incidents (imports, the PagerDuty
 * webhook, postmortems, MTTx, recurrence, on-call load). Other domains use it only through here.
 */
import type { Domain } from '../core/domain.js';
import { createRouter, type RouteDeps } from '../core/http.js';
import { sloCommands } from './commands.js';
import { incidentCommands } from './incidents/commands.js';
import { incidentMigrations } from './incidents/migrations.js';
import { incidentRoutes } from './incidents/routes.js';
import { reliabilityConfigSchema } from './reliabilityConfig.js';
import { sloEvaluationCommands, sloMigrations, sloRoutes } from './slo/index.js';

export { createIncident, updateIncident } from './incidents/editIncident.js';
export { importIncidents } from './incidents/importIncidents.js';
export {
  defaultIncidentsConfig,
  type IncidentsConfig,
  incidentsConfig,
} from './incidents/incidentsConfig.js';
export { incidentsFromSignals } from './incidents/ingest/cdevents.js';
export { IMPORT_FORMATS, type ImportFormat, readIncidents } from './incidents/ingest/readIncidents.js';
export type {
  Incident,
  IncidentBatch,
  IncidentDraft,
  Notification,
  NotificationDraft,
  Severity,
  TimelineEvent,
} from './incidents/model.js';
export {
  type AttributionIncident,
  getIncident,
  listIncidents,
  listIncidentsForAttribution,
} from './incidents/queries.js';
export { parseSeverity } from './incidents/severity.js';
export {
  type IncidentStatsReport,
  incidentStats,
  type OnCallLoadReport,
  onCallLoadReport,
} from './incidents/stats.js';
export { type IncidentImportReport, storeIncidents } from './incidents/storeIncidents.js';

/** The domain's routes: SLOs and incidents, each from its own part. */
function reliabilityRoutes(deps: RouteDeps) {
  const router = createRouter();
  router.route('/', sloRoutes(deps));
  router.route('/', incidentRoutes(deps));
  return router;
}

export const reliabilityDomain: Domain = {
  name: 'reliability',
  migrations: [...incidentMigrations, ...sloMigrations],
  commands: [...sloCommands, ...sloEvaluationCommands, ...incidentCommands],
  routes: reliabilityRoutes,
  config: { reliability: reliabilityConfigSchema },
};
