/**
 * GitLab webhooks to delivery records
 * (https://docs.gitlab.com/user/project/integrations/webhook_events/).
 *
 * Used: `Deployment Hook` (a Deployment, `gitlab:deployment:<deployment_id>`, one report per status
 * change), `Pipeline Hook` with a final status (a PipelineRun and a TaskRun per finished job),
 * `Merge Request Hook` with action `merge` (a PullRequest), or `approval`/`approved` (its first
 * review) and `Push Hook` (a Push and its
 * Commits). Everything else is kept as a raw event. The `X-Gitlab-Token` header is checked with
 * `verifyGitLabToken`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Deployment, DeploymentStatus, PipelineRun, PullRequest, RunStatus, TaskRun } from '../model.js';
import { FINAL_DEPLOYMENT_STATUSES } from '../model.js';
import { idString, isObject, isZeroSha, lookup, nonEmptyString, normaliseSha, put } from './fields.js';
import { bodyDigest, PayloadReader, readWebhookBody } from './payloadReader.js';
import { type IngestOptions, type IngestResult, RecordCollector } from './recordCollector.js';

/** One webhook delivery as the HTTP layer receives it. */
export interface GitLabDelivery {
  /** The `X-Gitlab-Event` header: `Deployment Hook`, `Pipeline Hook`, ... (else `object_kind` decides). */
  event?: string;
  /** The `Idempotency-Key` header (GitLab 17.4+, the same on retries), else `X-Gitlab-Event-UUID`. */
  deliveryId?: string;
  /** The raw body or the parsed JSON. */
  body: unknown;
}

/**
 * Checks `X-Gitlab-Token` against the configured secret token. GitLab sends the token itself (no
 * signature); comparing digests keeps the comparison constant-time whatever the lengths.
 */
export function verifyGitLabToken(header: string | undefined, secret: string): boolean {
  if (header === undefined) return false;
  const given = createHash('sha256').update(header).digest();
  const expected = createHash('sha256').update(secret).digest();
  return timingSafeEqual(given, expected);
}

// `object_kind` of each hook, for deliveries that lost their header.
const KIND_EVENTS: Record<string, string> = {
  deployment: 'Deployment Hook',
  pipeline: 'Pipeline Hook',
  merge_request: 'Merge Request Hook',
  push: 'Push Hook',
  tag_push: 'Tag Push Hook',
  build: 'Job Hook',
};

const DEPLOYMENT_STATUSES: Record<string, DeploymentStatus> = {
  created: 'pending',
  blocked: 'pending',
  running: 'in_progress',
  success: 'success',
  failed: 'failure',
  canceled: 'cancelled',
};

const RUN_STATUSES: Record<string, RunStatus> = {
  success: 'success',
  failed: 'failure',
  canceled: 'cancelled',
  skipped: 'skipped',
};

/** Parses one GitLab webhook delivery. */
export function parseGitLabWebhook(delivery: GitLabDelivery, options: IngestOptions = {}): IngestResult {
  const out = new RecordCollector(options.file ?? 'request body');
  out.events = 1;
  const payload = readWebhookBody(delivery.body, out);
  if (payload) new GitLabReader(out, delivery, payload, options.receivedAt ?? new Date()).read();
  return out.finish(options.atomic);
}

class GitLabReader {
  private readonly fields: PayloadReader;
  private readonly event: string;

  constructor(
    private readonly out: RecordCollector,
    private readonly delivery: GitLabDelivery,
    private readonly payload: Record<string, unknown>,
    private readonly receivedAt: Date,
  ) {
    this.fields = new PayloadReader(out);
    const kind = nonEmptyString(payload.object_kind);
    this.event = delivery.event ?? (kind === undefined ? 'unknown' : (lookup(KIND_EVENTS, kind) ?? kind));
  }

  read(): void {
    switch (this.event) {
      case 'Deployment Hook':
        this.deployment();
        return;
      case 'Pipeline Hook':
        this.pipeline();
        return;
      case 'Merge Request Hook':
        this.mergeRequest();
        return;
      case 'Push Hook':
        this.push();
        return;
      default:
        this.unused('not an event Pave uses');
        return;
    }
  }

  private unused(reason: string): void {
    const action = nonEmptyString(this.fields.at(this.payload, ['object_attributes', 'action']));
    const status = nonEmptyString(this.fields.at(this.payload, ['object_attributes', 'status']));
    const detail = action ?? status;
    this.out.addRaw({
      id: `gitlab:${this.delivery.deliveryId ?? bodyDigest(this.delivery.body)}`,
      source: 'gitlab',
      type: detail === undefined ? this.event : `${this.event}.${detail}`,
      receivedAt: this.receivedAt.toISOString(),
      reason,
      payload: this.payload,
    });
  }

  private project(): string | undefined {
    return this.fields.string(this.payload, ['project', 'path_with_namespace']);
  }

  private deployment(): void {
    const f = this.fields;
    const repository = this.project();
    const id = f.id(this.payload, ['deployment_id']);
    const state = f.string(this.payload, ['status']);
    const at = f.time(this.payload, ['status_changed_at']);
    const environment = f.string(this.payload, ['environment']);
    const tier = f.string(this.payload, ['environment_tier'], false);
    // The payload has only `short_sha`; `commit_url` ends with the full one.
    const commitUrl = nonEmptyString(this.payload.commit_url);
    const sha =
      normaliseSha(commitUrl?.slice(commitUrl.lastIndexOf('/') + 1)) ??
      f.sha(this.payload, ['short_sha'], false);
    if (f.failed || !repository || !id || !state || !at || !environment) return;
    const status = lookup(DEPLOYMENT_STATUSES, state);
    if (status === undefined) {
      this.unused(`a deployment status Pave does not count (${state})`);
      return;
    }
    const deployment: Deployment = {
      id: `gitlab:deployment:${id}`,
      service: repository,
      environment,
      status,
      statusAt: at,
      repository,
      source: 'gitlab',
    };
    if (tier !== undefined) deployment.production = tier === 'production';
    put(deployment, 'sha', sha);
    if (status === 'in_progress') deployment.startedAt = at;
    if (FINAL_DEPLOYMENT_STATUSES.has(status)) deployment.finishedAt = at;
    put(deployment, 'sourceRef', nonEmptyString(this.payload.deployable_url));
    this.out.add('deployments', deployment);
  }

  private pipeline(): void {
    const f = this.fields;
    const attributes = f.object(this.payload, ['object_attributes']);
    if (!attributes) return;
    const state = nonEmptyString(attributes.status);
    const status = lookup(RUN_STATUSES, state);
    if (status === undefined) {
      this.unused('only finished pipelines are used');
      return;
    }
    const repository = this.project();
    const id = f.id(attributes, ['id']);
    const sha = f.sha(attributes, ['sha'], false);
    const queuedAt = f.time(attributes, ['created_at'], false);
    const finishedAt = f.time(attributes, ['finished_at']);
    if (f.failed || !repository || !id || !finishedAt) return;
    const run: PipelineRun = {
      // Pipeline ids are unique in a GitLab instance; a retried job re-sends the same pipeline.
      id: `gitlab:pipeline:${id}`,
      // One `.gitlab-ci.yml` per project: the project names the pipeline (`name` often carries the branch).
      pipeline: repository,
      repository,
      status,
      finishedAt,
      source: 'gitlab',
    };
    put(run, 'sha', sha);
    put(run, 'ref', nonEmptyString(attributes.ref));
    put(run, 'queuedAt', queuedAt);
    put(run, 'startedAt', startOf(queuedAt, attributes.queued_duration, finishedAt, attributes.duration));
    put(run, 'sourceRef', nonEmptyString(attributes.url));
    this.out.add('pipelineRuns', run);
    const builds = this.payload.builds;
    if (!Array.isArray(builds)) return;
    for (let i = 0; i < builds.length; i++) {
      const build: unknown = builds[i];
      if (!isObject(build)) continue;
      const buildStatus = lookup(RUN_STATUSES, build.status);
      const buildId = idString(build.id);
      const name = nonEmptyString(build.name);
      const buildFinished = f.time(builds, [i, 'finished_at'], false);
      // Jobs that never ran (manual, created, skipped ones) have no finish time: nothing to count.
      if (buildStatus === undefined || buildId === undefined || name === undefined || !buildFinished)
        continue;
      const task: TaskRun = {
        id: `gitlab:job:${buildId}`,
        pipelineRunId: run.id,
        name,
        pipeline: repository,
        status: buildStatus,
        finishedAt: buildFinished,
        source: 'gitlab',
      };
      put(task, 'sha', sha);
      put(task, 'queuedAt', f.time(builds, [i, 'created_at'], false));
      put(task, 'startedAt', f.time(builds, [i, 'started_at'], false));
      this.out.add('taskRuns', task);
    }
  }

  private mergeRequest(): void {
    const f = this.fields;
    const attributes = f.object(this.payload, ['object_attributes']);
    if (!attributes) return;
    if (attributes.action === 'approval' || attributes.action === 'approved') {
      this.mergeRequestApproval(attributes);
      return;
    }
    if (attributes.action !== 'merge') {
      this.unused('only merged and approved merge requests are used');
      return;
    }
    const id = f.id(attributes, ['id']);
    const repository = nonEmptyString(f.at(attributes, ['target', 'path_with_namespace'])) ?? this.project();
    const createdAt = f.time(attributes, ['created_at'], false);
    // Merge request hooks carry no merged_at: the `merge` delivery's updated_at is the merge.
    const mergedAt = f.time(attributes, ['merged_at'], false) ?? f.time(attributes, ['updated_at']);
    const mergeCommitSha = f.sha(attributes, ['merge_commit_sha'], false);
    const headSha = f.sha(attributes, ['last_commit', 'id'], false);
    if (f.failed || !id || !repository) return;
    const record: PullRequest = { id: `gitlab:mr:${id}`, repository, source: 'gitlab' };
    if (typeof attributes.iid === 'number') record.number = attributes.iid;
    put(record, 'title', nonEmptyString(attributes.title));
    put(record, 'createdAt', createdAt);
    put(record, 'mergedAt', mergedAt);
    put(record, 'mergeCommitSha', mergeCommitSha);
    put(record, 'headSha', headSha);
    put(record, 'baseRef', nonEmptyString(attributes.target_branch));
    put(record, 'sourceRef', nonEmptyString(attributes.url));
    this.out.add('pullRequests', record);
  }

  /**
   * An approval: the merge request's first review (GitLab sends no hook for a review as such; the
   * delivery's `updated_at` is when it was approved). The earliest of several is kept.
   */
  private mergeRequestApproval(attributes: Record<string, unknown>): void {
    const f = this.fields;
    const approver = f.at(this.payload, ['user', 'id']);
    if (approver !== undefined && approver === attributes.author_id) {
      this.unused("an approval by the merge request's author");
      return;
    }
    const id = f.id(attributes, ['id']);
    const repository = nonEmptyString(f.at(attributes, ['target', 'path_with_namespace'])) ?? this.project();
    const createdAt = f.time(attributes, ['created_at'], false);
    const approvedAt = f.time(attributes, ['updated_at']);
    if (f.failed || !id || !repository) return;
    const record: PullRequest = { id: `gitlab:mr:${id}`, repository, source: 'gitlab' };
    if (typeof attributes.iid === 'number') record.number = attributes.iid;
    put(record, 'createdAt', createdAt);
    put(record, 'firstReviewAt', approvedAt);
    put(record, 'approvedAt', approvedAt);
    this.out.add('pullRequests', record);
  }

  private push(): void {
    const f = this.fields;
    const repository = this.project();
    const ref = f.string(this.payload, ['ref']);
    const before = f.string(this.payload, ['before']);
    const after = f.string(this.payload, ['after']);
    const commits = f.array(this.payload, ['commits']);
    if (f.failed || !repository || !ref || !before || !after || !commits) return;
    if (isZeroSha(after)) {
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
        source: 'gitlab',
      });
    }
    if (f.failed) return;
    const total = this.payload.total_commits_count;
    if (typeof total === 'number' && total > commits.length) {
      f.warn(
        ['commits'],
        `GitLab sent ${commits.length} of the ${total} commits of this push (it sends the newest 20); ingest the git history for the others`,
      );
    }
    this.out.add('pushes', {
      id: `gitlab:push:${repository}:${ref}:${before}..${after}`,
      repository,
      ref,
      before,
      after,
      commits: shas,
      source: 'gitlab',
    });
  }
}

/** When a pipeline started running: created + queued time, else finished - running time. */
function startOf(
  createdAt: string | undefined,
  queuedSeconds: unknown,
  finishedAt: string,
  durationSeconds: unknown,
): string | undefined {
  if (createdAt !== undefined && typeof queuedSeconds === 'number') {
    return new Date(Date.parse(createdAt) + queuedSeconds * 1000).toISOString();
  }
  if (typeof durationSeconds === 'number') {
    return new Date(Date.parse(finishedAt) - durationSeconds * 1000).toISOString();
  }
  return undefined;
}
