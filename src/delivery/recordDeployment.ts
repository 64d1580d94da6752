/**
 * Pave's own deployment record, for any CI system: `pave deployment record ...` and
 * `POST /api/v1/deployments`. The caller's `id` (its CI run id, say) is the idempotency key:
 * recording the same deployment again changes nothing, and recording it again with a later status
 * (started, then finished) completes it by the merge rules of every other source.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { InputError, type Problem } from '../core/errors.js';
import { parseTimestamp } from '../core/timestamp.js';
import type { Store } from '../store/Store.js';
import { normaliseSha } from './ingest/fields.js';
import { storeRecords } from './ingestRecords.js';
import {
  DEPLOYMENT_STATUSES,
  type Deployment,
  DeploymentSchema,
  emptyRecords,
  FINAL_DEPLOYMENT_STATUSES,
} from './model.js';
import { DEPLOYMENT_COLUMNS, deploymentFromRow } from './recordRows.js';
import { loadComponentIndex, resolveService, type ServiceResolution } from './serviceResolver.js';

/** What a caller sends to record a deployment. */
export const DeploymentInputSchema = z
  .object({
    id: z.string().min(1).max(500).optional().meta({
      description:
        "The caller's own id (e.g. the CI run id): the idempotency key. Default: derived from the other fields.",
    }),
    service: z
      .string()
      .min(1)
      .meta({ description: 'A component ref (`component:default/checkout`), a repository or a name.' }),
    environment: z.string().min(1).meta({ example: 'production' }),
    sha: z.string().optional().meta({ description: 'The deployed commit (7 to 64 hex digits).' }),
    status: z.enum(DEPLOYMENT_STATUSES).default('success'),
    startedAt: z.string().optional().meta({ description: 'RFC 3339 with a time zone.' }),
    finishedAt: z
      .string()
      .optional()
      .meta({ description: 'RFC 3339 with a time zone; default now for a final status.' }),
    rollbackOf: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'Id of the deployment this one rolls back.' }),
    remediates: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'Id of the failed deployment this one fixes.' }),
    unplanned: z
      .boolean()
      .optional()
      .meta({ description: 'Made because of a production incident (rework).' }),
    production: z
      .boolean()
      .optional()
      .meta({ description: 'Whether the environment is production; default: decided by its name.' }),
    repository: z.string().min(1).optional(),
    sourceRef: z.string().min(1).optional().meta({ description: 'A link to the run.' }),
  })
  .meta({ id: 'DeploymentInput', description: "A deployment as Pave's own record takes it." });

export type DeploymentInput = z.input<typeof DeploymentInputSchema>;

/** What recording did. */
export interface RecordResult {
  deployment: Deployment;
  /** `created`, `updated` (merged into a stored one), or `unchanged` (the same record again). */
  outcome: 'created' | 'updated' | 'unchanged';
  /** The catalog component ref its service resolves to, or null when it matches none. */
  component: string | null;
  /** Kept but worth saying: its service matches no catalog component (or several). */
  warnings: string[];
}

/** Turns an input into a deployment record, or throws an `InputError` naming each bad field. */
export function deploymentFromInput(input: DeploymentInput, now = new Date()): Deployment {
  const parsed = DeploymentInputSchema.safeParse(input);
  if (!parsed.success) {
    const problems: Problem[] = parsed.error.issues.map((issue) => ({
      severity: 'error',
      message: issue.message,
      location: { pointer: `/${issue.path.join('/')}` },
    }));
    throw new InputError(
      `invalid deployment: ${problems.map((p) => `${p.location?.pointer} ${p.message}`).join('; ')}`,
      problems,
    );
  }
  const value = parsed.data;
  const problems: Problem[] = [];
  const field = (name: string, message: string) =>
    problems.push({ severity: 'error', message: `${name}: ${message}`, location: { pointer: `/${name}` } });
  const time = (name: 'startedAt' | 'finishedAt') => {
    const text = value[name];
    if (text === undefined) return undefined;
    const parsedTime = parseTimestamp(text, { requireZone: true });
    if (parsedTime === undefined) field(name, `"${text}" is not an RFC 3339 timestamp with a time zone`);
    return parsedTime;
  };
  let sha: string | undefined;
  if (value.sha !== undefined) {
    sha = normaliseSha(value.sha);
    if (sha === undefined) field('sha', `"${value.sha}" is not a commit sha (7 to 64 hex digits)`);
  }
  const startedAt = time('startedAt');
  let finishedAt = time('finishedAt');
  if (problems.length > 0)
    throw new InputError(`invalid deployment: ${problems.map((p) => p.message).join('; ')}`, problems);
  const final = FINAL_DEPLOYMENT_STATUSES.has(value.status);
  if (final && finishedAt === undefined) finishedAt = now.toISOString();
  if (!final && finishedAt !== undefined) {
    throw new InputError(`invalid deployment: finishedAt is set but status ${value.status} is not final`, [
      { severity: 'error', message: 'finishedAt needs a final status', location: { pointer: '/finishedAt' } },
    ]);
  }
  if (startedAt !== undefined && finishedAt !== undefined && startedAt > finishedAt) {
    throw new InputError('invalid deployment: startedAt is after finishedAt', [
      { severity: 'error', message: 'startedAt is after finishedAt', location: { pointer: '/startedAt' } },
    ]);
  }
  const statusAt = finishedAt ?? startedAt ?? now.toISOString();
  const deployment: Deployment = {
    id: value.id ?? derivedId(value.service, value.environment, sha, finishedAt ?? startedAt ?? statusAt),
    service: value.service,
    environment: value.environment,
    status: value.status,
    statusAt,
    source: 'pave',
  };
  if (value.production !== undefined) deployment.production = value.production;
  if (sha !== undefined) deployment.sha = sha;
  if (startedAt !== undefined) deployment.startedAt = startedAt;
  if (finishedAt !== undefined) deployment.finishedAt = finishedAt;
  if (value.rollbackOf !== undefined) {
    deployment.rollbackOf = value.rollbackOf;
    deployment.rollback = true;
  }
  if (value.remediates !== undefined) deployment.remediates = value.remediates;
  if (value.unplanned !== undefined) deployment.unplanned = value.unplanned;
  if (value.repository !== undefined) deployment.repository = value.repository;
  if (value.sourceRef !== undefined) deployment.sourceRef = value.sourceRef;
  return DeploymentSchema.parse(deployment) as Deployment;
}

/** Records one deployment (merged with a stored one of the same id). */
export async function recordDeployment(
  store: Store,
  input: DeploymentInput,
  now = new Date(),
): Promise<RecordResult> {
  const deployment = deploymentFromInput(input, now);
  const existed =
    (await store.query('SELECT id FROM delivery_deployments WHERE id = $1', [deployment.id])).length > 0;
  const records = emptyRecords();
  records.deployments.push(deployment);
  const summary = await storeRecords(store, records, { receivedAt: now });
  const changed = (summary.stored.deployments ?? 0) > 0;
  const [row] = await store.query(
    `SELECT ${DEPLOYMENT_COLUMNS.join(', ')} FROM delivery_deployments WHERE id = $1`,
    [deployment.id],
  );
  // Resolved against today's catalog, by the rules every metric uses.
  const resolution = resolveService(deployment.service, await loadComponentIndex(store));
  const warning = unresolvedServiceWarning(resolution);
  return {
    deployment: row ? deploymentFromRow(row) : deployment,
    outcome: !existed ? 'created' : changed ? 'updated' : 'unchanged',
    component: resolution.resolved ? resolution.serviceKey : null,
    warnings: warning === undefined ? [] : [warning],
  };
}

/**
 * What to tell a caller whose service names no catalog component: teams may record before the
 * catalog knows a service, so the deployment is kept, but its team's numbers will not show it yet.
 */
export function unresolvedServiceWarning(resolution: ServiceResolution): string | undefined {
  if (resolution.resolved) return undefined;
  const matches =
    resolution.rule === 'ambiguous' ? 'matches several catalog components' : 'matches no catalog component';
  return `service ${resolution.service} ${matches}: the deployment is kept and counted at organisation scope as unattributed until the catalog names it`;
}

/** An id for a deployment recorded without one: the same inputs give the same id. */
function derivedId(service: string, environment: string, sha: string | undefined, at: string): string {
  const digest = createHash('sha256')
    .update(`${service}\u0000${environment}\u0000${sha ?? ''}\u0000${at}`)
    .digest('hex');
  return `pave:${digest.slice(0, 24)}`;
}
