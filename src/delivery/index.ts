/**
 * The delivery domain: DORA and CI health. Other domains and the app use it only through here.
 * This first part is ingestion (parsing and normalisation); storage, metrics, routes and commands
 * come next.
 */
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
export { mergeDefined, mergeDeployment, mergePullRequest } from './mergeRecords.js';
export * from './model.js';
