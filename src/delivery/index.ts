/**
 * The delivery domain: DORA and CI health, from CDEvents, GitHub and GitLab webhooks, JUnit
 * reports, git history and Pave's own deployment record. Other domains and the app use it only
 * through here.
 */
import type { Domain } from '../core/domain.js';
import { deliveryCommands } from './commands.js';
import { deliveryConfigSchema } from './deliveryConfig.js';
import { deliveryMigrations } from './migrations.js';
import { deliveryRoutes } from './routes.js';

export { attributeLoadedServices, ensureAttribution } from './attribution.js';
export { type CiOptions, computeCi, FLAKY_WINDOW_DAYS } from './ciMetrics.js';
export {
  type DeliveryConfig,
  deliveryConfig,
  LEAD_TIME_FROM,
  type LeadTimeFrom,
  TIER_YEARS,
  type TierYear,
} from './deliveryConfig.js';
export { type DeploymentExplanation, type ExplainOptions, explainDeployment } from './explainDeployment.js';
export {
  type AttributionIncident,
  attributeIncidents,
  type IncidentLink,
  type IncidentSource,
  reliabilityIncidents,
} from './incidentAttribution.js';
export {
  CDEVENTS_USED_TYPES,
  type CdeventsOptions,
  parseCdevents,
  parseCdeventsLines,
  parseCdeventsValue,
} from './ingest/cdevents.js';
export {
  deploymentsFromTags,
  type GitHistoryOptions,
  type GitTag,
  globToRegExp,
  readGitCommits,
  readGitRepository,
  readGitTags,
} from './ingest/git.js';
export { type GitHubDelivery, parseGitHubWebhook, verifyGitHubSignature } from './ingest/github.js';
export { type GitLabDelivery, parseGitLabWebhook, verifyGitLabToken } from './ingest/gitlab.js';
export { type JUnitOptions, parseJUnit } from './ingest/junit.js';
export { type IngestOptions, type IngestResult, RecordCollector } from './ingest/recordCollector.js';
export { type IngestReport, ingestResult, type StoreSummary, storeRecords } from './ingestRecords.js';
export {
  ingestCdeventsFile,
  ingestCdeventsFiles,
  ingestCdeventsStream,
  ingestCdeventsText,
  ingestGitRepository,
  ingestJUnitFiles,
} from './ingestSources.js';
export {
  type DeploymentFilter,
  listDeployments,
  listProductionDeployments,
  type ProductionDeployment,
} from './listDeployments.js';
export { mergeCommit, mergeDefined, mergeDeployment, mergePullRequest } from './mergeRecords.js';
export { type Bucket, computeDora, type DoraOptions } from './metrics.js';
export * from './metricsModel.js';
export * from './model.js';
export { type DeploymentInput, deploymentFromInput, recordDeployment } from './recordDeployment.js';
export { parseScope, type ResolvedScope, resolveScope } from './scope.js';
export { resolveService, type ServiceResolution } from './serviceResolver.js';
export { listServiceResolutions, markSourceServices } from './services.js';
export { TIER_THRESHOLDS, type Tier } from './tiers.js';
export { ingestGitHubWebhook, ingestGitLabWebhook } from './webhooks.js';

export const deliveryDomain: Domain = {
  name: 'delivery',
  migrations: deliveryMigrations,
  commands: deliveryCommands,
  routes: deliveryRoutes,
  config: { delivery: deliveryConfigSchema },
};
