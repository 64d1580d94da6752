/**
 * The delivery domain's outputs, as zod schemas: the stable JSON of `pave metrics dora`,
 * `pave metrics ci`, `pave deployment explain` and the ingest reports, the same through the API
 * (and its OpenAPI document) and in docs/metrics.md. Durations are seconds, ratios 0..1; a value
 * computed from fewer samples than the minimum is `null` with `status: insufficient_data`.
 */
import { z } from 'zod';
import { LEAD_TIME_FROM, TIER_YEARS } from './deliveryConfig.js';

export const MetricStatusSchema = z.enum(['ok', 'insufficient_data', 'no_data']).meta({
  id: 'MetricStatus',
  description: '`insufficient_data`: fewer samples than the minimum; the value is null.',
});

export const TierSchema = z
  .enum(['elite', 'high', 'medium', 'low'])
  .nullable()
  .meta({ id: 'DoraTier', description: 'DORA performance tier of the value; null when the value is null.' });

const seconds = (description: string) => z.number().nullable().meta({ description });
const count = (description: string) => z.number().int().nonnegative().meta({ description });
const ratio = (description: string) => z.number().min(0).max(1).nullable().meta({ description });

export const DeploymentFrequencySchema = z
  .object({
    deployments: count('Successful production deployments that finished in the window.'),
    deployDays: count('Days (in the time zone) with at least one of them.'),
    services: count('Services with at least one of them.'),
    perDay: z.number().meta({ description: 'deployments / days in the window.' }),
    perWeek: z.number(),
    perMonth: z.number().meta({ description: 'Per 30.44 days.' }),
    deployDaysPerWeek: z.number(),
    perServicePerWeek: z
      .number()
      .nullable()
      .meta({ description: 'perWeek / services: what the tier is judged on; null without deployments.' }),
    tier: TierSchema,
    status: MetricStatusSchema,
  })
  .meta({ id: 'DeploymentFrequency' });

export const LeadTimeSchema = z
  .object({
    n: count('Changes (commits) first shipped by a deployment in the window, with a known start time.'),
    p50Seconds: seconds('Median lead time (interpolated).'),
    p75Seconds: seconds('75th percentile.'),
    p90Seconds: seconds('90th percentile.'),
    tier: TierSchema,
    status: MetricStatusSchema,
  })
  .meta({ id: 'LeadTime' });

export const ChangeFailureRateSchema = z
  .object({
    deployments: count('Deployments in the window.'),
    failed: count('Of them, failed (each counted once).'),
    rate: ratio('failed / deployments.'),
    byRollback: count('Failed because a rollback named them or restored their predecessor.'),
    byRemediation: count('Failed because a remediating deployment named them (and no rollback).'),
    byIncident: count('Failed because an incident was attributed to them (and no rollback or remediation).'),
    tier: TierSchema,
    status: MetricStatusSchema,
  })
  .meta({ id: 'ChangeFailureRate' });

export const RecoveryTimeSchema = z
  .object({
    n: count('Failed deployments that have recovered.'),
    open: count('Failed deployments not recovered yet (counted, never averaged in).'),
    p50Seconds: seconds('Median recovery time of the recovered ones.'),
    openDeployments: z
      .array(z.string())
      .meta({ description: 'Ids of unrecovered failed deployments, oldest first (at most 50).' }),
    tier: TierSchema,
    status: MetricStatusSchema,
  })
  .meta({ id: 'RecoveryTime' });

export const ReworkRateSchema = z
  .object({
    deployments: count('Deployments in the window.'),
    rework: count('Of them, unplanned because of a production failure.'),
    rate: ratio('rework / deployments.'),
    status: MetricStatusSchema,
  })
  .meta({ id: 'ReworkRate' });

const PhaseSchema = z.object({
  n: count('Pull requests with both ends of the phase.'),
  p50Seconds: seconds('Median.'),
});

export const PullRequestCycleSchema = z
  .object({
    n: count('Pull requests first deployed in the window.'),
    coding: PhaseSchema.meta({ description: 'First commit to opened.' }),
    pickup: PhaseSchema.meta({ description: 'Opened to first review.' }),
    review: PhaseSchema.meta({ description: 'First review to merged.' }),
    deploy: PhaseSchema.meta({ description: 'Merged to deployed.' }),
  })
  .meta({ id: 'PullRequestCycle' });

const metricsShape = {
  deploymentFrequency: DeploymentFrequencySchema,
  leadTime: LeadTimeSchema,
  changeFailureRate: ChangeFailureRateSchema,
  recoveryTime: RecoveryTimeSchema,
  reworkRate: ReworkRateSchema,
};

export const DoraBucketSchema = z
  .object({
    start: z
      .string()
      .meta({ description: 'Start of the bucket (Monday or the 1st, 00:00 in the time zone), UTC.' }),
    end: z.string(),
    ...metricsShape,
  })
  .meta({ id: 'DoraBucket' });

export const DoraReportSchema = z
  .object({
    scope: z
      .string()
      .meta({ description: '`org`, `service:<ref>`, `team:<ref>`, `system:<ref>`, `domain:<ref>`.' }),
    from: z.string(),
    to: z.string().meta({ description: 'Exclusive end of the window.' }),
    bucket: z.enum(['none', 'week', 'month']),
    timezone: z.string(),
    environments: z.array(z.string()).meta({ description: 'Environment names counted as production.' }),
    tiers: z.enum(TIER_YEARS),
    leadTimeFrom: z.enum(LEAD_TIME_FROM),
    incidentWindowSeconds: z.number(),
    minSample: z.number().int(),
    components: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'Catalog components in the scope; null for org.' }),
    ...metricsShape,
    pullRequests: PullRequestCycleSchema,
    unattributed: z
      .object({
        deployments: count('Org scope: deployments whose service resolves to no catalog component.'),
      })
      .nullable(),
    incidents: z.object({
      attributed: count('Incidents attributed to a deployment of the scope in the window.'),
      unattributed: count('Incidents in the window attributed to no deployment.'),
      source: z
        .string()
        .nullable()
        .meta({ description: 'Why incidents could not be read, if they could not.' }),
    }),
    warnings: z.array(z.string()),
    buckets: z.array(DoraBucketSchema),
  })
  .meta({ id: 'DoraReport', description: 'The five DORA metrics of a scope over a window.' });

export type DoraReport = z.infer<typeof DoraReportSchema>;
export type DoraBucket = z.infer<typeof DoraBucketSchema>;
export type DoraMetrics = Pick<DoraReport, keyof typeof metricsShape>;

export const CiPipelineSchema = z
  .object({
    name: z.string().meta({ description: 'The pipeline (workflow) name.' }),
    service: z
      .string()
      .nullable()
      .meta({ description: 'The service or repository its runs name: a pipeline is its name within it.' }),
    runs: count('Finished runs in the window.'),
    success: count('Successful runs.'),
    failure: count('Failed runs.'),
    cancelled: count('Cancelled runs (not in the success rate).'),
    skipped: count('Skipped runs (not in the success rate).'),
    successRate: ratio('success / (success + failure).'),
    p50DurationSeconds: seconds('Median of finished - started.'),
    p95DurationSeconds: seconds('95th percentile.'),
    p50QueueSeconds: seconds('Median of started - queued, where both are known.'),
    flakeRate: ratio('Runs with a failed result of a test flaky on that commit / runs with test results.'),
    status: MetricStatusSchema,
  })
  .meta({ id: 'CiPipeline' });

export const FlakyTestSchema = z
  .object({
    test: z.string(),
    suite: z.string().nullable(),
    commits: count('Commits on which the test both passed and failed within 14 days.'),
    testedCommits: count('Commits on which it passed or failed.'),
    flakeRate: ratio('commits / testedCommits.'),
    lastFlakedAt: z.string().nullable(),
  })
  .meta({ id: 'FlakyTest' });

export const CiReportSchema = z
  .object({
    scope: z.string(),
    from: z.string(),
    to: z.string(),
    minSample: z.number().int(),
    totals: z.object({
      runs: count('Finished pipeline runs.'),
      successRate: ratio('success / (success + failure), all pipelines.'),
      testResults: count('Test case results in the window.'),
      flakyTests: count('Tests flaky at least once.'),
    }),
    pipelines: z.array(CiPipelineSchema),
    slowest: z
      .array(CiPipelineSchema)
      .meta({ description: 'Pipelines by p95 duration, slowest first (10).' }),
    flakyTests: z.array(FlakyTestSchema).meta({ description: 'Flaky tests, flakiest first.' }),
  })
  .meta({ id: 'CiReport', description: 'CI health of a scope over a window.' });

export type CiReport = z.infer<typeof CiReportSchema>;
export type CiPipeline = z.infer<typeof CiPipelineSchema>;
export type FlakyTest = z.infer<typeof FlakyTestSchema>;

export const IngestProblemSchema = z
  .object({
    severity: z.enum(['error', 'warning']),
    message: z.string(),
    file: z.string().optional(),
    line: z.number().int().optional(),
    column: z.number().int().optional(),
    pointer: z.string().optional().meta({ description: 'RFC 6901 JSON pointer into the body or event.' }),
    row: z.number().int().optional().meta({ description: 'NDJSON line.' }),
  })
  .meta({ id: 'IngestProblem' });

export const IngestReportJsonSchema = z
  .object({
    events: count('Events (lines, array items, deliveries, test cases) read.'),
    stored: z.record(z.string(), z.number().int()).meta({
      description: 'Records added or changed, by type (deployments, commits, testCaseResults, ...).',
    }),
    unchanged: count('Records already stored exactly so (a retried or re-imported event).'),
    errors: count('Events rejected (dropped; with atomic, nothing was stored).'),
    warnings: count('Warnings (the event was kept).'),
    problems: z.array(IngestProblemSchema),
    unused: z
      .array(z.object({ type: z.string(), count: z.number().int(), reason: z.string() }))
      .meta({ description: 'Events accepted and stored raw, but not used, by type.' }),
  })
  .meta({ id: 'IngestReport', description: 'What an ingest read, stored and rejected.' });

export type IngestReportJson = z.infer<typeof IngestReportJsonSchema>;
