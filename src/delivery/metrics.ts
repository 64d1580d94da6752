/**
 * The five DORA metrics of a scope over a window, with optional weekly or monthly buckets: the one
 * function behind `pave metrics dora`, `GET /api/v1/metrics/dora`, the portal and the reports.
 * Definitions, formulas and sources: docs/metrics.md ("Delivery: DORA").
 *
 * Everything heavy is set-based SQL over the attribution's precomputed rows (one row per
 * deployment, one per change): counts, distinct days and interpolated quantiles per bucket in one
 * pass each (`GROUPING SETS`). Incidents, from the reliability domain, are attributed at query
 * time (a few thousand at most) and joined in as arrays.
 */

import { parseDuration } from '../core/duration.js';
import { InputError } from '../core/errors.js';
import type { Progress } from '../core/progress.js';
import { DEFAULT_MIN_SAMPLE, type MetricStatus, sampleStatus } from '../core/quantile.js';
import type { Store } from '../store/Store.js';
import { ensureAttribution } from './attribution.js';
import {
  type DeliveryConfig,
  deliveryConfigSchema,
  type LeadTimeFrom,
  type TierYear,
} from './deliveryConfig.js';
import {
  attributeIncidents,
  type IncidentLink,
  type IncidentSource,
  incidentFailures,
  reliabilityIncidents,
  reliabilityIncidentsUnavailable,
} from './incidentAttribution.js';
import type { DoraBucket, DoraMetrics, DoraReport } from './metricsModel.js';
import { type ResolvedScope, resolveScope } from './scope.js';
import { Params, textList } from './sqlParams.js';
import { changeFailureRateTier, deploymentFrequencyTier, leadTimeTier, recoveryTimeTier } from './tiers.js';
import { resolveTrack, type Track } from './track.js';

export type Bucket = 'none' | 'week' | 'month';

/** What to compute. Unset options come from the `delivery` configuration. */
export interface DoraOptions {
  /** `org` (default), `service:<ref>`, `team:<ref>`, `system:<ref>`, `domain:<ref>`. */
  scope?: string;
  from: Date;
  /** Exclusive. */
  to: Date;
  bucket?: Bucket;
  /** Environments that count as production instead of the configured ones. */
  environments?: readonly string[];
  tiers?: TierYear;
  /** IANA time zone for buckets and deploy days; default UTC. */
  timezone?: string;
  leadTimeFrom?: LeadTimeFrom;
  /** Seconds; default the configured `incidentWindow` (24 h). */
  incidentWindowSeconds?: number;
  minSample?: number;
  /** Where incidents come from; default the reliability domain. */
  incidents?: IncidentSource;
  config?: DeliveryConfig;
  progress?: Progress;
}

const DAY = 86_400;
const MONTH_DAYS = 365.25 / 12;
/** Incidents that start this long after the window may still name one of its deployments explicitly. */
const EXPLICIT_LINK_REACH = 30 * DAY;
const OPEN_LIST_LIMIT = 50;
const WEEK = 7 * DAY;
/** Seconds from the epoch (a Thursday) to the first Monday, 1970-01-05: ISO weeks start there. */
const EPOCH_TO_MONDAY = 4 * DAY;

/** The map key of a bucket row: its start in epoch milliseconds, as text; null for the whole window. */
function bucketKey(bucket: number | string | null): string | null {
  return bucket === null ? null : String(Number(bucket));
}

/** The DORA report of one scope and window. */
export async function computeDora(store: Store, options: DoraOptions): Promise<DoraReport> {
  const config = options.config ?? deliveryConfigSchema.parse({});
  const from = options.from;
  const to = options.to;
  if (!(from.getTime() < to.getTime())) throw new InputError('--from must be before --to');
  const bucket = options.bucket ?? 'none';
  const timezone = checkTimezone(options.timezone ?? 'UTC');
  const tiers = options.tiers ?? config.tiers;
  const leadTimeFrom = options.leadTimeFrom ?? config.leadTimeFrom;
  const minSample = options.minSample ?? config.minSample ?? DEFAULT_MIN_SAMPLE;
  const windowSeconds = options.incidentWindowSeconds ?? parseDuration(config.incidentWindow);
  const track = resolveTrack(config, options.environments);
  const scope = await resolveScope(store, options.scope ?? 'org');

  await ensureAttribution(store, track, options.progress ? { progress: options.progress } : {});

  const source = options.incidents ?? reliabilityIncidents;
  const incidents = await source(store, {
    from,
    to: new Date(to.getTime() + (windowSeconds + EXPLICIT_LINK_REACH) * 1000),
  });
  const warnings: string[] = [];
  const unavailable = options.incidents === undefined ? await reliabilityIncidentsUnavailable() : undefined;
  if (unavailable)
    warnings.push(`no incidents: ${unavailable}; change failures come from rollbacks and remediations only`);
  const { links, unattributed } = await attributeIncidents(store, track, incidents, { windowSeconds });
  const failures = incidentFailures(links);

  const query = new DoraQuery(store, track, scope, from, to, bucket, timezone, failures);
  const deploymentRows = await query.deployments();
  const leadRows = await query.leadTimes(leadTimeFrom);
  const openDeployments = await query.openFailures();
  const pullRequests = await query.pullRequestCycle(minSample);
  const bucketStarts = bucket === 'none' ? [] : await query.bucketStarts();

  const make = (key: string | null, start: Date, end: Date): DoraMetrics =>
    metricsOf(
      deploymentRows.get(key),
      leadRows.get(key),
      (end.getTime() - start.getTime()) / 1000 / DAY,
      tiers,
      minSample,
      key === null ? openDeployments : [],
    );
  const overall = make(null, from, to);
  const buckets: DoraBucket[] = bucketStarts.map((start, i) => {
    const next = bucketStarts[i + 1] ?? nextBucket(start, bucket, to);
    const clippedStart = new Date(Math.max(start.getTime(), from.getTime()));
    const clippedEnd = new Date(Math.min(next.getTime(), to.getTime()));
    return {
      start: start.toISOString(),
      end: next.toISOString(),
      ...make(String(start.getTime()), clippedStart, clippedEnd),
    };
  });

  const overallRow = deploymentRows.get(null);
  const inScope = new Set(failures.keys());
  const attributedIncidents = links.filter((link) => inScope.has(link.deploymentId));
  return {
    scope: scope.scope,
    from: from.toISOString(),
    to: to.toISOString(),
    bucket,
    timezone,
    environments: track.environments,
    tiers,
    leadTimeFrom,
    incidentWindowSeconds: windowSeconds,
    minSample,
    components: scope.components?.length ?? null,
    ...overall,
    pullRequests,
    unattributed: scope.kind === 'org' ? { deployments: overallRow?.unattributed ?? 0 } : null,
    incidents: {
      attributed: countIncidentsInWindow(attributedIncidents, overallRow?.failedIds),
      unattributed: unattributed.filter(
        (entry) =>
          scope.components === undefined || entry.serviceKeys.some((key) => scope.components?.includes(key)),
      ).length,
      source: unavailable ?? null,
    },
    warnings,
    buckets,
  };
}

function countIncidentsInWindow(
  links: readonly IncidentLink[],
  ids: ReadonlySet<string> | undefined,
): number {
  if (!ids) return 0;
  return new Set(links.filter((link) => ids.has(link.deploymentId)).map((link) => link.incidentId)).size;
}

/** Throws an `InputError` unless `timezone` is an IANA zone both engines and Intl know. */
export function checkTimezone(timezone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch {
    throw new InputError(`--tz "${timezone}" is not an IANA time zone (e.g. UTC, Europe/Paris)`);
  }
  return timezone;
}

interface DeploymentAggregate {
  deployments: number;
  deployDays: number;
  services: number;
  failed: number;
  byRollback: number;
  byRemediation: number;
  byIncident: number;
  rework: number;
  recovered: number;
  open: number;
  recoveryP50: number | null;
  unattributed: number;
  failedIds?: Set<string>;
}

interface LeadAggregate {
  n: number;
  p50: number | null;
  p75: number | null;
  p90: number | null;
}

function metricsOf(
  d: DeploymentAggregate | undefined,
  l: LeadAggregate | undefined,
  days: number,
  tiers: TierYear,
  minSample: number,
  openDeployments: string[],
): DoraMetrics {
  const deployments = d?.deployments ?? 0;
  const weeks = days / 7;
  const perWeek = weeks > 0 ? deployments / weeks : 0;
  const services = d?.services ?? 0;
  const perServicePerWeek = services > 0 ? perWeek / services : null;
  const leadN = l?.n ?? 0;
  const leadStatus = sampleStatus(leadN, minSample);
  const leadOk = leadStatus === 'ok';
  const rateStatus = sampleStatus(deployments, minSample);
  const rateOk = rateStatus === 'ok';
  const failed = d?.failed ?? 0;
  const cfr = rateOk ? failed / deployments : null;
  const recovered = d?.recovered ?? 0;
  const recoveryStatus: MetricStatus = sampleStatus(recovered, minSample);
  const recoveryP50 = recoveryStatus === 'ok' ? (d?.recoveryP50 ?? null) : null;
  const p50 = leadOk ? (l?.p50 ?? null) : null;
  return {
    deploymentFrequency: {
      deployments,
      deployDays: d?.deployDays ?? 0,
      services,
      perDay: days > 0 ? deployments / days : 0,
      perWeek,
      perMonth: days > 0 ? deployments / (days / MONTH_DAYS) : 0,
      deployDaysPerWeek: weeks > 0 ? (d?.deployDays ?? 0) / weeks : 0,
      perServicePerWeek,
      tier: deploymentFrequencyTier(perServicePerWeek, tiers),
      status: deployments === 0 ? 'no_data' : 'ok',
    },
    leadTime: {
      n: leadN,
      p50Seconds: p50,
      p75Seconds: leadOk ? (l?.p75 ?? null) : null,
      p90Seconds: leadOk ? (l?.p90 ?? null) : null,
      tier: leadTimeTier(p50, tiers),
      status: leadStatus,
    },
    changeFailureRate: {
      deployments,
      failed,
      rate: cfr,
      byRollback: d?.byRollback ?? 0,
      byRemediation: d?.byRemediation ?? 0,
      byIncident: d?.byIncident ?? 0,
      tier: changeFailureRateTier(cfr, tiers),
      status: rateStatus,
    },
    recoveryTime: {
      n: recovered,
      open: d?.open ?? 0,
      p50Seconds: recoveryP50,
      openDeployments,
      tier: recoveryTimeTier(recoveryP50, tiers),
      status: recoveryStatus,
    },
    reworkRate: {
      deployments,
      rework: d?.rework ?? 0,
      rate: rateOk ? (d?.rework ?? 0) / deployments : null,
      status: rateStatus,
    },
  };
}

/** The next bucket start after `start` when the series ends (the last bucket's end). */
function nextBucket(start: Date, bucket: Bucket, to: Date): Date {
  if (bucket === 'week') return new Date(start.getTime() + 7 * DAY * 1000);
  // Months vary in length and time zones shift: the window's end bounds the last one.
  return to > start ? to : new Date(start.getTime() + 31 * DAY * 1000);
}

/** The SQL of one report: the window, scope and bucket expressions, and the incident failures. */
class DoraQuery {
  private readonly incidentIds: string[] = [];
  private readonly incidentRecovery: number[] = [];
  private readonly incidentOpen: string[] = [];

  constructor(
    private readonly store: Store,
    private readonly track: Track,
    private readonly scope: ResolvedScope,
    private readonly from: Date,
    private readonly to: Date,
    private readonly bucket: Bucket,
    private readonly timezone: string,
    failures: Map<string, { recoveredAt: number | undefined }>,
  ) {
    for (const [id, failure] of failures) {
      if (failure.recoveredAt === undefined) this.incidentOpen.push(id);
      else {
        this.incidentIds.push(id);
        this.incidentRecovery.push(failure.recoveredAt);
      }
    }
  }

  /** `AND <alias>.service_key IN (...)` for a scope narrower than the organisation. */
  private scopeFilter(p: Params, alias: string): string {
    if (this.scope.components === undefined) return '';
    return `AND ${alias}.service_key IN (SELECT unnest(${p.add(textList(this.scope.components))}::text[]))`;
  }

  /** The bucket of a timestamp column, as epoch milliseconds text (null: the whole window). */
  /**
   * The start of the bucket holding `column`, in epoch milliseconds. In UTC (the default) it is
   * plain arithmetic on the epoch, several times faster over millions of rows than time-zone-aware
   * `date_trunc`; other zones take the exact, zone-aware path.
   */
  private bucketOf(p: Params, column: string): string {
    if (this.bucket === 'none') return 'CAST(NULL AS BIGINT)';
    if (this.timezone === 'UTC') {
      const epoch = `extract(epoch FROM ${column})`;
      if (this.bucket === 'week') {
        return `CAST((floor((${epoch} - ${EPOCH_TO_MONDAY}) / ${WEEK}) * ${WEEK} + ${EPOCH_TO_MONDAY}) * 1000 AS BIGINT)`;
      }
      if (this.store.dialect.engine === 'duckdb') {
        return `epoch_ms(date_trunc('month', make_timestamp(CAST(${epoch} * 1000000 AS BIGINT))))`;
      }
    }
    const tz = p.add(this.timezone);
    return `CAST(extract(epoch FROM (date_trunc('${this.bucket}', ${column} AT TIME ZONE ${tz}) AT TIME ZONE ${tz})) * 1000 AS BIGINT)`;
  }

  private groupBy(): string {
    return this.bucket === 'none' ? 'GROUP BY bucket' : 'GROUP BY GROUPING SETS ((), (bucket))';
  }

  /** The deployments CTE: facts in the window and scope, with incident failures joined in. */
  private deploymentsCte(p: Params): string {
    const parts: string[] = [];
    if (this.incidentIds.length > 0) {
      parts.push(
        `SELECT unnest(${p.add(this.incidentIds)}::text[]) AS deployment_id, unnest(${p.add(this.incidentRecovery)}::double precision[]) AS rec`,
      );
    }
    if (this.incidentOpen.length > 0) {
      parts.push(
        `SELECT unnest(${p.add(this.incidentOpen)}::text[]) AS deployment_id, CAST(NULL AS DOUBLE PRECISION) AS rec`,
      );
    }
    if (parts.length === 0) {
      parts.push(
        'SELECT CAST(NULL AS TEXT) AS deployment_id, CAST(NULL AS DOUBLE PRECISION) AS rec WHERE false',
      );
    }
    return `inc AS (${parts.join(' UNION ALL ')}),
      f AS (
        SELECT f.deployment_id, f.service_key, f.attributed, f.finished_at, f.rework, f.failed AS chain_failed,
               f.failure_kind, i.deployment_id IS NOT NULL AS incident_failed,
               (f.failed OR i.deployment_id IS NOT NULL) AS is_failed,
               CASE WHEN f.failed AND i.deployment_id IS NOT NULL THEN least(extract(epoch FROM f.recovered_at), i.rec)
                    WHEN f.failed THEN extract(epoch FROM f.recovered_at)
                    ELSE i.rec END AS rec,
               extract(epoch FROM f.finished_at) AS fin,
               ${this.bucketOf(p, 'f.finished_at')} AS bucket,
               CAST(f.finished_at AT TIME ZONE ${p.add(this.timezone)} AS DATE) AS day
          FROM delivery_deployment_facts f
          LEFT JOIN (SELECT deployment_id, min(rec) AS rec FROM inc GROUP BY deployment_id) i
            ON i.deployment_id = f.deployment_id
         WHERE f.track = ${p.add(this.track.key)} AND f.finished_at >= ${p.add(this.from)}
           AND f.finished_at < ${p.add(this.to)} ${this.scopeFilter(p, 'f')}
      )`;
  }

  async deployments(): Promise<Map<string | null, DeploymentAggregate>> {
    const p = new Params();
    const rows = await this.store.query<{
      bucket: number | string | null;
      deployments: number;
      deploy_days: number;
      services: number;
      failed: number;
      by_rollback: number;
      by_remediation: number;
      by_incident: number;
      rework: number;
      recovered: number;
      open: number;
      recovery_p50: number | null;
      unattributed: number;
    }>(
      `WITH ${this.deploymentsCte(p)}
       SELECT bucket, count(*) AS deployments, count(DISTINCT day) AS deploy_days,
              count(DISTINCT service_key) AS services,
              count(*) FILTER (WHERE is_failed) AS failed,
              count(*) FILTER (WHERE chain_failed AND failure_kind IN ('rollback', 'restored')) AS by_rollback,
              count(*) FILTER (WHERE chain_failed AND failure_kind = 'remediation') AS by_remediation,
              count(*) FILTER (WHERE incident_failed AND NOT chain_failed) AS by_incident,
              count(*) FILTER (WHERE rework) AS rework,
              count(*) FILTER (WHERE is_failed AND rec IS NOT NULL) AS recovered,
              count(*) FILTER (WHERE is_failed AND rec IS NULL) AS open,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY greatest(rec - fin, 0))
                FILTER (WHERE is_failed AND rec IS NOT NULL) AS recovery_p50,
              count(*) FILTER (WHERE NOT attributed) AS unattributed
         FROM f ${this.groupBy()}`,
      p.values,
    );
    const result = new Map<string | null, DeploymentAggregate>();
    for (const row of rows) {
      result.set(bucketKey(row.bucket), {
        deployments: Number(row.deployments),
        deployDays: Number(row.deploy_days),
        services: Number(row.services),
        failed: Number(row.failed),
        byRollback: Number(row.by_rollback),
        byRemediation: Number(row.by_remediation),
        byIncident: Number(row.by_incident),
        rework: Number(row.rework),
        recovered: Number(row.recovered),
        open: Number(row.open),
        recoveryP50: row.recovery_p50 === null ? null : Number(row.recovery_p50),
        unattributed: Number(row.unattributed),
      });
    }
    const overall = result.get(null);
    if (overall && this.incidentIds.length + this.incidentOpen.length > 0) {
      const q = new Params();
      const ids = await this.store.query<{ deployment_id: string }>(
        `WITH ${this.deploymentsCte(q)} SELECT deployment_id FROM f WHERE incident_failed`,
        q.values,
      );
      overall.failedIds = new Set(ids.map((row) => row.deployment_id));
    }
    return result;
  }

  async openFailures(): Promise<string[]> {
    const p = new Params();
    const rows = await this.store.query<{ deployment_id: string }>(
      `WITH ${this.deploymentsCte(p)}
       SELECT deployment_id FROM f WHERE is_failed AND rec IS NULL
        ORDER BY finished_at, deployment_id LIMIT ${OPEN_LIST_LIMIT}`,
      p.values,
    );
    return rows.map((row) => row.deployment_id);
  }

  async leadTimes(from: LeadTimeFrom): Promise<Map<string | null, LeadAggregate>> {
    const column = { committed: 'lead_committed', authored: 'lead_authored', merged: 'lead_merged' }[from];
    const p = new Params();
    const rows = await this.store.query<{ bucket: number | string | null; n: number; q: number[] | null }>(
      `SELECT bucket, count(*) AS n, ${this.store.dialect.quantiles('lead', [0.5, 0.75, 0.9])} AS q
         FROM (SELECT ${this.bucketOf(p, 'c.deployed_at')} AS bucket, c.${column} AS lead
                 FROM delivery_changes c
                WHERE c.track = ${p.add(this.track.key)} AND c.deployed_at >= ${p.add(this.from)}
                  AND c.deployed_at < ${p.add(this.to)} AND c.${column} IS NOT NULL ${this.scopeFilter(p, 'c')}) c
        ${this.groupBy()}`,
      p.values,
    );
    const result = new Map<string | null, LeadAggregate>();
    for (const row of rows) {
      const [p50, p75, p90] = row.q ?? [];
      result.set(bucketKey(row.bucket), {
        n: Number(row.n),
        p50: p50 == null ? null : Number(p50),
        p75: p75 == null ? null : Number(p75),
        p90: p90 == null ? null : Number(p90),
      });
    }
    return result;
  }

  /** The PR cycle breakdown of pull requests first deployed in the window. */
  async pullRequestCycle(minSample: number): Promise<DoraReport['pullRequests']> {
    const p = new Params();
    const [row] = await this.store.query<{
      n: number;
      coding_n: number;
      coding: number | null;
      pickup_n: number;
      pickup: number | null;
      review_n: number;
      review: number | null;
      deploy_n: number;
      deploy: number | null;
    }>(
      `WITH shipped AS (
         SELECT c.pr_id, min(c.deployed_at) AS deployed_at,
                min(extract(epoch FROM c.deployed_at) - c.lead_authored) AS first_commit
           FROM delivery_changes c
          WHERE c.track = ${p.add(this.track.key)} AND c.pr_id IS NOT NULL ${this.scopeFilter(p, 'c')}
          GROUP BY c.pr_id
         HAVING min(c.deployed_at) >= ${p.add(this.from)} AND min(c.deployed_at) < ${p.add(this.to)}
       ),
       phases AS (
         SELECT extract(epoch FROM pr.created_at) - coalesce(extract(epoch FROM pr.first_commit_at), s.first_commit) AS coding,
                extract(epoch FROM pr.first_review_at) - extract(epoch FROM pr.created_at) AS pickup,
                extract(epoch FROM pr.merged_at) - extract(epoch FROM pr.first_review_at) AS review,
                extract(epoch FROM s.deployed_at) - extract(epoch FROM pr.merged_at) AS deploy
           FROM shipped s JOIN delivery_pull_requests pr ON pr.id = s.pr_id
       )
       -- Each phase over the pull requests that have both of its ends; negative spans (clock skew) count as 0.
       SELECT count(*) AS n,
              count(coding) AS coding_n, percentile_cont(0.5) WITHIN GROUP (ORDER BY CASE WHEN coding < 0 THEN 0 ELSE coding END) AS coding,
              count(pickup) AS pickup_n, percentile_cont(0.5) WITHIN GROUP (ORDER BY CASE WHEN pickup < 0 THEN 0 ELSE pickup END) AS pickup,
              count(review) AS review_n, percentile_cont(0.5) WITHIN GROUP (ORDER BY CASE WHEN review < 0 THEN 0 ELSE review END) AS review,
              count(deploy) AS deploy_n, percentile_cont(0.5) WITHIN GROUP (ORDER BY CASE WHEN deploy < 0 THEN 0 ELSE deploy END) AS deploy
         FROM phases`,
      p.values,
    );
    const phase = (n: number | undefined, p50: number | null | undefined) => {
      const count = Number(n ?? 0);
      return {
        n: count,
        p50Seconds: count >= minSample && p50 !== null && p50 !== undefined ? Number(p50) : null,
      };
    };
    return {
      n: Number(row?.n ?? 0),
      coding: phase(row?.coding_n, row?.coding),
      pickup: phase(row?.pickup_n, row?.pickup),
      review: phase(row?.review_n, row?.review),
      deploy: phase(row?.deploy_n, row?.deploy),
    };
  }

  /** Every bucket start from the one holding `from` to the one holding the end, in the time zone. */
  async bucketStarts(): Promise<Date[]> {
    const rows = await this.store.query<{ start: Date }>(
      `SELECT (g AT TIME ZONE $3) AS start
         FROM generate_series(date_trunc('${this.bucket}', CAST($1 AS TIMESTAMPTZ) AT TIME ZONE $3),
                              CAST($2 AS TIMESTAMPTZ) AT TIME ZONE $3, INTERVAL '1 ${this.bucket}') AS t(g)
        ORDER BY 1`,
      [this.from, new Date(this.to.getTime() - 1), this.timezone],
    );
    return rows.map((row) => row.start);
  }
}
