import { describe, expect, it } from 'vitest';
import { mergeDefined, mergeDeployment, mergePullRequest } from './mergeRecords.js';
import type { Deployment } from './model.js';

const base: Deployment = {
  id: 'd1',
  service: 'component:default/checkout',
  environment: 'production',
  status: 'pending',
  source: 'github',
};

describe('mergeDeployment', () => {
  const queued: Deployment = {
    ...base,
    status: 'queued',
    startedAt: '2024-01-01T10:00:00.000Z',
    statusAt: '2024-01-01T10:00:00.000Z',
    sha: 'abcdef1',
  };
  const running: Deployment = {
    ...base,
    status: 'in_progress',
    statusAt: '2024-01-01T10:01:00.000Z',
    startedAt: '2024-01-01T10:01:00.000Z',
  };
  const done: Deployment = {
    ...base,
    status: 'success',
    statusAt: '2024-01-01T10:05:00.000Z',
    finishedAt: '2024-01-01T10:05:00.000Z',
  };

  it('ends in the same state whatever order the reports arrive in', () => {
    const orders = [
      [queued, running, done],
      [done, running, queued],
      [running, done, queued],
      [done, queued, running],
    ];
    for (const order of orders) {
      const merged = order.reduce((a, b) => mergeDeployment(a, b));
      expect(merged).toEqual({
        ...base,
        status: 'success',
        sha: 'abcdef1',
        startedAt: '2024-01-01T10:00:00.000Z',
        statusAt: '2024-01-01T10:05:00.000Z',
        finishedAt: '2024-01-01T10:05:00.000Z',
      });
    }
  });

  it('never lets a non-final report at the same time reopen a finished deployment', () => {
    const lateRunning: Deployment = { ...running, statusAt: done.statusAt };
    expect(mergeDeployment(done, lateRunning).status).toBe('success');
    expect(mergeDeployment(lateRunning, done).status).toBe('success');
  });

  it('lets a later failure override an earlier success (a redeploy reported failed)', () => {
    const failed: Deployment = { ...base, status: 'failure', statusAt: '2024-01-01T11:00:00.000Z' };
    expect(mergeDeployment(done, failed)).toMatchObject({
      status: 'failure',
      finishedAt: '2024-01-01T11:00:00.000Z',
    });
  });

  it('keeps earlier fields the later report does not have', () => {
    expect(mergeDeployment({ ...queued, rollbackOf: 'd0' }, done)).toMatchObject({
      rollbackOf: 'd0',
      sha: 'abcdef1',
    });
  });
});

describe('mergePullRequest and mergeDefined', () => {
  it('keeps the earliest creation and adds the merge', () => {
    const created = {
      id: 'p',
      repository: 'r',
      source: 'cdevents' as const,
      createdAt: '2024-01-02T00:00:00.000Z',
    };
    const merged = {
      id: 'p',
      repository: 'r',
      source: 'cdevents' as const,
      createdAt: '2024-01-03T00:00:00.000Z',
      mergedAt: '2024-01-04T00:00:00.000Z',
    };
    expect(mergePullRequest(merged, created)).toEqual({ ...merged, createdAt: '2024-01-02T00:00:00.000Z' });
  });

  it('keeps the earliest review whatever order the reviews and the merge arrive in', () => {
    const base = { id: 'p', repository: 'r', source: 'github' as const };
    const second = { ...base, firstReviewAt: '2024-01-03T10:00:00.000Z' };
    const first = {
      ...base,
      firstReviewAt: '2024-01-03T09:00:00.000Z',
      approvedAt: '2024-01-03T09:00:00.000Z',
    };
    const merge = { ...base, mergedAt: '2024-01-04T00:00:00.000Z' };
    const expected = { ...base, ...first, mergedAt: merge.mergedAt };
    expect(mergePullRequest(mergePullRequest(first, merge), second)).toEqual(expected);
    expect(mergePullRequest(mergePullRequest(second, first), merge)).toEqual(expected);
  });

  it('does not erase a field with undefined', () => {
    expect(mergeDefined({ a: 1, b: 2 }, { a: 3, b: undefined })).toEqual({ a: 3, b: 2 });
  });
});
