/**
 * `pave deployment explain <id>` and `GET /api/v1/deployments/{id}`: everything Pave decided about
 * one deployment and why: whether it counts, the deployment before it, the changes it shipped with
 * their lead times, whether it failed and what decided it (a rollback, a remediation, an incident
 * and the rule that linked it), its recovery, whether it is rework, and the incidents near it that
 * were blamed on another deployment. A number a team doubts must be explainable.
 */
import { z } from 'zod';
import { parseDuration } from '../core/duration.js';
import { NotFoundError } from '../core/errors.js';
import type { Store } from '../store/Store.js';
import { ensureAttribution } from './attribution.js';
import { type DeliveryConfig, deliveryConfigSchema } from './deliveryConfig.js';
import {
  attributeIncidents,
  type IncidentSource,
  reliabilityIncidents,
  reliabilityIncidentsUnavailable,
} from './incidentAttribution.js';
import { DeploymentSchema } from './model.js';
import { DEPLOYMENT_COLUMNS, deploymentFromRow, iso } from './recordRows.js';
import { inTrack, resolveTrack } from './track.js';

const DAY = 86_400;
/** How many changes an explanation lists (all are counted). */
export const EXPLAIN_CHANGES_LIMIT = 500;

export const ExplainedChangeSchema = z.object({
  sha: z.string(),
  committedAt: z.string().nullable(),
  authoredAt: z.string().nullable(),
  leadSeconds: z.number().nullable().meta({ description: 'From the committer date to this deployment.' }),
  pullRequest: z.string().nullable(),
});

export const FailureReasonSchema = z.object({
  kind: z.enum(['rollback', 'restored', 'remediation', 'incident']),
  by: z.string().meta({ description: 'The rollback or remediation deployment, or the incident.' }),
  rule: z
    .string()
    .nullable()
    .meta({ description: 'For an incident: deployment-id, sha or window (the attribution rule).' }),
  at: z.string().nullable().meta({ description: 'When it finished (deployments) or started (incidents).' }),
  recoveredAt: z.string().nullable(),
});

export const DeploymentExplanationSchema = z
  .object({
    deployment: DeploymentSchema.extend({ receivedAt: z.string().optional() }),
    service: z.object({
      name: z.string(),
      key: z.string().meta({ description: 'The component ref it resolved to, or the name when unresolved.' }),
      resolved: z.boolean(),
      rule: z.string(),
    }),
    environments: z.array(z.string()),
    counted: z.boolean().meta({ description: 'Whether it counts as a deployment in the DORA metrics.' }),
    reason: z.string(),
    previous: z.object({ id: z.string(), sha: z.string().nullable(), finishedAt: z.string() }).nullable(),
    baseline: z.boolean(),
    changes: z.object({
      total: z.number().int(),
      list: z.array(ExplainedChangeSchema),
      truncated: z.boolean(),
    }),
    failed: z.boolean(),
    failure: z.string().meta({ description: 'Why it counts as failed, or not, in words.' }),
    failureReasons: z.array(FailureReasonSchema).meta({ description: 'Every reason; the first decides.' }),
    recovery: z
      .object({
        recoveredAt: z.string().nullable(),
        seconds: z.number().nullable(),
        by: z.string().nullable(),
      })
      .nullable(),
    rework: z.boolean(),
    reworkReason: z.string().nullable(),
    nearbyIncidents: z
      .array(
        z.object({
          id: z.string(),
          startedAt: z.string(),
          attributedTo: z.string().nullable(),
          rule: z.string().nullable(),
        }),
      )
      .meta({
        description: 'Incidents of its service that started within the window after it, and where they went.',
      }),
    warnings: z.array(z.string()),
  })
  .meta({ id: 'DeploymentExplanation', description: 'Why a deployment counts, failed or not.' });

export type DeploymentExplanation = z.infer<typeof DeploymentExplanationSchema>;

/** Options of `explainDeployment`. */
export interface ExplainOptions {
  environments?: readonly string[];
  incidents?: IncidentSource;
  config?: DeliveryConfig;
}

/** Explains one deployment; throws `NotFoundError` for an unknown id. */
export async function explainDeployment(
  store: Store,
  id: string,
  options: ExplainOptions = {},
): Promise<DeploymentExplanation> {
  const config = options.config ?? deliveryConfigSchema.parse({});
  const [row] = await store.query(
    `SELECT ${DEPLOYMENT_COLUMNS.join(', ')} FROM delivery_deployments WHERE id = $1`,
    [id],
  );
  if (!row) throw new NotFoundError(`no deployment ${id}`);
  const deployment = deploymentFromRow(row);
  const receivedAt = iso(row.received_at);
  const track = resolveTrack(config, options.environments);
  await ensureAttribution(store, track);
  const [service] = await store.query<{ service_key: string; resolved: boolean; rule: string }>(
    'SELECT service_key, resolved, rule FROM delivery_services WHERE service = $1',
    [deployment.service],
  );
  const warnings: string[] = [];
  const base = {
    deployment: { ...deployment, ...(receivedAt ? { receivedAt } : {}) },
    service: {
      name: deployment.service,
      key: service?.service_key ?? deployment.service,
      resolved: service?.resolved ?? false,
      rule: service?.rule ?? 'unresolved',
    },
    environments: track.environments,
  };
  if (!base.service.resolved) {
    warnings.push(
      `service "${deployment.service}" matches no catalog component: it counts at org scope only (as unattributed)`,
    );
  }

  const [facts] = await store.query<{
    previous_id: string | null;
    baseline: boolean;
    change_count: number;
    failed: boolean;
    failure_kind: string | null;
    decided_by: string | null;
    recovered_at: Date | null;
    rework: boolean;
    rework_reason: string | null;
  }>(
    `SELECT previous_id, baseline, change_count, failed, failure_kind, decided_by, recovered_at, rework, rework_reason
       FROM delivery_deployment_facts WHERE track = $1 AND deployment_id = $2`,
    [track.key, id],
  );
  if (!facts) {
    return {
      ...base,
      counted: false,
      reason: notCountedReason(deployment, inTrack(track, deployment), track.environments),
      previous: null,
      baseline: false,
      changes: { total: 0, list: [], truncated: false },
      failed: false,
      failure: 'not counted, so not judged',
      failureReasons: [],
      recovery: null,
      rework: false,
      reworkReason: null,
      nearbyIncidents: [],
      warnings,
    };
  }

  const previous = facts.previous_id
    ? ((
        await store.query<{ id: string; sha: string | null; finished_at: Date }>(
          'SELECT id, sha, finished_at FROM delivery_deployments WHERE id = $1',
          [facts.previous_id],
        )
      ).map((p) => ({ id: p.id, sha: p.sha, finishedAt: p.finished_at.toISOString() }))[0] ?? null)
    : null;

  const changeRows = await store.query<{
    sha: string;
    pr_id: string | null;
    lead_committed: number | null;
    committed_at: Date | null;
    authored_at: Date | null;
  }>(
    `SELECT c.sha, c.pr_id, c.lead_committed, m.committed_at, m.authored_at
       FROM delivery_changes c LEFT JOIN delivery_commits m ON m.sha = c.sha
      WHERE c.track = $1 AND c.deployment_id = $2
      ORDER BY m.committed_at DESC NULLS LAST, c.sha
      LIMIT ${EXPLAIN_CHANGES_LIMIT}`,
    [track.key, id],
  );

  const finished = Date.parse(deployment.finishedAt!) / 1000;
  const windowSeconds = parseDuration(config.incidentWindow);
  const source = options.incidents ?? reliabilityIncidents;
  const incidents = await source(store, {
    from: new Date((finished - 30 * DAY) * 1000),
    to: new Date((finished + windowSeconds + 30 * DAY) * 1000),
  });
  if (options.incidents === undefined) {
    const unavailable = await reliabilityIncidentsUnavailable();
    if (unavailable) warnings.push(`no incidents: ${unavailable}`);
  }
  const { links } = await attributeIncidents(store, track, incidents, { windowSeconds });
  const mine = links.filter((link) => link.deploymentId === id);

  const reasons: DeploymentExplanation['failureReasons'] = [];
  if (facts.failed && facts.failure_kind && facts.decided_by) {
    reasons.push({
      kind: facts.failure_kind as 'rollback' | 'restored' | 'remediation',
      by: facts.decided_by,
      rule: null,
      at: facts.recovered_at?.toISOString() ?? null,
      recoveredAt: facts.recovered_at?.toISOString() ?? null,
    });
  }
  for (const link of [...mine].sort((a, b) => a.startedAt - b.startedAt)) {
    reasons.push({
      kind: 'incident',
      by: link.incidentId,
      rule: link.rule,
      at: new Date(link.startedAt * 1000).toISOString(),
      recoveredAt: link.recoveredAt === undefined ? null : new Date(link.recoveredAt * 1000).toISOString(),
    });
  }
  const recoveries = reasons
    .filter((reason) => reason.recoveredAt !== null)
    .map((reason) => ({ at: Date.parse(reason.recoveredAt!) / 1000, by: reason.by }))
    .sort((a, b) => a.at - b.at);
  const failed = reasons.length > 0;
  const firstRecovery = recoveries[0];

  const serviceKey = base.service.key;
  const nearbyIncidents = incidents
    .filter((incident) => {
      const started = incident.startedAt.getTime() / 1000;
      const names = incident.services.some((s) => s === serviceKey || s === deployment.service);
      return (
        (names && started >= finished && started <= finished + windowSeconds) ||
        incident.deploymentIds.includes(id)
      );
    })
    .map((incident) => {
      const link = links.find((l) => l.incidentId === incident.id);
      return {
        id: incident.id,
        startedAt: incident.startedAt.toISOString(),
        attributedTo: link?.deploymentId ?? null,
        rule: link?.rule ?? null,
      };
    });

  return {
    ...base,
    counted: true,
    reason: `a successful deployment to ${deployment.environment}, which counts as production (${productionWhy(deployment, track.sourceFlag)})`,
    previous,
    baseline: facts.baseline,
    changes: {
      total: Number(facts.change_count),
      list: changeRows.map((change) => ({
        sha: change.sha,
        committedAt: change.committed_at?.toISOString() ?? null,
        authoredAt: change.authored_at?.toISOString() ?? null,
        leadSeconds: change.lead_committed === null ? null : Number(change.lead_committed),
        pullRequest: change.pr_id,
      })),
      truncated: Number(facts.change_count) > changeRows.length,
    },
    failed,
    failure: failureText(reasons, nearbyIncidents, id, windowSeconds),
    failureReasons: reasons,
    recovery: failed
      ? {
          recoveredAt: firstRecovery ? new Date(firstRecovery.at * 1000).toISOString() : null,
          seconds: firstRecovery ? Math.max(0, firstRecovery.at - finished) : null,
          by: firstRecovery?.by ?? null,
        }
      : null,
    rework: facts.rework,
    reworkReason: facts.rework_reason,
    nearbyIncidents,
    warnings: [
      ...warnings,
      ...(facts.baseline
        ? ['the first deployment Pave knows of this service: its history is the baseline, not changes']
        : []),
      ...(deployment.sha === undefined
        ? ['no commit known for this deployment: no changes can be attributed']
        : []),
    ],
  };
}

function productionWhy(deployment: { production?: boolean }, sourceFlag: boolean): string {
  if (sourceFlag && deployment.production === true) return 'the source marks its environment as production';
  return 'its environment name is one of the production environments';
}

function notCountedReason(
  deployment: { status: string; finishedAt?: string; environment: string; production?: boolean },
  production: boolean,
  environments: readonly string[],
): string {
  if (deployment.status !== 'success')
    return `its status is ${deployment.status}: only successful deployments count`;
  if (!production) {
    return deployment.production === false
      ? 'the source marks its environment as not production'
      : `environment "${deployment.environment}" is not a production environment (${environments.join(', ')})`;
  }
  if (deployment.finishedAt === undefined) return 'it has no finish time yet';
  return 'not counted';
}

function failureText(
  reasons: DeploymentExplanation['failureReasons'],
  nearby: { id: string; attributedTo: string | null }[],
  id: string,
  windowSeconds: number,
): string {
  const first = reasons[0];
  if (first) {
    const rest =
      reasons.length > 1
        ? ` (and ${reasons.length - 1} more reason${reasons.length > 2 ? 's' : ''}; it counts once)`
        : '';
    switch (first.kind) {
      case 'rollback':
        return `failed: deployment ${first.by} rolled it back${rest}`;
      case 'restored':
        return `failed: deployment ${first.by} restored the sha of the deployment before it${rest}`;
      case 'remediation':
        return `failed: deployment ${first.by} remediates it${rest}`;
      case 'incident':
        return `failed: incident ${first.by} is attributed to it (${
          first.rule === 'window'
            ? `the most recent production deployment of an affected service within ${windowSeconds / 3600} h before it started`
            : `linked explicitly by ${first.rule === 'sha' ? 'commit sha' : 'deployment id'}`
        })${rest}`;
    }
  }
  const elsewhere = nearby.filter(
    (incident) => incident.attributedTo !== null && incident.attributedTo !== id,
  );
  if (elsewhere.length > 0) {
    return `not failed: no rollback, remediation or incident names it; ${elsewhere
      .map(
        (incident) =>
          `incident ${incident.id} went to ${incident.attributedTo}, a more recent or explicitly linked deployment`,
      )
      .join('; ')}`;
  }
  return 'not failed: no rollback, remediation or incident is attributed to it';
}
