/**
 * A local git repository's history: its commits (sha, parents, author and committer dates) and,
 * for teams with no deployment tracking, its tags as production deployments.
 *
 * Runs `git` itself (`git log`, `git for-each-ref`) and reads its output line by line, so a
 * history of millions of commits streams through in batches instead of sitting in memory.
 */
import { spawn } from 'node:child_process';
import { basename, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { InputError } from '../../core/errors.js';
import type { Commit, Deployment } from '../model.js';
import { epochSecondsToIso } from './fields.js';
import { type IngestResult, RecordCollector } from './recordCollector.js';

/** Options of the git readers. */
export interface GitHistoryOptions {
  /** The ref to read history from (`main`, `HEAD`); default: every ref (`--all`). */
  ref?: string;
  /** Repository name stored on commits and deployments; default: the directory's name. */
  repository?: string;
  /** The service (catalog ref) the repository builds. */
  service?: string;
  /** Tags matching this glob (`v*`; `*` stops at `/`, `**` does not) are production deployments. */
  deployTags?: string;
  /** The environment of tag deployments; default `production`. */
  environment?: string;
  /** Commits per batch yielded by `readGitCommits`; default 10,000. */
  batchSize?: number;
}

/** A tag and the commit it points to. */
export interface GitTag {
  name: string;
  sha: string;
  /** Tagger date of an annotated tag, committer date of a lightweight one. */
  date: string;
}

const SEP = '\u001f';

/** Streams the repository's commits in batches, newest first as `git log` lists them. */
export async function* readGitCommits(
  repoPath: string,
  options: GitHistoryOptions = {},
): AsyncGenerator<Commit[]> {
  const repository = options.repository ?? repositoryName(repoPath);
  const batchSize = options.batchSize ?? 10_000;
  if (options.ref?.startsWith('-')) throw new InputError(`"${options.ref}" is not a ref`);
  const args = ['log', options.ref ?? '--all', '--format=%H%x1f%P%x1f%at%x1f%ct', '--'];
  let batch: Commit[] = [];
  for await (const line of gitLines(repoPath, args)) {
    if (line === '') continue;
    const [sha, parents, authored, committed] = line.split(SEP);
    if (sha === undefined || committed === undefined) {
      throw new InputError(
        `unexpected line from git log in ${repoPath}: ${JSON.stringify(line.slice(0, 100))}`,
      );
    }
    const commit: Commit = {
      sha,
      parents: parents ? parents.split(' ') : [],
      authoredAt: epochSecondsToIso(Number(authored)),
      committedAt: epochSecondsToIso(Number(committed)),
      repository,
      source: 'git',
    };
    if (options.service !== undefined) commit.service = options.service;
    batch.push(commit);
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** The repository's tags with the commit each points to (tags of trees or blobs are left out). */
export async function readGitTags(repoPath: string): Promise<GitTag[]> {
  const format = ['%(refname:strip=2)', '%(objecttype)', '%(objectname)', '%(*objecttype)', '%(*objectname)'];
  const args = ['for-each-ref', `--format=${format.join('%1f')}%1f%(creatordate:unix)`, 'refs/tags'];
  const tags: GitTag[] = [];
  for await (const line of gitLines(repoPath, args)) {
    if (line === '') continue;
    const [name, type, object, targetType, target, date] = line.split(SEP);
    // An annotated tag points to a tag object, which points to the commit (`*objectname`).
    const sha = type === 'commit' ? object : targetType === 'commit' ? target : undefined;
    if (name === undefined || sha === undefined || date === undefined) continue;
    tags.push({ name, sha, date: epochSecondsToIso(Number(date)) });
  }
  return tags;
}

/** The deployments a repository's matching tags stand for: successful, in production, at the tag date. */
export function deploymentsFromTags(
  tags: readonly GitTag[],
  options: GitHistoryOptions & { repository: string },
): Deployment[] {
  if (options.deployTags === undefined) return [];
  const pattern = globToRegExp(options.deployTags);
  const deployments: Deployment[] = [];
  for (const tag of tags) {
    if (!pattern.test(tag.name)) continue;
    deployments.push({
      id: `git-tag:${options.repository}:${tag.name}`,
      service: options.service ?? options.repository,
      environment: options.environment ?? 'production',
      production: true,
      sha: tag.sha,
      status: 'success',
      finishedAt: tag.date,
      statusAt: tag.date,
      repository: options.repository,
      source: 'git-tag',
      sourceRef: `refs/tags/${tag.name}`,
    });
  }
  return deployments;
}

/** Reads a whole repository into one result: for small repositories and tests (big ones: `readGitCommits`). */
export async function readGitRepository(
  repoPath: string,
  options: GitHistoryOptions = {},
): Promise<IngestResult> {
  const repository = options.repository ?? repositoryName(repoPath);
  const out = new RecordCollector(repoPath);
  for await (const batch of readGitCommits(repoPath, { ...options, repository })) {
    out.events += batch.length;
    for (const commit of batch) out.add('commits', commit);
  }
  if (options.deployTags !== undefined) {
    const deployments = deploymentsFromTags(await readGitTags(repoPath), { ...options, repository });
    if (deployments.length === 0) out.warn(`no tag matches --deploy-tags "${options.deployTags}"`);
    for (const deployment of deployments) out.add('deployments', deployment);
  }
  return out.finish();
}

/**
 * A tag glob as a regular expression: `*` matches within one path segment, `**` across segments,
 * `?` one character, `[...]` a character class; everything else literally.
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        source += '.*';
        i++;
      } else {
        source += '[^/]*';
      }
    } else if (c === '?') {
      source += '[^/]';
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) {
        source += '\\[';
      } else {
        const body = glob
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        source += `[${body}]`;
        i = end;
      }
    } else {
      source += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

function repositoryName(repoPath: string): string {
  return basename(resolve(repoPath)).replace(/\.git$/, '');
}

/** Runs git in `repoPath` and yields its output lines; throws an `InputError` with git's message on failure. */
async function* gitLines(repoPath: string, args: readonly string[]): AsyncGenerator<string> {
  // No user config may turn on signatures or colours in the output we parse.
  const fullArgs = ['-c', 'log.showSignature=false', '-c', 'color.ui=false', '-C', repoPath, ...args];
  const child = spawn('git', fullArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < 4000) stderr += chunk;
  });
  const exit = new Promise<number>((done, fail) => {
    child.once('error', fail);
    child.once('close', (code) => done(code ?? 1));
  });
  exit.catch(() => undefined); // observed below; keeps an early spawn error from being unhandled
  const lines = createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY });
  let finished = false;
  try {
    for await (const line of lines) yield line;
    finished = true;
  } finally {
    // The caller stopped reading early: stop git too.
    if (!finished && child.exitCode === null) child.kill();
  }
  let code: number;
  try {
    code = await exit;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new InputError(
      missing ? 'git is not installed (or not on PATH)' : `cannot run git: ${String(error)}`,
    );
  }
  if (code !== 0) {
    throw new InputError(`git ${args[0]} failed in ${repoPath}: ${stderr.trim() || `exit code ${code}`}`);
  }
}
