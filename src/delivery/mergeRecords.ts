/**
 * How two records with the same id become one. Events arrive out of order and in pieces (GitHub
 * sends `deployment` then `deployment_status`, sometimes the other way round; a retried webhook
 * repeats one), so a record is never simply overwritten: these rules decide, the same in a batch
 * and in storage.
 */
import { type Commit, type Deployment, FINAL_DEPLOYMENT_STATUSES, type PullRequest } from './model.js';

/** `b`'s defined fields over `a`'s: a later report adds to an earlier one without erasing it. */
export function mergeDefined<T extends object>(a: T, b: T): T {
  const merged = { ...a } as Record<string, unknown>;
  for (const [key, value] of Object.entries(b)) {
    if (value !== undefined) merged[key] = value;
  }
  return merged as T;
}

/**
 * Merges two reports of one deployment:
 * - the status comes from the later report (`statusAt`; a missing `statusAt` is the earliest); on
 *   a tie a final status (success, failure, cancelled) beats a non-final one, so a late
 *   `in_progress` never reopens a finished deployment;
 * - `startedAt` is the earliest known, `finishedAt` belongs to the final status;
 * - every other field: the later report's when it has one, otherwise the earlier's.
 */
export function mergeDeployment(a: Deployment, b: Deployment): Deployment {
  const [earlier, later] = isLaterReport(b, a) ? [a, b] : [b, a];
  const merged = mergeDefined(earlier, later);
  merged.startedAt = minTime(a.startedAt, b.startedAt);
  merged.finishedAt = FINAL_DEPLOYMENT_STATUSES.has(later.status)
    ? (later.finishedAt ?? later.statusAt ?? earlier.finishedAt)
    : undefined;
  if (merged.finishedAt === undefined) delete merged.finishedAt;
  if (merged.startedAt === undefined) delete merged.startedAt;
  return merged;
}

/** True when `b` reports a later state than `a`. */
function isLaterReport(b: Deployment, a: Deployment): boolean {
  const at = a.statusAt ?? '';
  const bt = b.statusAt ?? '';
  if (bt !== at) return bt > at;
  const aFinal = FINAL_DEPLOYMENT_STATUSES.has(a.status);
  const bFinal = FINAL_DEPLOYMENT_STATUSES.has(b.status);
  if (aFinal !== bFinal) return bFinal;
  return true;
}

/** Merges two reports of one pull request: the earliest creation, first review and approval; the later report's other fields. */
export function mergePullRequest(a: PullRequest, b: PullRequest): PullRequest {
  const merged = mergeDefined(a, b);
  // Reviews arrive one by one, in any order: the first review and approval are the earliest.
  for (const field of ['createdAt', 'firstReviewAt', 'approvedAt'] as const) {
    const earliest = minTime(a[field], b[field]);
    if (earliest !== undefined) merged[field] = earliest;
  }
  return merged;
}

/**
 * Merges two reports of one commit. Local git history is exact (parents, author and committer
 * dates) while a push payload carries one timestamp and no parents: a `git` report's fields win,
 * and the other report only fills what it left unknown.
 */
export function mergeCommit(a: Commit, b: Commit): Commit {
  if (a.source === 'git' && b.source !== 'git') return mergeDefined(b, a);
  return mergeDefined(a, b);
}

// ISO 8601 UTC strings of one format compare as text.
function minTime(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? a : b;
}
