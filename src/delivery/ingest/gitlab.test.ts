import { describe, expect, it } from 'vitest';
import { mergeDeployment } from '../mergeRecords.js';
import { countRecords, expectValidRecords } from '../testing/records.js';
import { parseGitLabWebhook, verifyGitLabToken } from './gitlab.js';

// There is no GitLab fixture: these payloads are GitLab's documented examples, from
// https://docs.gitlab.com/user/project/integrations/webhook_events/ (doc/user/project/integrations/
// webhook_events.md in gitlab-org/gitlab), with user and avatar details shortened.

const deploymentHook = {
  object_kind: 'deployment',
  status: 'success',
  status_changed_at: '2021-04-28 21:50:00 +0200',
  deployment_id: 15,
  deployable_id: 796,
  deployable_url: 'http://10.126.0.2:3000/root/test-deployment-webhooks/-/jobs/796',
  environment: 'staging',
  environment_tier: 'staging',
  environment_slug: 'staging',
  environment_external_url: 'https://staging.example.com',
  project: {
    id: 30,
    name: 'test-deployment-webhooks',
    description: '',
    web_url: 'http://10.126.0.2:3000/root/test-deployment-webhooks',
    avatar_url: null,
    git_ssh_url: 'ssh://vlad@10.126.0.2:2222/root/test-deployment-webhooks.git',
    git_http_url: 'http://10.126.0.2:3000/root/test-deployment-webhooks.git',
    namespace: 'Administrator',
    visibility_level: 0,
    path_with_namespace: 'root/test-deployment-webhooks',
    default_branch: 'master',
    ci_config_path: '',
    homepage: 'http://10.126.0.2:3000/root/test-deployment-webhooks',
    url: 'ssh://vlad@10.126.0.2:2222/root/test-deployment-webhooks.git',
    ssh_url: 'ssh://vlad@10.126.0.2:2222/root/test-deployment-webhooks.git',
    http_url: 'http://10.126.0.2:3000/root/test-deployment-webhooks.git',
  },
  short_sha: '279484c0',
  user: { id: 1, name: 'Administrator', username: 'root', email: 'admin@example.com' },
  user_url: 'http://10.126.0.2:3000/root',
  commit_url:
    'http://10.126.0.2:3000/root/test-deployment-webhooks/-/commit/279484c09fbe69ededfced8c1bb6e6d24616b468',
  commit_title: 'Add new file',
};

const build = (
  id: number,
  stage: string,
  name: string,
  status: string,
  started: string | null,
  finished: string | null,
) => ({
  id,
  stage,
  name,
  status,
  created_at: '2016-08-12 15:23:28 UTC',
  started_at: started,
  finished_at: finished,
  duration: finished ? 17.0 : null,
  queued_duration: finished ? 196.0 : null,
  failure_reason: status === 'failed' ? 'script_failure' : null,
  when: name === 'production' ? 'manual' : 'on_success',
  manual: name === 'production',
  allow_failure: false,
  user: { id: 1, name: 'Administrator', username: 'root' },
  runner: null,
  artifacts_file: { filename: null, size: null },
  environment: null,
});

const pipelineHook = {
  object_kind: 'pipeline',
  object_attributes: {
    id: 31,
    iid: 3,
    name: 'Pipeline for branch: master',
    ref: 'master',
    tag: false,
    sha: 'bcbb5ec396a2c0f828686f14fac9b80b780504f2',
    before_sha: 'bcbb5ec396a2c0f828686f14fac9b80b780504f2',
    source: 'merge_request_event',
    status: 'success',
    stages: ['build', 'test', 'deploy'],
    created_at: '2016-08-12 15:23:28 UTC',
    finished_at: '2016-08-12 15:26:29 UTC',
    duration: 63,
    variables: [{ key: 'NESTOR_PROD_ENVIRONMENT', value: 'us-west-1' }],
    url: 'http://example.com/gitlab-org/gitlab-test/-/pipelines/31',
  },
  merge_request: {
    id: 1,
    iid: 1,
    title: 'Test',
    source_branch: 'test',
    target_branch: 'master',
    state: 'opened',
  },
  user: { id: 1, name: 'Administrator', username: 'root' },
  project: {
    id: 1,
    name: 'Gitlab Test',
    web_url: 'http://192.168.64.1:3005/gitlab-org/gitlab-test',
    path_with_namespace: 'gitlab-org/gitlab-test',
    default_branch: 'master',
  },
  commit: {
    id: 'bcbb5ec396a2c0f828686f14fac9b80b780504f2',
    message: 'test\n',
    timestamp: '2016-08-12T17:23:21+02:00',
    url: 'http://example.com/gitlab-org/gitlab-test/commit/bcbb5ec396a2c0f828686f14fac9b80b780504f2',
    author: { name: 'User', email: 'user@gitlab.com' },
  },
  builds: [
    build(380, 'deploy', 'production', 'skipped', null, null),
    build(377, 'test', 'test-image', 'success', '2016-08-12 15:26:12 UTC', '2016-08-12 15:26:29 UTC'),
    build(378, 'test', 'test-build', 'failed', '2016-08-12 15:26:12 UTC', '2016-08-12 15:26:29 UTC'),
    build(376, 'build', 'build-image', 'success', '2016-08-12 15:24:56 UTC', '2016-08-12 15:25:26 UTC'),
    build(379, 'deploy', 'staging', 'created', null, null),
  ],
};

const project = {
  id: 1,
  name: 'Gitlab Test',
  web_url: 'http://example.com/gitlabhq/gitlab-test',
  path_with_namespace: 'gitlabhq/gitlab-test',
  default_branch: 'master',
};

const mergeRequestHook = {
  object_kind: 'merge_request',
  event_type: 'merge_request',
  user: { id: 1, name: 'Administrator', username: 'root' },
  project,
  repository: { name: 'Gitlab Test', url: 'http://example.com/gitlabhq/gitlab-test.git' },
  object_attributes: {
    id: 99,
    iid: 1,
    target_branch: 'master',
    source_branch: 'ms-viewport',
    source_project_id: 14,
    author_id: 51,
    title: 'MS-Viewport',
    created_at: '2013-12-03T17:23:34Z',
    updated_at: '2013-12-03T17:23:34Z',
    state: 'opened',
    draft: false,
    merge_status: 'unchecked',
    target_project_id: 14,
    url: 'http://example.com/diaspora/merge_requests/1',
    target: { name: 'Awesome Project', path_with_namespace: 'awesome_space/awesome_project' },
    last_commit: {
      id: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
      message: 'fixed readme',
      timestamp: '2012-01-03T23:36:29+02:00',
    },
    action: 'open',
    detailed_merge_status: 'mergeable',
  },
};

const pushHook = {
  object_kind: 'push',
  event_name: 'push',
  before: '95790bf891e76fee5e1747ab589903a6a1f80f22',
  after: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
  ref: 'refs/heads/master',
  ref_protected: true,
  checkout_sha: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
  user_id: 4,
  user_name: 'John Smith',
  project_id: 15,
  project: { id: 15, name: 'Diaspora', path_with_namespace: 'mike/diaspora', default_branch: 'master' },
  commits: [
    {
      id: 'b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327',
      message: 'Update Catalan translation to e38cb41.',
      title: 'Update Catalan translation to e38cb41.',
      timestamp: '2011-12-12T14:27:31+02:00',
      url: 'http://example.com/mike/diaspora/commit/b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327',
      author: { name: 'Jordi Mallach', email: 'jordi@softcatala.org' },
      added: ['CHANGELOG'],
      modified: ['app/controller/application.rb'],
      removed: [],
    },
    {
      id: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
      message: 'fixed readme',
      title: 'fixed readme',
      timestamp: '2012-01-03T23:36:29+02:00',
      url: 'http://example.com/mike/diaspora/commit/da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
      author: { name: 'GitLab dev user', email: 'gitlabdev@dv6700.(none)' },
      added: ['CHANGELOG'],
      modified: ['app/controller/application.rb'],
      removed: [],
    },
  ],
  total_commits_count: 4,
};

const clone = <T>(value: T): T => structuredClone(value);

describe('parseGitLabWebhook: Deployment Hook', () => {
  it("reads the documented example: the full sha from commit_url, the environment's tier", () => {
    const result = parseGitLabWebhook({ event: 'Deployment Hook', body: JSON.stringify(deploymentHook) });
    expect(result.problems).toEqual([]);
    expectValidRecords(result.records);
    expect(result.records.deployments).toEqual([
      {
        id: 'gitlab:deployment:15',
        service: 'root/test-deployment-webhooks',
        environment: 'staging',
        production: false,
        sha: '279484c09fbe69ededfced8c1bb6e6d24616b468',
        status: 'success',
        statusAt: '2021-04-28T19:50:00.000Z',
        finishedAt: '2021-04-28T19:50:00.000Z',
        repository: 'root/test-deployment-webhooks',
        source: 'gitlab',
        sourceRef: 'http://10.126.0.2:3000/root/test-deployment-webhooks/-/jobs/796',
      },
    ]);
  });

  it('merges the running and success reports of one production deployment, in either order', () => {
    const running = {
      ...clone(deploymentHook),
      status: 'running',
      status_changed_at: '2021-04-28 21:45:00 +0200',
    };
    const success = { ...clone(deploymentHook), environment: 'production', environment_tier: 'production' };
    running.environment = 'production';
    running.environment_tier = 'production';
    const [a] = parseGitLabWebhook({ event: 'Deployment Hook', body: running }).records.deployments;
    const [b] = parseGitLabWebhook({ event: 'Deployment Hook', body: success }).records.deployments;
    expect(a).toMatchObject({
      status: 'in_progress',
      startedAt: '2021-04-28T19:45:00.000Z',
      production: true,
    });
    for (const merged of [mergeDeployment(a!, b!), mergeDeployment(b!, a!)]) {
      expect(merged).toMatchObject({
        status: 'success',
        startedAt: '2021-04-28T19:45:00.000Z',
        finishedAt: '2021-04-28T19:50:00.000Z',
        production: true,
      });
    }
  });

  it('maps failed and canceled, and falls back to short_sha without a commit_url', () => {
    const statuses = ['failed', 'canceled', 'created', 'blocked'].map((status) => {
      const hook = { ...clone(deploymentHook), status, commit_url: undefined };
      return parseGitLabWebhook({ event: 'Deployment Hook', body: hook }).records.deployments[0];
    });
    expect(statuses.map((d) => [d?.status, d?.sha, d?.finishedAt !== undefined])).toEqual([
      ['failure', '279484c0', true],
      ['cancelled', '279484c0', true],
      ['pending', '279484c0', false],
      ['pending', '279484c0', false],
    ]);
  });
});

describe('parseGitLabWebhook: Pipeline Hook', () => {
  it('reads the documented example: the pipeline and its finished jobs', () => {
    const result = parseGitLabWebhook({ event: 'Pipeline Hook', body: JSON.stringify(pipelineHook) });
    expect(result.problems).toEqual([]);
    expectValidRecords(result.records);
    expect(result.records.pipelineRuns).toEqual([
      {
        id: 'gitlab:pipeline:31',
        pipeline: 'gitlab-org/gitlab-test',
        repository: 'gitlab-org/gitlab-test',
        sha: 'bcbb5ec396a2c0f828686f14fac9b80b780504f2',
        ref: 'master',
        status: 'success',
        queuedAt: '2016-08-12T15:23:28.000Z',
        // No queued_duration in this example: finished_at minus the 63 s duration.
        startedAt: '2016-08-12T15:25:26.000Z',
        finishedAt: '2016-08-12T15:26:29.000Z',
        source: 'gitlab',
        sourceRef: 'http://example.com/gitlab-org/gitlab-test/-/pipelines/31',
      },
    ]);
    // The skipped manual job and the created one never ran: only the three finished jobs.
    expect(result.records.taskRuns.map((t) => [t.id, t.name, t.status, t.pipelineRunId])).toEqual([
      ['gitlab:job:377', 'test-image', 'success', 'gitlab:pipeline:31'],
      ['gitlab:job:378', 'test-build', 'failure', 'gitlab:pipeline:31'],
      ['gitlab:job:376', 'build-image', 'success', 'gitlab:pipeline:31'],
    ]);
  });

  it('uses queued_duration for the start when GitLab sends it', () => {
    const hook = clone(pipelineHook) as typeof pipelineHook & {
      object_attributes: { queued_duration?: number };
    };
    hook.object_attributes.queued_duration = 100;
    const [run] = parseGitLabWebhook({ event: 'Pipeline Hook', body: hook }).records.pipelineRuns;
    expect(run!.startedAt).toBe('2016-08-12T15:25:08.000Z');
  });

  it('keeps a pipeline that has not finished raw', () => {
    const hook = clone(pipelineHook);
    hook.object_attributes.status = 'running';
    const result = parseGitLabWebhook({ event: 'Pipeline Hook', deliveryId: 'key-1', body: hook });
    expect(countRecords(result.records)).toEqual({ rawEvents: 1 });
    expect(result.records.rawEvents[0]!.id).toBe('gitlab:key-1');
    expect(result.unused).toEqual([
      { type: 'Pipeline Hook.running', count: 1, reason: 'only finished pipelines are used' },
    ]);
  });
});

describe('parseGitLabWebhook: Merge Request Hook and Push Hook', () => {
  it('keeps an opened merge request raw and reads a merged one', () => {
    expect(
      parseGitLabWebhook({ event: 'Merge Request Hook', body: mergeRequestHook }).unused[0],
    ).toMatchObject({
      type: 'Merge Request Hook.open',
    });
    const merged = clone(mergeRequestHook) as typeof mergeRequestHook & {
      object_attributes: { merge_commit_sha?: string };
    };
    merged.object_attributes.action = 'merge';
    merged.object_attributes.state = 'merged';
    merged.object_attributes.updated_at = '2013-12-04T09:00:00Z';
    merged.object_attributes.merge_commit_sha = 'f0e1d2c3b4a5968778695a4b3c2d1e0f9e8d7c6b';
    const result = parseGitLabWebhook({ event: 'Merge Request Hook', body: merged });
    expect(result.problems).toEqual([]);
    expect(result.records.pullRequests).toEqual([
      {
        id: 'gitlab:mr:99',
        repository: 'awesome_space/awesome_project',
        number: 1,
        title: 'MS-Viewport',
        createdAt: '2013-12-03T17:23:34.000Z',
        mergedAt: '2013-12-04T09:00:00.000Z',
        mergeCommitSha: 'f0e1d2c3b4a5968778695a4b3c2d1e0f9e8d7c6b',
        headSha: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
        baseRef: 'master',
        source: 'gitlab',
        sourceRef: 'http://example.com/diaspora/merge_requests/1',
      },
    ]);
  });

  it("reads an approval as the merge request's first review, not the author's own", () => {
    const approval = clone(mergeRequestHook);
    approval.object_attributes.action = 'approval';
    approval.object_attributes.updated_at = '2013-12-03T18:00:00Z';
    const result = parseGitLabWebhook({ event: 'Merge Request Hook', body: approval });
    expect(result.problems).toEqual([]);
    expect(result.records.pullRequests).toEqual([
      {
        id: 'gitlab:mr:99',
        repository: 'awesome_space/awesome_project',
        number: 1,
        createdAt: '2013-12-03T17:23:34.000Z',
        firstReviewAt: '2013-12-03T18:00:00.000Z',
        approvedAt: '2013-12-03T18:00:00.000Z',
        source: 'gitlab',
      },
    ]);
    approval.user.id = approval.object_attributes.author_id;
    const own = parseGitLabWebhook({ event: 'Merge Request Hook', body: approval });
    expect(own.records.pullRequests).toEqual([]);
    expect(own.unused[0]!.reason).toBe("an approval by the merge request's author");
  });

  it('reads a push, and warns that GitLab sent only part of its commits', () => {
    const result = parseGitLabWebhook({ event: 'Push Hook', body: pushHook });
    expectValidRecords(result.records);
    expect(result.records.pushes[0]).toMatchObject({
      id: 'gitlab:push:mike/diaspora:refs/heads/master:95790bf891e76fee5e1747ab589903a6a1f80f22..da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
      commits: ['b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327', 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7'],
    });
    expect(result.records.commits.map((c) => [c.sha, c.committedAt])).toEqual([
      ['b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327', '2011-12-12T12:27:31.000Z'],
      ['da1560886d4f094c3e6c9ef40349f7d38b5d27d7', '2012-01-03T21:36:29.000Z'],
    ]);
    expect(result.problems).toEqual([
      {
        severity: 'warning',
        message:
          'GitLab sent 2 of the 4 commits of this push (it sends the newest 20); ingest the git history for the others',
        location: { file: 'request body', pointer: '/commits' },
      },
    ]);
  });

  it('falls back to object_kind without the header, and keeps other hooks raw', () => {
    expect(parseGitLabWebhook({ body: pushHook }).records.pushes).toHaveLength(1);
    const tag = { ...clone(pushHook), object_kind: 'tag_push', ref: 'refs/tags/v1.0.0' };
    expect(parseGitLabWebhook({ event: 'Tag Push Hook', body: tag }).unused).toEqual([
      { type: 'Tag Push Hook', count: 1, reason: 'not an event Pave uses' },
    ]);
  });
});

describe('parseGitLabWebhook: bad input', () => {
  it('names missing and mistyped fields by pointer and stores nothing', () => {
    const hook = clone(deploymentHook) as Record<string, unknown>;
    delete hook.deployment_id;
    hook.status_changed_at = 'soon';
    hook.project = { path_with_namespace: ['x'] };
    const result = parseGitLabWebhook({ event: 'Deployment Hook', body: hook });
    expect(countRecords(result.records)).toEqual({});
    expect(result.problems.map((p) => [p.location?.pointer, p.message])).toEqual([
      ['/project/path_with_namespace', 'must be a string, not an array'],
      ['/deployment_id', 'required'],
      ['/status_changed_at', '"soon" is not a timestamp'],
    ]);
  });

  it('locates a syntax error', () => {
    const result = parseGitLabWebhook({ event: 'Push Hook', body: '{"object_kind": "push",\n"ref": }' });
    expect(result.problems[0]).toMatchObject({ location: { line: 2, column: 8 } });
  });
});

describe('verifyGitLabToken', () => {
  it('accepts the configured token only', () => {
    expect(verifyGitLabToken('s3cret-token', 's3cret-token')).toBe(true);
    expect(verifyGitLabToken('s3cret-tokem', 's3cret-token')).toBe(false);
    expect(verifyGitLabToken('s3cret', 's3cret-token')).toBe(false);
    expect(verifyGitLabToken('', 's3cret-token')).toBe(false);
    expect(verifyGitLabToken(undefined, 's3cret-token')).toBe(false);
  });
});
