/**
 * The delivery domain's data model: Pave's normalised delivery records, one shape whatever the
 * source (CDEvents, GitHub, GitLab, JUnit, git history or Pave's own deployment record).
 *
 * Every record has an `id` that is its idempotency key: the caller's own id where the source has
 * one, otherwise derived deterministically from the source's ids, so a retried webhook or a
 * re-imported file yields the same ids. Timestamps are ISO 8601 strings in UTC
 * (`2024-05-01T12:00:00.000Z`); durations are seconds. A record may be partial (a GitHub
 * `deployment` event knows when a deployment started, its `deployment_status` when it finished):
 * records with the same id are merged, see `mergeDeployment`.
 *
 * The ingest adapters build these records by hand (zod on the hot path would cost more than the
 * parsing); the schemas describe them for the API, the docs and the tests.
 */
import { z } from 'zod';

const id = (description: string) => z.string().min(1).meta({ description });
const time = (description: string) => z.iso.datetime({ offset: false }).meta({ description });
const sha = (description: string) =>
  z
    .string()
    .regex(/^[0-9a-f]{7,64}$/)
    .meta({ description });

/**
 * Where a record came from. `pave` is Pave's own deployment record (CLI or API); `demo` is the
 * history `pave demo` generates (replaced whenever it runs again).
 */
export const DELIVERY_SOURCES = [
  'cdevents',
  'github',
  'gitlab',
  'git',
  'git-tag',
  'junit',
  'pave',
  'demo',
] as const;
export const DeliverySourceSchema = z.enum(DELIVERY_SOURCES).meta({ id: 'DeliverySource' });
export type DeliverySource = z.infer<typeof DeliverySourceSchema>;

/** A deployment's state; `success`, `failure` and `cancelled` are final. */
export const DEPLOYMENT_STATUSES = [
  'pending',
  'queued',
  'in_progress',
  'success',
  'failure',
  'cancelled',
] as const;
export const DeploymentStatusSchema = z.enum(DEPLOYMENT_STATUSES).meta({ id: 'DeploymentStatus' });
export type DeploymentStatus = z.infer<typeof DeploymentStatusSchema>;

/** The deployment statuses after which nothing changes. */
export const FINAL_DEPLOYMENT_STATUSES: ReadonlySet<DeploymentStatus> = new Set([
  'success',
  'failure',
  'cancelled',
]);

/** One deployment of one service to one environment. */
export const DeploymentSchema = z
  .object({
    id: id(
      "The caller's id (e.g. the CI run id), or one derived from the source's ids; the idempotency key.",
    ),
    service: z.string().min(1).meta({
      description:
        'A catalog ref (`component:default/checkout`) or a name (repository, CDEvents subject id) still to be resolved against the catalog.',
    }),
    environment: z.string().min(1).meta({ description: 'The environment name as the source gives it.' }),
    production: z.boolean().optional().meta({
      description:
        "Set when the source says whether the environment is production (GitHub's `production_environment`, GitLab's `environment_tier`); otherwise the environment name decides.",
    }),
    sha: sha('The deployed commit, lower-case hex; absent when the source does not say.').optional(),
    status: DeploymentStatusSchema,
    startedAt: time('When the deployment started.').optional(),
    finishedAt: time('When the deployment reached a final status.').optional(),
    statusAt: time('When the source reported `status`; the later report wins when records merge.').optional(),
    rollback: z
      .boolean()
      .optional()
      .meta({ description: 'The deployment is a rollback (CDEvents `service.rolledback`).' }),
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
    repository: z.string().min(1).optional().meta({ description: 'Repository, e.g. `octo-org/octo-repo`.' }),
    artifact: z.string().min(1).optional().meta({ description: 'The deployed artifact, e.g. a purl.' }),
    source: DeliverySourceSchema,
    sourceRef: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'Where to find it at the source (URL, event id).' }),
  })
  .meta({ id: 'Deployment', description: 'A deployment of a service to an environment.' });
export type Deployment = z.infer<typeof DeploymentSchema>;

/** A commit: from git history (exact) or from a push/merge request payload (partial). */
export const CommitSchema = z
  .object({
    sha: sha('The commit id, lower-case hex.'),
    parents: z
      .array(z.string())
      .optional()
      .meta({ description: 'Parent shas; absent when the source does not say.' }),
    authoredAt: time('Author date.').optional(),
    committedAt: time('Committer date (webhooks: the commit timestamp they carry).').optional(),
    repository: z.string().min(1).optional(),
    service: z.string().min(1).optional(),
    source: DeliverySourceSchema,
  })
  .meta({ id: 'Commit', description: 'A commit and its place in the history.' });
export type Commit = z.infer<typeof CommitSchema>;

/** A pull request (GitHub) or merge request (GitLab) or a CDEvents change. */
export const PullRequestSchema = z
  .object({
    id: id('Derived from the source: `github:pr:<id>`, `gitlab:mr:<id>`, `cdevents:change:<source>:<id>`.'),
    repository: z.string().min(1),
    number: z.number().int().optional().meta({ description: 'The PR number / MR iid.' }),
    title: z.string().optional(),
    createdAt: time('Opened.').optional(),
    firstCommitAt: time('First commit of the PR (for the coding time).').optional(),
    firstReviewAt: time('First review (end of pickup time).').optional(),
    approvedAt: time('Approved.').optional(),
    mergedAt: time('Merged.').optional(),
    mergeCommitSha: sha('The merge (or squash/rebase) commit on the base branch.').optional(),
    headSha: sha('Last commit of the source branch.').optional(),
    baseRef: z.string().optional().meta({ description: 'Target branch.' }),
    commits: z.array(z.string()).optional().meta({ description: 'Shas of its commits, when known.' }),
    service: z.string().min(1).optional(),
    source: DeliverySourceSchema,
    sourceRef: z.string().min(1).optional(),
  })
  .meta({
    id: 'PullRequest',
    description: 'A merged change request: PR cycle breakdown and commit attribution.',
  });
export type PullRequest = z.infer<typeof PullRequestSchema>;

/** A push of commits to a ref: attributes commits to deployments when there is no git graph. */
export const PushSchema = z
  .object({
    id: id('`<source>:push:<repository>:<ref>:<before>..<after>`.'),
    repository: z.string().min(1),
    ref: z.string().min(1).meta({ description: 'e.g. `refs/heads/main`.' }),
    before: z.string().meta({ description: 'Sha of the ref before the push (zeros for a new ref).' }),
    after: z.string().meta({ description: 'Sha of the ref after the push.' }),
    commits: z
      .array(z.string())
      .meta({ description: 'Shas pushed, oldest first (GitLab sends at most 20).' }),
    pushedAt: time('When the push happened, when the source says.').optional(),
    source: DeliverySourceSchema,
  })
  .meta({ id: 'Push', description: 'A push to a branch or tag.' });
export type Push = z.infer<typeof PushSchema>;

/** Outcome of a finished pipeline run or job. */
export const RUN_STATUSES = ['success', 'failure', 'cancelled', 'skipped'] as const;
export const RunStatusSchema = z.enum(RUN_STATUSES).meta({ id: 'RunStatus' });
export type RunStatus = z.infer<typeof RunStatusSchema>;

/** A finished CI pipeline run (workflow run, GitLab pipeline, CDEvents pipelinerun). */
export const PipelineRunSchema = z
  .object({
    id: id('Derived from the source, one per run attempt.'),
    pipeline: z.string().min(1).meta({ description: 'The pipeline (workflow) name.' }),
    service: z.string().min(1).optional(),
    repository: z.string().min(1).optional(),
    sha: sha('The commit the pipeline ran on.').optional(),
    ref: z.string().optional().meta({ description: 'Branch or tag.' }),
    status: RunStatusSchema,
    queuedAt: time('Created / queued.').optional(),
    startedAt: time('Started running.').optional(),
    finishedAt: time('Finished.'),
    source: DeliverySourceSchema,
    sourceRef: z.string().min(1).optional(),
  })
  .meta({ id: 'PipelineRun', description: 'A finished CI pipeline run.' });
export type PipelineRun = z.infer<typeof PipelineRunSchema>;

/** A finished job / task of a pipeline run (GitHub workflow job, GitLab build, CDEvents taskrun). */
export const TaskRunSchema = z
  .object({
    id: id('Derived from the source.'),
    pipelineRunId: z.string().min(1).optional().meta({ description: 'Id of its PipelineRun record.' }),
    name: z.string().min(1),
    pipeline: z.string().min(1).optional(),
    sha: sha('The commit.').optional(),
    status: RunStatusSchema,
    queuedAt: time('Created / queued.').optional(),
    startedAt: time('Started.').optional(),
    finishedAt: time('Finished.'),
    source: DeliverySourceSchema,
    sourceRef: z.string().min(1).optional(),
  })
  .meta({ id: 'TaskRun', description: 'A finished job of a pipeline run.' });
export type TaskRun = z.infer<typeof TaskRunSchema>;

/** Outcome of one test case run. */
export const TEST_STATUSES = ['passed', 'failed', 'skipped', 'error'] as const;
export const TestStatusSchema = z.enum(TEST_STATUSES).meta({ id: 'TestStatus' });
export type TestStatus = z.infer<typeof TestStatusSchema>;

/** One test case result: the unit of flaky-test detection (same test, same sha, passed and failed). */
export const TestCaseResultSchema = z
  .object({
    id: id('Derived from the run (pipeline run id or file digest), suite, test and occurrence.'),
    pipelineRunId: z.string().min(1).optional(),
    sha: sha('The commit tested.').optional(),
    suite: z.string().optional().meta({ description: 'The test suite (JUnit `testsuite@name`).' }),
    test: z.string().min(1).meta({ description: 'Stable test name: `classname.name` (or the name alone).' }),
    status: TestStatusSchema,
    durationSeconds: z.number().nonnegative().optional(),
    attempt: z.number().int().positive().optional().meta({
      description:
        'Attempt number when the runner re-ran the test (Surefire `flakyFailure`): failed attempts first.',
    }),
    message: z.string().optional().meta({ description: 'Failure message, truncated to 500 characters.' }),
    at: time('When the test ran (suite timestamp, or the ingest time).'),
    source: DeliverySourceSchema,
  })
  .meta({ id: 'TestCaseResult', description: 'The result of one test case run.' });
export type TestCaseResult = z.infer<typeof TestCaseResultSchema>;

/** A finished test suite run (CDEvents `testsuiterun.finished`). */
export const TestSuiteRunSchema = z
  .object({
    id: id('Derived from the source.'),
    suite: z.string().min(1),
    pipelineRunId: z.string().min(1).optional(),
    sha: sha('The commit tested.').optional(),
    status: TestStatusSchema,
    environment: z.string().optional(),
    finishedAt: time('Finished.'),
    source: DeliverySourceSchema,
  })
  .meta({ id: 'TestSuiteRun', description: 'A finished test suite run.' });
export type TestSuiteRun = z.infer<typeof TestSuiteRunSchema>;

/** The three incident signals CDEvents defines. */
export const INCIDENT_SIGNAL_KINDS = ['detected', 'reported', 'resolved'] as const;
export const IncidentSignalKindSchema = z.enum(INCIDENT_SIGNAL_KINDS).meta({ id: 'IncidentSignalKind' });
export type IncidentSignalKind = z.infer<typeof IncidentSignalKindSchema>;

/**
 * One thing said about an incident. Deliberately thin: the reliability domain owns the incident
 * model and merges the signals of one `incidentSource`+`incidentId` into an incident.
 */
export const IncidentSignalSchema = z
  .object({
    id: id('The event: `cdevents:incident.<kind>:<context.source>:<context.id>`.'),
    incidentId: z.string().min(1).meta({ description: 'The incident as its source names it.' }),
    incidentSource: z.string().min(1).meta({ description: 'Who names it (`subject.source`).' }),
    kind: IncidentSignalKindSchema,
    at: time('When it was detected, reported or resolved.'),
    service: z.string().min(1).optional(),
    environment: z.string().min(1).optional(),
    sha: sha('The commit running when it happened.').optional(),
    artifact: z.string().min(1).optional(),
    deploymentId: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'The deployment it is linked to, explicitly.' }),
    description: z.string().optional(),
    ticketUri: z.string().optional(),
    source: DeliverySourceSchema,
  })
  .meta({ id: 'IncidentSignal', description: 'An incident detected, reported or resolved.' });
export type IncidentSignal = z.infer<typeof IncidentSignalSchema>;

/** An event Pave accepted and keeps, but does not use (unknown type, unused action). */
export const RawEventSchema = z
  .object({
    id: id('The event id (CDEvents) or delivery id (webhooks), or a digest of the body.'),
    source: DeliverySourceSchema,
    type: z
      .string()
      .min(1)
      .meta({ description: 'CDEvents type, or `<event>` / `<event>.<action>` for webhooks.' }),
    receivedAt: time('When Pave received it.'),
    reason: z.string().meta({ description: 'Why it is not used.' }),
    payload: z.unknown(),
  })
  .meta({ id: 'RawEvent', description: 'An event stored as received but not used.' });
export type RawEvent = z.infer<typeof RawEventSchema>;

/** How many events of each type were not used, and why. */
export const UnusedReportSchema = z
  .array(
    z.object({
      type: z.string(),
      count: z.number().int().positive(),
      reason: z.string(),
    }),
  )
  .meta({ id: 'UnusedReport', description: 'Events accepted but not used, by type.' });
export type UnusedReport = z.infer<typeof UnusedReportSchema>;

/** The records of one ingest, one array per table (one `insertRows` each). */
export interface DeliveryRecords {
  deployments: Deployment[];
  commits: Commit[];
  pullRequests: PullRequest[];
  pushes: Push[];
  pipelineRuns: PipelineRun[];
  taskRuns: TaskRun[];
  testCaseResults: TestCaseResult[];
  testSuiteRuns: TestSuiteRun[];
  incidentSignals: IncidentSignal[];
  rawEvents: RawEvent[];
}

/** The schema of each record table, for tests and the API. */
export const DELIVERY_RECORD_SCHEMAS = {
  deployments: DeploymentSchema,
  commits: CommitSchema,
  pullRequests: PullRequestSchema,
  pushes: PushSchema,
  pipelineRuns: PipelineRunSchema,
  taskRuns: TaskRunSchema,
  testCaseResults: TestCaseResultSchema,
  testSuiteRuns: TestSuiteRunSchema,
  incidentSignals: IncidentSignalSchema,
  rawEvents: RawEventSchema,
} as const satisfies { [K in keyof DeliveryRecords]: z.ZodType };

/** An empty set of record arrays. */
export function emptyRecords(): DeliveryRecords {
  return {
    deployments: [],
    commits: [],
    pullRequests: [],
    pushes: [],
    pipelineRuns: [],
    taskRuns: [],
    testCaseResults: [],
    testSuiteRuns: [],
    incidentSignals: [],
    rawEvents: [],
  };
}
