/**
 * GitHub webhooks to delivery records
 * (https://docs.github.com/en/webhooks/webhook-events-and-payloads).
 *
 * Used: `deployment` and `deployment_status` (one Deployment, `github:deployment:<id>`, reported in
 * pieces), `push` (a Push and its Commits), `pull_request` closed and merged (a PullRequest),
 * `pull_request_review` submitted (the pull request's first review),
 * `workflow_run` completed (a PipelineRun per attempt) and `workflow_job` completed (a TaskRun).
 * Everything else (other events, other actions, `inactive` statuses) is kept as a raw event.
 * `X-Hub-Signature-256` is checked with `verifyGitHubSignature` before the body is parsed.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Deployment, DeploymentStatus, PipelineRun, PullRequest, RunStatus, TaskRun } from '../model.js';
import { isZeroSha, lookup, nonEmptyString, put } from './fields.js';
import { bodyDigest, PayloadReader, readWebhookBody } from './payloadReader.js';
import { type IngestOptions, type IngestResult, RecordCollector } from './recordCollector.js';

/** One webhook delivery as the HTTP layer receives it. */
export interface GitHubDelivery {
  /** The `X-GitHub-Event` header: `deployment`, `push`, ... */
  event: string;
  /** The `X-GitHub-Delivery` header: a GUID, the same when GitHub redelivers. */
  deliveryId?: string;
  /** The raw body (text or bytes, as signed) or the parsed JSON. */
  body: unknown;
}

/**
 * Verifies `X-Hub-Signature-256: sha256=<hex>`, the HMAC-SHA256 of the raw body with the webhook
 * secret, in constant time. False when the header is missing or malformed.
 */
export function verifyGitHubSignature(
  rawBody: string | Uint8Array,
  header: string | undefined,
  secret: string,
): boolean {
  if (header === undefined || !header.startsWith('sha256=')) return false;
  const given = Buffer.from(header.slice('sha256='.length), 'hex');
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  // Buffer.from(.., 'hex') stops at the first non-hex character: the length check catches it.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const DEPLOYMENT_STATES: Record<string, DeploymentStatus> = {
  pending: 'pending',
  queued: 'queued',
  in_progress: 'in_progress',
  success: 'success',
  failure: 'failure',
  error: 'failure',
};

// workflow_run / workflow_job `conclusion` (https://docs.github.com/en/rest/actions/workflow-runs).
const CONCLUSIONS: Record<string, RunStatus> = {
  success: 'success',
  failure: 'failure',
  timed_out: 'failure',
  startup_failure: 'failure',
  cancelled: 'cancelled',
  stale: 'cancelled',
  skipped: 'skipped',
  neutral: 'skipped',
  action_required: 'skipped',
};

/** Parses one GitHub webhook delivery. */
export function parseGitHubWebhook(delivery: GitHubDelivery, options: IngestOptions = {}): IngestResult {
  const out = new RecordCollector(options.file ?? 'request body');
  out.events = 1;
  if (!delivery.event) {
    out.error('the X-GitHub-Event header is missing: Pave cannot tell what the payload is');
    return out.finish(options.atomic);
  }
  const payload = readWebhookBody(delivery.body, out);
  if (payload) new GitHubReader(out, delivery, payload, options.receivedAt ?? new Date()).read();
  return out.finish(options.atomic);
}

class GitHubReader {
  private readonly fields: PayloadReader;

  constructor(
    private readonly out: RecordCollector,
    private readonly delivery: GitHubDelivery,
    private readonly payload: Record<string, unknown>,
    private readonly receivedAt: Date,
  ) {
    this.fields = new PayloadReader(out);
  }

  read(): void {
    const action = nonEmptyString(this.payload.action);
    switch (this.delivery.event) {
      case 'deployment':
        this.deployment();
        return;
      case 'deployment_status':
        this.deploymentStatus();
        return;
      case 'push':
        this.push();
        return;
      case 'pull_request':
        if (action !== 'closed') {
          this.unused('only merged pull requests are used');
          return;
        }
        this.pullRequest();
        return;
      case 'pull_request_review':
        if (action !== 'submitted') {
          this.unused('only submitted reviews are used');
          return;
        }
        this.pullRequestReview();
        return;
      case 'workflow_run':
        if (action !== 'completed') {
          this.unused('only completed workflow runs are used');
          return;
        }
        this.workflowRun();
        return;
      case 'workflow_job':
        if (action !== 'completed') {
          this.unused('only completed workflow jobs are used');
          return;
        }
        this.workflowJob();
        return;
      default:
        this.unused('not an event Pave uses');
        return;
    }
  }

  /** Keeps the delivery raw, typed `<event>` or `<event>.<action>`. */
  private unused(reason: string): void {
    const action = nonEmptyString(this.payload.action);
    this.out.addRaw({
      id: `github:${this.delivery.deliveryId ?? bodyDigest(this.delivery.body)}`,
      source: 'github',
      type: action === undefined ? this.delivery.event : `${this.delivery.event}.${action}`,
      receivedAt: this.receivedAt.toISOString(),
      reason,
      payload: this.payload,
    });
  }

  private repository(): string | undefined {
    return this.fields.string(this.payload, ['repository', 'full_name']);
  }

  /** A deployment as both `deployment` and `deployment_status` describe it. */
  private deploymentBase(): Deployment | undefined {
    const f = this.fields;
    const repository = this.repository();
    const id = f.id(this.payload, ['deployment', 'id']);
    const environment = f.string(this.payload, ['deployment', 'environment']);
    const sha = f.sha(this.payload, ['deployment', 'sha']);
    const createdAt = f.time(this.payload, ['deployment', 'created_at']);
    const production = f.boolean(this.payload, ['deployment', 'production_environment']);
    const custom = f.at(this.payload, ['deployment', 'payload']);
    const paveKey = (key: string) =>
      typeof custom === 'object' && custom !== null
        ? nonEmptyString((custom as Record<string, unknown>)[key])
        : undefined;
    if (f.failed || !repository || !id || !environment || !createdAt) return undefined;
    const deployment: Deployment = {
      id: `github:deployment:${id}`,
      service: paveKey('pave.dev/service') ?? repository,
      environment,
      status: 'pending',
      startedAt: createdAt,
      statusAt: createdAt,
      repository,
      source: 'github',
    };
    put(deployment, 'production', production);
    put(deployment, 'sha', sha);
    put(deployment, 'rollbackOf', paveKey('pave.dev/rollback-of'));
    put(deployment, 'remediates', paveKey('pave.dev/remediates'));
    const unplanned = f.at(custom, ['pave.dev/unplanned']);
    if (typeof unplanned === 'boolean') deployment.unplanned = unplanned;
    put(deployment, 'sourceRef', nonEmptyString(f.at(this.payload, ['deployment', 'url'])));
    return deployment;
  }

  private deployment(): void {
    const deployment = this.deploymentBase();
    if (deployment) this.out.add('deployments', deployment);
  }

  private deploymentStatus(): void {
    const f = this.fields;
    const deployment = this.deploymentBase();
    const state = f.string(this.payload, ['deployment_status', 'state']);
    const at = f.time(this.payload, ['deployment_status', 'created_at']);
    const environment = f.string(this.payload, ['deployment_status', 'environment'], false);
    if (!deployment || !state || !at || f.failed) return;
    if (state === 'inactive') {
      // GitHub marks earlier deployments inactive when a newer one succeeds: it changes nothing.
      this.unused('an inactive status only says a later deployment replaced this one');
      return;
    }
    const status = lookup(DEPLOYMENT_STATES, state);
    if (status === undefined) {
      f.error(['deployment_status', 'state'], `unknown deployment state "${state}"`);
      return;
    }
    deployment.status = status;
    deployment.statusAt = at;
    if (status === 'success' || status === 'failure') deployment.finishedAt = at;
    if (environment !== undefined) deployment.environment = environment;
    this.out.add('deployments', deployment);
  }

  private push(): void {
    const f = this.fields;
    const repository = this.repository();
    const ref = f.string(this.payload, ['ref']);
    const before = f.string(this.payload, ['before']);
    const after = f.string(this.payload, ['after']);
    const commits = f.array(this.payload, ['commits']);
    if (f.failed || !repository || !ref || !before || !after || !commits) return;
    if (this.payload.deleted === true || isZeroSha(after)) {
      this.unused('deletes a ref');
      return;
    }
    const shas: string[] = [];
    for (let i = 0; i < commits.length; i++) {
      const sha = f.sha(commits, [i, 'id']);
      const committedAt = f.time(commits, [i, 'timestamp'], false);
      if (sha === undefined) continue;
      shas.push(sha);
      this.out.add('commits', {
        sha,
        ...(committedAt === undefined ? {} : { committedAt }),
        repository,
        source: 'github',
      });
    }
    if (f.failed) return;
    const pushedAt = f.at(this.payload, ['repository', 'pushed_at']);
    this.out.add('pushes', {
      id: `github:push:${repository}:${ref}:${before}..${after}`,
      repository,
      ref,
      before,
      after,
      commits: shas,
      // push payloads carry `repository.pushed_at` in epoch seconds.
      ...(typeof pushedAt === 'number' ? { pushedAt: new Date(pushedAt * 1000).toISOString() } : {}),
      source: 'github',
    });
  }

  private pullRequest(): void {
    const f = this.fields;
    const pr = f.object(this.payload, ['pull_request']);
    if (!pr) return;
    if (pr.merged !== true || pr.merged_at === null || pr.merged_at === undefined) {
      this.unused('closed without merging');
      return;
    }
    const mergedAt = f.time(pr, ['merged_at']);
    const mergeCommitSha = f.sha(pr, ['merge_commit_sha'], false);
    const headSha = f.sha(pr, ['head', 'sha'], false);
    const record = this.pullRequestRecord(pr);
    if (!record) return;
    put(record, 'title', nonEmptyString(pr.title));
    put(record, 'mergedAt', mergedAt);
    put(record, 'mergeCommitSha', mergeCommitSha);
    put(record, 'headSha', headSha);
    put(record, 'baseRef', nonEmptyString(f.at(pr, ['base', 'ref'])));
    put(record, 'sourceRef', nonEmptyString(pr.html_url));
    this.out.add('pullRequests', record);
  }

  /**
   * A submitted review: the pull request's first review time (the end of its pickup time, the start
   * of review). Reports of one pull request merge, keeping the earliest review.
   */
  private pullRequestReview(): void {
    const f = this.fields;
    const pr = f.object(this.payload, ['pull_request']);
    const review = f.object(this.payload, ['review']);
    if (!pr || !review) return;
    const author = f.at(pr, ['user', 'id']);
    if (author !== undefined && author === f.at(review, ['user', 'id'])) {
      this.unused("a review by the pull request's author");
      return;
    }
    const submittedAt = f.time(review, ['submitted_at']);
    const record = this.pullRequestRecord(pr);
    if (!record) return;
    put(record, 'firstReviewAt', submittedAt);
    if (nonEmptyString(review.state)?.toLowerCase() === 'approved') put(record, 'approvedAt', submittedAt);
    this.out.add('pullRequests', record);
  }

  /**
   * The pull request record both pull-request events start from: its id, repository, number and
   * opening time; undefined (with the problems reported) when one of them is wrong or the event
   * already failed.
   */
  private pullRequestRecord(pr: Record<string, unknown>): PullRequest | undefined {
    const f = this.fields;
    const id = f.id(pr, ['id']);
    const number = f.at(pr, ['number']);
    const repository =
      nonEmptyString(f.at(pr, ['base', 'repo', 'full_name'])) ??
      f.string(this.payload, ['repository', 'full_name']);
    const createdAt = f.time(pr, ['created_at']);
    if (f.failed || !id || !repository) return undefined;
    const record: PullRequest = { id: `github:pr:${id}`, repository, source: 'github' };
    if (typeof number === 'number') record.number = number;
    put(record, 'createdAt', createdAt);
    return record;
  }

  private workflowRun(): void {
    const f = this.fields;
    const run = f.object(this.payload, ['workflow_run']);
    if (!run) return;
    const conclusion = nonEmptyString(run.conclusion);
    const status = lookup(CONCLUSIONS, conclusion);
    if (status === undefined) {
      this.unused(`no conclusion Pave counts (${conclusion ?? 'none'})`);
      return;
    }
    const id = f.id(run, ['id']);
    const repository = this.repository();
    const name =
      nonEmptyString(run.name) ??
      nonEmptyString(f.at(this.payload, ['workflow', 'name'])) ??
      nonEmptyString(run.path);
    const sha = f.sha(run, ['head_sha'], false);
    const queuedAt = f.time(run, ['created_at'], false);
    const startedAt = f.time(run, ['run_started_at'], false);
    // A workflow run has no completed_at: the `completed` delivery's updated_at is its end.
    const finishedAt = f.time(run, ['updated_at']);
    if (name === undefined) f.error(['workflow_run', 'name'], 'required: the workflow name');
    if (f.failed || !id || !finishedAt || !name) return;
    const attempt = typeof run.run_attempt === 'number' ? run.run_attempt : 1;
    const record: PipelineRun = {
      id: `github:run:${id}:${attempt}`,
      pipeline: name,
      status,
      finishedAt,
      source: 'github',
    };
    put(record, 'repository', repository);
    put(record, 'sha', sha);
    put(record, 'ref', nonEmptyString(run.head_branch));
    put(record, 'queuedAt', queuedAt);
    put(record, 'startedAt', startedAt);
    put(record, 'sourceRef', nonEmptyString(run.html_url));
    this.out.add('pipelineRuns', record);
  }

  private workflowJob(): void {
    const f = this.fields;
    const job = f.object(this.payload, ['workflow_job']);
    if (!job) return;
    const conclusion = nonEmptyString(job.conclusion);
    const status = lookup(CONCLUSIONS, conclusion);
    if (status === undefined) {
      this.unused(`no conclusion Pave counts (${conclusion ?? 'none'})`);
      return;
    }
    const id = f.id(job, ['id']);
    const runId = f.id(job, ['run_id']);
    const name = f.string(job, ['name']);
    const sha = f.sha(job, ['head_sha'], false);
    const queuedAt = f.time(job, ['created_at'], false);
    const startedAt = f.time(job, ['started_at'], false);
    const finishedAt = f.time(job, ['completed_at']);
    if (f.failed || !id || !runId || !name || !finishedAt) return;
    const attempt = typeof job.run_attempt === 'number' ? job.run_attempt : 1;
    const record: TaskRun = {
      id: `github:job:${id}`,
      pipelineRunId: `github:run:${runId}:${attempt}`,
      name,
      status,
      finishedAt,
      source: 'github',
    };
    put(record, 'pipeline', nonEmptyString(job.workflow_name));
    put(record, 'sha', sha);
    put(record, 'queuedAt', queuedAt);
    put(record, 'startedAt', startedAt);
    put(record, 'sourceRef', nonEmptyString(job.html_url));
    this.out.add('taskRuns', record);
  }
}
