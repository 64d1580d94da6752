import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mergeDeployment } from '../mergeRecords.js';
import { countRecords, expectValidRecords, fixturePath } from '../testing/records.js';
import { parseGitHubWebhook, verifyGitHubSignature } from './github.js';

const root = fixturePath('github-webhooks', 'payload-examples', 'api.github.com');
const receivedAt = new Date('2024-06-01T00:00:00Z');

function body(event: string, file: string): string {
  return readFileSync(`${root}/${event}/${file}`, 'utf8');
}

// biome-ignore lint/suspicious/noExplicitAny: tests edit the fixture payloads freely
function payload(event: string, file: string): Record<string, any> {
  return JSON.parse(body(event, file));
}

const USED_EVENTS = [
  'deployment',
  'deployment_status',
  'push',
  'pull_request',
  'workflow_run',
  'workflow_job',
];

describe('parseGitHubWebhook: the fixture payloads', () => {
  for (const event of readdirSync(root)) {
    for (const file of readdirSync(`${root}/${event}`)) {
      it(`accepts ${event}/${file}`, () => {
        const result = parseGitHubWebhook(
          { event, deliveryId: 'delivery-1', body: body(event, file) },
          { receivedAt },
        );
        expect(result.problems).toEqual([]);
        expectValidRecords(result.records);
        const counts = countRecords(result.records);
        if (!USED_EVENTS.includes(event)) {
          expect(counts).toEqual({ rawEvents: 1 });
          expect(result.unused).toEqual([
            {
              type: `${event}${payload(event, file).action ? `.${payload(event, file).action}` : ''}`,
              count: 1,
              reason: 'not an event Pave uses',
            },
          ]);
          expect(result.records.rawEvents[0]).toMatchObject({ id: 'github:delivery-1', source: 'github' });
        } else {
          expect(Object.keys(counts).length).toBeGreaterThan(0);
        }
      });
    }
  }
});

describe('parseGitHubWebhook: deployments', () => {
  it('reads a deployment: pending, started at its creation', () => {
    const result = parseGitHubWebhook({ event: 'deployment', body: body('deployment', 'payload.json') });
    expect(result.records.deployments).toEqual([
      {
        id: 'github:deployment:145988746',
        service: 'Codertocat/Hello-World',
        environment: 'production',
        sha: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
        status: 'pending',
        startedAt: '2019-05-15T15:20:53.000Z',
        statusAt: '2019-05-15T15:20:53.000Z',
        repository: 'Codertocat/Hello-World',
        source: 'github',
        sourceRef: 'https://api.github.com/repos/Codertocat/Hello-World/deployments/145988746',
      },
    ]);
  });

  it('reads a deployment status: success finishes it', () => {
    const result = parseGitHubWebhook({
      event: 'deployment_status',
      body: body('deployment_status', 'payload.json'),
    });
    expect(result.records.deployments[0]).toMatchObject({
      id: 'github:deployment:145988746',
      status: 'success',
      startedAt: '2019-05-15T15:20:53.000Z',
      finishedAt: '2019-05-15T15:20:55.000Z',
      statusAt: '2019-05-15T15:20:55.000Z',
    });
  });

  it("keeps GitHub's production_environment flag", () => {
    const result = parseGitHubWebhook({
      event: 'deployment_status',
      body: body('deployment_status', 'gh-pages.payload.json'),
    });
    expect(result.records.deployments[0]).toMatchObject({
      environment: 'github-pages',
      production: false,
      status: 'in_progress',
    });
    expect(result.records.deployments[0]!.finishedAt).toBeUndefined();
  });

  it('maps every deployment state, and keeps inactive raw', () => {
    const states = ['pending', 'queued', 'in_progress', 'success', 'failure', 'error'];
    const statuses = states.map((state) => {
      const p = payload('deployment_status', 'payload.json');
      p.deployment_status.state = state;
      return parseGitHubWebhook({ event: 'deployment_status', body: p }).records.deployments[0]?.status;
    });
    expect(statuses).toEqual(['pending', 'queued', 'in_progress', 'success', 'failure', 'failure']);
    const p = payload('deployment_status', 'payload.json');
    p.deployment_status.state = 'inactive';
    const inactive = parseGitHubWebhook({ event: 'deployment_status', body: p });
    expect(countRecords(inactive.records)).toEqual({ rawEvents: 1 });
    expect(inactive.unused[0]!.type).toBe('deployment_status.created');
  });

  it('takes the service and rework markers from the deployment payload', () => {
    const p = payload('deployment', 'payload.json');
    p.deployment.payload = {
      'pave.dev/service': 'component:default/hello',
      'pave.dev/remediates': 'github:deployment:1',
      'pave.dev/unplanned': true,
    };
    expect(parseGitHubWebhook({ event: 'deployment', body: p }).records.deployments[0]).toMatchObject({
      service: 'component:default/hello',
      remediates: 'github:deployment:1',
      unplanned: true,
    });
  });

  it('accepts a deployment_status before its deployment: the merged record is the finished deployment', () => {
    const status = parseGitHubWebhook({
      event: 'deployment_status',
      body: body('deployment_status', 'payload.json'),
    });
    const created = parseGitHubWebhook({ event: 'deployment', body: body('deployment', 'payload.json') });
    const [late] = created.records.deployments;
    const [early] = status.records.deployments;
    // Whatever the order storage sees them in, the deployment ends finished.
    for (const merged of [mergeDeployment(early!, late!), mergeDeployment(late!, early!)]) {
      expect(merged).toMatchObject({
        status: 'success',
        startedAt: '2019-05-15T15:20:53.000Z',
        finishedAt: '2019-05-15T15:20:55.000Z',
      });
    }
  });
});

describe('parseGitHubWebhook: pushes, pull requests, workflows', () => {
  it('reads a push: the push and its commits', () => {
    const result = parseGitHubWebhook({ event: 'push', body: body('push', 'with-new-branch.payload.json') });
    expect(result.records.pushes).toEqual([
      {
        id: 'github:push:Codertocat/Hello-World:refs/heads/master:0000000000000000000000000000000000000000..6113728f27ae82c7b1a177c8d03f9e96e0adf246',
        repository: 'Codertocat/Hello-World',
        ref: 'refs/heads/master',
        before: '0000000000000000000000000000000000000000',
        after: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
        commits: ['6113728f27ae82c7b1a177c8d03f9e96e0adf246'],
        pushedAt: new Date(
          payload('push', 'with-new-branch.payload.json').repository.pushed_at * 1000,
        ).toISOString(),
        source: 'github',
      },
    ]);
    expect(result.records.commits).toEqual([
      {
        sha: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
        committedAt: '2019-05-15T15:19:25.000Z',
        repository: 'Codertocat/Hello-World',
        source: 'github',
      },
    ]);
  });

  it('keeps a push that deletes a ref raw', () => {
    const result = parseGitHubWebhook({ event: 'push', body: body('push', 'payload.json') });
    expect(result.unused).toEqual([{ type: 'push', count: 1, reason: 'deletes a ref' }]);
  });

  it('reads a merged pull request (the fixtures have none: one is made from closed.payload.json)', () => {
    const p = payload('pull_request', 'closed.payload.json');
    expect(parseGitHubWebhook({ event: 'pull_request', body: p }).unused[0]!.reason).toBe(
      'closed without merging',
    );
    p.pull_request.merged = true;
    p.pull_request.merged_at = '2019-05-15T15:21:18Z';
    p.pull_request.merge_commit_sha = 'c4295bd74fb0f4fda03689c3df3f2803b658fd85';
    const result = parseGitHubWebhook({ event: 'pull_request', body: p });
    expect(result.problems).toEqual([]);
    expect(result.records.pullRequests).toEqual([
      {
        id: 'github:pr:279147437',
        repository: 'Codertocat/Hello-World',
        number: 2,
        title: 'Update the README with new information.',
        createdAt: '2019-05-15T15:20:33.000Z',
        mergedAt: '2019-05-15T15:21:18.000Z',
        mergeCommitSha: 'c4295bd74fb0f4fda03689c3df3f2803b658fd85',
        headSha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
        baseRef: 'master',
        source: 'github',
        sourceRef: 'https://github.com/Codertocat/Hello-World/pull/2',
      },
    ]);
  });

  it('reads a submitted review as the first review of its pull request (made from closed.payload.json)', () => {
    const p = payload('pull_request', 'closed.payload.json');
    const review = (state: string, reviewer: number) => ({
      action: 'submitted',
      review: { id: 80, user: { id: reviewer }, state, submitted_at: '2019-05-15T15:21:00Z' },
      pull_request: p.pull_request,
      repository: p.repository,
    });
    const result = parseGitHubWebhook({ event: 'pull_request_review', body: review('approved', 1) });
    expect(result.problems).toEqual([]);
    expect(result.records.pullRequests).toEqual([
      {
        id: 'github:pr:279147437',
        repository: 'Codertocat/Hello-World',
        number: 2,
        createdAt: '2019-05-15T15:20:33.000Z',
        firstReviewAt: '2019-05-15T15:21:00.000Z',
        approvedAt: '2019-05-15T15:21:00.000Z',
        source: 'github',
      },
    ]);
    const commented = parseGitHubWebhook({ event: 'pull_request_review', body: review('commented', 1) });
    expect(commented.records.pullRequests[0]).not.toHaveProperty('approvedAt');
    // The author commenting on their own pull request is not a review.
    const own = parseGitHubWebhook({
      event: 'pull_request_review',
      body: review('commented', p.pull_request.user.id),
    });
    expect(own.records.pullRequests).toEqual([]);
    expect(own.unused[0]!.reason).toBe("a review by the pull request's author");
    const dismissed = parseGitHubWebhook({
      event: 'pull_request_review',
      body: { ...review('approved', 1), action: 'dismissed' },
    });
    expect(dismissed.unused[0]!.type).toBe('pull_request_review.dismissed');
  });

  it('reads a completed workflow run with its queue, start and end', () => {
    const result = parseGitHubWebhook({
      event: 'workflow_run',
      body: body('workflow_run', 'completed.payload.json'),
    });
    expect(result.records.pipelineRuns).toEqual([
      {
        id: 'github:run:289782451:1',
        pipeline: 'test',
        repository: 'octo-org/octo-repo',
        sha: '3484a3fb816e0859fd6e1cea078d76385ff50625',
        ref: 'master',
        status: 'success',
        queuedAt: '2020-10-05T16:33:24.000Z',
        startedAt: '2020-10-05T16:33:49.000Z',
        finishedAt: '2020-10-05T16:33:49.000Z',
        source: 'github',
        sourceRef: 'https://github.com/octo-org/octo-repo/actions/runs/289782451',
      },
    ]);
  });

  it('maps workflow conclusions, and keeps a run without one raw', () => {
    const conclusions = [
      'success',
      'failure',
      'timed_out',
      'cancelled',
      'skipped',
      'neutral',
      'startup_failure',
    ];
    const statuses = conclusions.map((conclusion) => {
      const p = payload('workflow_run', 'completed.payload.json');
      p.workflow_run.conclusion = conclusion;
      return parseGitHubWebhook({ event: 'workflow_run', body: p }).records.pipelineRuns[0]?.status;
    });
    expect(statuses).toEqual(['success', 'failure', 'failure', 'cancelled', 'skipped', 'skipped', 'failure']);
    const inherited = payload('workflow_run', 'completed.payload.json');
    inherited.workflow_run.conclusion = 'toString';
    expect(countRecords(parseGitHubWebhook({ event: 'workflow_run', body: inherited }).records)).toEqual({
      rawEvents: 1,
    });
    const p = payload('workflow_run', 'completed.payload.json');
    p.workflow_run.conclusion = null;
    expect(parseGitHubWebhook({ event: 'workflow_run', body: p }).unused[0]!.reason).toBe(
      'no conclusion Pave counts (none)',
    );
  });

  it('reads a completed workflow job, linked to its run attempt', () => {
    const result = parseGitHubWebhook({
      event: 'workflow_job',
      body: body('workflow_job', 'completed.failure.with-organization.payload.json'),
    });
    expect(result.records.taskRuns).toEqual([
      {
        id: 'github:job:289782451',
        pipelineRunId: 'github:run:2202229078:1',
        name: 'linters',
        pipeline: 'CodeQL',
        sha: '3484a3fb816e0859fd6e1cea078d76385ff50625',
        status: 'failure',
        queuedAt: '2021-08-05T10:33:58.000Z',
        startedAt: '2021-08-05T10:34:58.000Z',
        finishedAt: '2021-08-05T10:38:16.000Z',
        source: 'github',
        sourceRef: 'https://github.com/octo-org/octo-repo/runs/1291536064',
      },
    ]);
  });

  it('handles a push of 10,000 commits', () => {
    const p = payload('push', 'with-new-branch.payload.json');
    const template = p.commits[0];
    p.commits = Array.from({ length: 10_000 }, (_, i) => ({
      ...template,
      id: i.toString(16).padStart(40, '0'),
    }));
    const result = parseGitHubWebhook({ event: 'push', body: JSON.stringify(p) });
    expect(result.records.commits).toHaveLength(10_000);
    expect(result.records.pushes[0]!.commits).toHaveLength(10_000);
  });
});

describe('parseGitHubWebhook: bad input', () => {
  it('locates a syntax error in the body', () => {
    const result = parseGitHubWebhook({ event: 'push', body: '{\n  "ref": "x",\n  "before": \n}' });
    expect(result.problems).toEqual([
      {
        severity: 'error',
        message: "invalid JSON: unexpected '}': expected a JSON value",
        location: { file: 'request body', line: 4, column: 1 },
      },
    ]);
    expect(countRecords(result.records)).toEqual({});
  });

  it('names each missing or mistyped field by its pointer, and stores nothing', () => {
    const p = payload('deployment', 'payload.json');
    delete p.deployment.sha;
    p.deployment.environment = 42;
    p.deployment.created_at = 'yesterday';
    const result = parseGitHubWebhook({ event: 'deployment', body: p });
    expect(countRecords(result.records)).toEqual({});
    expect(result.problems.map((problem) => [problem.location?.pointer, problem.message])).toEqual([
      ['/deployment/environment', 'must be a string, not 42'],
      ['/deployment/sha', 'required'],
      ['/deployment/created_at', '"yesterday" is not a timestamp'],
    ]);
  });

  it('needs the event header', () => {
    const result = parseGitHubWebhook({ event: '', body: body('deployment', 'payload.json') });
    expect(countRecords(result.records)).toEqual({});
    expect(result.problems[0]!.message).toBe(
      'the X-GitHub-Event header is missing: Pave cannot tell what the payload is',
    );
  });

  it('rejects a body that is not an object', () => {
    const result = parseGitHubWebhook({ event: 'push', body: '[]' });
    expect(result.problems[0]!.message).toBe('a webhook payload must be a JSON object, not an array');
  });

  it('reads form-encoded deliveries', () => {
    const form = `payload=${encodeURIComponent(body('deployment', 'payload.json'))}`;
    expect(parseGitHubWebhook({ event: 'deployment', body: form }).records.deployments).toHaveLength(1);
  });

  it('gives a redelivery the same ids', () => {
    const first = parseGitHubWebhook({
      event: 'release',
      deliveryId: 'abc',
      body: body('release', 'created.payload.json'),
    });
    const again = parseGitHubWebhook({
      event: 'release',
      deliveryId: 'abc',
      body: body('release', 'created.payload.json'),
    });
    expect(again.records.rawEvents[0]!.id).toBe(first.records.rawEvents[0]!.id);
    // Without a delivery id, the body's digest stands in.
    const noId = parseGitHubWebhook({ event: 'release', body: body('release', 'created.payload.json') });
    expect(noId.records.rawEvents[0]!.id).toMatch(/^github:[0-9a-f]{32}$/);
  });
});

describe('verifyGitHubSignature', () => {
  it("matches GitHub's documented example", () => {
    // https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation
    expect(
      verifyGitHubSignature(
        'Hello, World!',
        'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
        "It's a Secret to Everybody",
      ),
    ).toBe(true);
  });

  it('accepts the signature of the exact body and nothing else', () => {
    const raw = body('push', 'with-new-branch.payload.json');
    const secret = 'webhook-secret';
    const signature = `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
    expect(verifyGitHubSignature(raw, signature, secret)).toBe(true);
    expect(verifyGitHubSignature(Buffer.from(raw), signature, secret)).toBe(true);
    expect(verifyGitHubSignature(`${raw} `, signature, secret)).toBe(false);
    expect(verifyGitHubSignature(raw, signature, 'other-secret')).toBe(false);
    expect(verifyGitHubSignature(raw, undefined, secret)).toBe(false);
    expect(verifyGitHubSignature(raw, signature.replace('sha256=', 'sha1='), secret)).toBe(false);
    expect(verifyGitHubSignature(raw, signature.slice(0, -2), secret)).toBe(false);
    expect(verifyGitHubSignature(raw, `${signature.slice(0, -1)}z`, secret)).toBe(false);
    expect(verifyGitHubSignature(raw, 'sha256=', secret)).toBe(false);
  });
});
