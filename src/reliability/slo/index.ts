/**
 * SLO evaluation, the part of the reliability domain that registers SLO specs, takes their SLI
 * data (pushed, or pulled from Prometheus) and evaluates them: attainment, error budget, burn
 * rates, exhaustion forecast and the error-budget policy. `../index.ts` mounts it in the domain.
 */
export { sloEvaluationCommands } from './commands.js';
export { type EvaluateOptions, evaluateSlos } from './evaluateSlos.js';
export type { SliPoint, SliWriteReport, SloDetail, SloStatus, SloSummary } from './model.js';
export { type PullOptions, type PullResult, pullSli } from './pullSli.js';
export { readSliPointsCsv, readSliPointsJson, readSliPointsText } from './readSliPoints.js';
export { registerSloSpecs, registerSlos, type SloRegisterReport } from './registerSlos.js';
export { sloRoutes } from './routes.js';
export { sloMigrations } from './sloMigrations.js';
export { getSlo, listSlos } from './sloQueries.js';
export { type SliSource, writeSliPoints } from './writeSliPoints.js';
