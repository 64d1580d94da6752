import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { expectValidRecords } from '../testing/records.js';
import { deploymentsFromTags, globToRegExp, readGitCommits, readGitRepository, readGitTags } from './git.js';

let dir: string;
let repo: string;
const shas: Record<string, string> = {};

/** Runs git in the test repository with fixed identities and dates. */
function git(args: string[], dates?: { author: string; committer: string }): string {
  return execFileSync('git', args, {
    cwd: repo,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: dir,
      GIT_AUTHOR_NAME: 'Ada',
      GIT_AUTHOR_EMAIL: 'ada@example.com',
      GIT_COMMITTER_NAME: 'Grace',
      GIT_COMMITTER_EMAIL: 'grace@example.com',
      ...(dates ? { GIT_AUTHOR_DATE: dates.author, GIT_COMMITTER_DATE: dates.committer } : {}),
    },
  }).trim();
}

function commit(name: string, author: string, committer: string): void {
  writeFileSync(join(repo, `${name}.txt`), name);
  git(['add', '.']);
  git(['commit', '-q', '-m', name], { author, committer });
  shas[name] = git(['rev-parse', 'HEAD']);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pave-git-'));
  repo = join(dir, 'checkout');
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  // History: a - b - m (merge of c from the feature branch); tags on a (lightweight) and m (annotated).
  commit('a', '2024-01-01T10:00:00Z', '2024-01-01T10:05:00Z');
  git(['tag', 'v1.0.0']);
  git(['checkout', '-q', '-b', 'feature']);
  commit('c', '2024-01-02T09:00:00Z', '2024-01-02T09:00:00Z');
  git(['checkout', '-q', 'main']);
  commit('b', '2024-01-03T08:00:00+02:00', '2024-01-03T12:00:00+02:00');
  git(['merge', '-q', '--no-ff', '-m', 'merge feature', 'feature'], {
    author: '2024-01-04T10:00:00Z',
    committer: '2024-01-04T10:30:00Z',
  });
  shas.m = git(['rev-parse', 'HEAD']);
  git(['tag', '-a', 'v1.1.0', '-m', 'release 1.1.0'], {
    author: '2024-01-05T00:00:00Z',
    committer: '2024-01-05T00:00:00Z',
  });
  git(['tag', 'experiment/v9', shas.c!]);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('readGitRepository', () => {
  it('reads every commit with its parents and both dates', async () => {
    const result = await readGitRepository(repo, { service: 'component:default/checkout' });
    expect(result.problems).toEqual([]);
    expectValidRecords(result.records);
    const bySha = new Map(result.records.commits.map((c) => [c.sha, c]));
    expect(bySha.size).toBe(4);
    expect(bySha.get(shas.a!)).toEqual({
      sha: shas.a,
      parents: [],
      authoredAt: '2024-01-01T10:00:00.000Z',
      committedAt: '2024-01-01T10:05:00.000Z',
      repository: 'checkout',
      service: 'component:default/checkout',
      source: 'git',
    });
    expect(bySha.get(shas.b!)).toMatchObject({
      parents: [shas.a],
      authoredAt: '2024-01-03T06:00:00.000Z',
      committedAt: '2024-01-03T10:00:00.000Z',
    });
    expect(bySha.get(shas.m!)!.parents).toEqual([shas.b, shas.c]);
    expect(result.records.deployments).toEqual([]);
  });

  it('turns tags matching --deploy-tags into production deployments at the tag date', async () => {
    const result = await readGitRepository(repo, { deployTags: 'v*', service: 'component:default/checkout' });
    expect(result.records.deployments).toEqual([
      {
        id: 'git-tag:checkout:v1.0.0',
        service: 'component:default/checkout',
        environment: 'production',
        production: true,
        sha: shas.a,
        status: 'success',
        // A lightweight tag has no date of its own: its commit's committer date.
        finishedAt: '2024-01-01T10:05:00.000Z',
        statusAt: '2024-01-01T10:05:00.000Z',
        repository: 'checkout',
        source: 'git-tag',
        sourceRef: 'refs/tags/v1.0.0',
      },
      expect.objectContaining({
        id: 'git-tag:checkout:v1.1.0',
        // An annotated tag points at a tag object: the deployment is of its commit, at the tagger date.
        sha: shas.m,
        finishedAt: '2024-01-05T00:00:00.000Z',
      }),
    ]);
  });

  it('warns when no tag matches', async () => {
    const result = await readGitRepository(repo, { deployTags: 'release-*' });
    expect(result.records.deployments).toEqual([]);
    expect(result.problems).toEqual([
      { severity: 'warning', message: 'no tag matches --deploy-tags "release-*"', location: { file: repo } },
    ]);
  });

  it('reads one ref only when asked', async () => {
    const result = await readGitRepository(repo, { ref: 'feature' });
    expect(result.records.commits.map((c) => c.sha).sort()).toEqual([shas.a, shas.c].sort());
  });

  it('fails with git’s message outside a repository, and refuses option-like refs', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'pave-not-git-'));
    try {
      await expect(readGitRepository(outside)).rejects.toThrow(InputError);
      await expect(readGitRepository(outside)).rejects.toThrow(/git log failed in .*not a git repository/i);
      await expect(readGitRepository(repo, { ref: '--output=/tmp/x' })).rejects.toThrow(
        '"--output=/tmp/x" is not a ref',
      );
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('readGitCommits', () => {
  it('streams the history in batches', async () => {
    const sizes: number[] = [];
    for await (const batch of readGitCommits(repo, { batchSize: 3 })) sizes.push(batch.length);
    expect(sizes).toEqual([3, 1]);
  });

  it('lets a reader stop after the first batch', async () => {
    for await (const batch of readGitCommits(repo, { batchSize: 1 })) {
      expect(batch).toHaveLength(1);
      break;
    }
  });
});

describe('tags', () => {
  it('lists tags with their commits', async () => {
    const tags = await readGitTags(repo);
    expect(tags.map((t) => [t.name, t.sha])).toEqual([
      ['experiment/v9', shas.c],
      ['v1.0.0', shas.a],
      ['v1.1.0', shas.m],
    ]);
  });

  it('matches globs: * within a segment, ** across, ? and classes', () => {
    const matches = (glob: string, names: string[]) => names.filter((n) => globToRegExp(glob).test(n));
    const names = ['v1.0.0', 'v2.0.0-rc.1', 'experiment/v9', 'release-2024', 'v1x0'];
    expect(matches('v*', names)).toEqual(['v1.0.0', 'v2.0.0-rc.1', 'v1x0']);
    expect(matches('v1.0.?', names)).toEqual(['v1.0.0']);
    expect(matches('**v9', names)).toEqual(['experiment/v9']);
    expect(matches('*v9', names)).toEqual([]);
    expect(matches('v[0-1]*', names)).toEqual(['v1.0.0', 'v1x0']);
    expect(matches('release-*', names)).toEqual(['release-2024']);
  });

  it('uses the repository as the service when none is given', () => {
    const [deployment] = deploymentsFromTags(
      [{ name: 'v1', sha: shas.a!, date: '2024-01-01T00:00:00.000Z' }],
      {
        repository: 'checkout',
        deployTags: 'v*',
        environment: 'prod',
      },
    );
    expect(deployment).toMatchObject({ service: 'checkout', environment: 'prod' });
  });
});
