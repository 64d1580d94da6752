/**
 * The attribution step: for each service whose inputs changed since it last ran, rebuilds the
 * service's deployment facts and changes for a track (`delivery_deployment_facts`,
 * `delivery_changes`), so that metrics are set-based SQL over precomputed rows instead of a graph
 * walk per query. It runs before metrics are read (`ensureAttribution`), incrementally: ingest
 * bumps the version of the services it touches, and only those are redone.
 *
 * Services are redone in chunks, a handful of queries per chunk whatever its size: the chunk's
 * successful production deployments in finish order; the rollbacks and remediations naming them;
 * the commits of the chunk's repositories (and any further commit the walks reach, by sha); the
 * parent edges push payloads imply for commits without known parents; and the pull requests of
 * those repositories. Each service's chain is then walked (`changeAttribution.ts`) and one row per
 * deployment and one per change (with its lead time from the commit's committer date, its author
 * date and its pull request's merge) are written in one transaction per chunk.
 */
import { type Progress, silentProgress } from '../core/progress.js';
import type { Queryable, SqlParam, Store } from '../store/Store.js';
import { attributeChanges, type ChainDeployment, deploymentFacts } from './changeAttribution.js';
import { type DeliveryConfig, deliveryConfigSchema } from './deliveryConfig.js';
import { splitShas } from './recordRows.js';
import { type ComponentIndex, loadComponentIndex, normaliseRepository } from './serviceResolver.js';
import { bumpServiceVersions, refreshServiceResolution, registerServices } from './services.js';
import { textList } from './sqlParams.js';
import { resolveTrack, type Track, trackPredicate } from './track.js';

/** How many rounds of fetching missing commits by sha a chunk may take before it stops. */
const MAX_FETCH_ROUNDS = 25;
/** Services per chunk: few enough that a chunk's commits fit in memory, many enough to amortise queries. */
const CHUNK_SERVICES = 40;

/** Brings the track's attribution up to date; returns how many services were redone. */
export async function ensureAttribution(
  store: Store,
  track: Track,
  options: { progress?: Progress } = {},
): Promise<{ services: number }> {
  await refreshServiceResolution(store);
  const stale = await store.query<{ service_key: string; version: number }>(
    `SELECT v.service_key, v.version FROM delivery_service_versions v
       LEFT JOIN delivery_attribution_state a ON a.track = $1 AND a.service_key = v.service_key
      WHERE a.version IS NULL OR a.version < v.version
      ORDER BY v.service_key`,
    [track.key],
  );
  if (stale.length === 0) return { services: 0 };
  const progress = options.progress ?? silentProgress;
  const repositories = repositoriesByComponent(await loadComponentIndex(store));
  progress.start('attributing changes to deployments', stale.length);
  for (let i = 0; i < stale.length; i += CHUNK_SERVICES) {
    const chunk = stale.slice(i, i + CHUNK_SERVICES);
    await attributeChunk(store, track, chunk, repositories);
    progress.tick(chunk.length);
  }
  progress.done();
  return { services: stale.length };
}

/**
 * After a bulk load that bypassed `storeRecords` (the demo, benchmarks): registers the service
 * names, marks their services changed, and attributes the configured track.
 */
export async function attributeLoadedServices(
  store: Store,
  names: Iterable<string>,
  options: { config?: DeliveryConfig; progress?: Progress } = {},
): Promise<{ services: number }> {
  const resolutions = await registerServices(store, names);
  await bumpServiceVersions(
    store,
    [...resolutions.values()].map((resolution) => resolution.serviceKey),
  );
  const track = resolveTrack(options.config ?? deliveryConfigSchema.parse({}));
  return ensureAttribution(store, track, options.progress ? { progress: options.progress } : {});
}

interface DeploymentRow {
  service_key: string;
  id: string;
  sha: string | null;
  repository: string | null;
  finished: number;
  rollback: boolean | null;
  rollback_of: string | null;
  remediates: string | null;
  unplanned: boolean | null;
}

const CHAIN_COLUMNS = `d.id, d.sha, d.repository, extract(epoch FROM d.finished_at) AS finished, d.rollback,
  d.rollback_of, d.remediates, d.unplanned`;

function toChain(row: DeploymentRow): ChainDeployment {
  const deployment: ChainDeployment = { id: row.id, finishedAt: Number(row.finished) };
  if (row.sha !== null) deployment.sha = row.sha;
  if (row.rollback !== null) deployment.rollback = row.rollback;
  if (row.rollback_of !== null) deployment.rollbackOf = row.rollback_of;
  if (row.remediates !== null) deployment.remediates = row.remediates;
  if (row.unplanned !== null) deployment.unplanned = row.unplanned;
  return deployment;
}

interface CommitNode {
  parents: string[] | undefined;
  committed: number | null;
  authored: number | null;
}

interface PullRequestNode {
  id: string;
  merged: number | null;
}

/** One service of a chunk: its key, names, chain and the repositories it builds from. */
interface ServiceWork {
  key: string;
  version: number;
  names: string[];
  attributed: boolean;
  chain: ChainDeployment[];
  repositories: Set<string>;
}

/** Rebuilds the facts and changes of a chunk of services for a track. */
async function attributeChunk(
  store: Store,
  track: Track,
  stale: readonly { service_key: string; version: number }[],
  componentRepositories: ReadonlyMap<string, readonly string[]>,
): Promise<void> {
  const keys = stale.map((row) => row.service_key);
  const work = new Map<string, ServiceWork>(
    stale.map((row) => [
      row.service_key,
      {
        key: row.service_key,
        version: Number(row.version),
        names: [],
        attributed: false,
        chain: [],
        repositories: new Set(componentRepositories.get(row.service_key) ?? []),
      },
    ]),
  );
  const names = await store.query<{ service: string; service_key: string; resolved: boolean }>(
    'SELECT service, service_key, resolved FROM delivery_services WHERE service_key IN (SELECT unnest($1::text[]))',
    [keys],
  );
  for (const row of names) {
    const service = work.get(row.service_key)!;
    service.names.push(row.service);
    if (row.resolved) service.attributed = true;
    // A name that is itself a repository (GitHub and GitLab name services by repository).
    if (row.service.includes('/') && !row.service.includes(':')) {
      service.repositories.add(normaliseRepository(row.service));
    }
  }

  const rows = await store.query<DeploymentRow>(
    `SELECT s.service_key, ${CHAIN_COLUMNS}
       FROM delivery_deployments d JOIN delivery_services s ON s.service = d.service
      WHERE s.service_key IN (SELECT unnest($1::text[])) AND d.status = 'success' AND d.finished_at IS NOT NULL
        AND ${trackPredicate(track, '$2')}
      ORDER BY s.service_key, d.finished_at, d.id`,
    [keys, textList(track.environments)],
  );
  const deployedShas = new Set<string>();
  for (const row of rows) {
    const service = work.get(row.service_key)!;
    service.chain.push(toChain(row));
    if (row.sha !== null) deployedShas.add(row.sha);
    if (row.repository !== null) service.repositories.add(normaliseRepository(row.repository));
  }
  // Repositories of the deployed commits, for sources that name the commit but not the repository.
  const shaRepositories = await store.query<{ sha: string; repository: string }>(
    'SELECT sha, repository FROM delivery_commits WHERE sha IN (SELECT unnest($1::text[])) AND repository IS NOT NULL',
    [textList(deployedShas)],
  );
  const repositoryOfSha = new Map(
    shaRepositories.map((row) => [row.sha, normaliseRepository(row.repository)]),
  );
  for (const service of work.values()) {
    for (const deployment of service.chain) {
      const repository = deployment.sha === undefined ? undefined : repositoryOfSha.get(deployment.sha);
      if (repository !== undefined) service.repositories.add(repository);
    }
  }
  const ids = rows.map((row) => row.id);
  const deciders =
    ids.length === 0
      ? []
      : (
          await store.query<DeploymentRow>(
            `SELECT '' AS service_key, ${CHAIN_COLUMNS} FROM delivery_deployments d
              WHERE (d.rollback_of IS NOT NULL OR d.remediates IS NOT NULL)
                AND d.status = 'success' AND d.finished_at IS NOT NULL AND ${trackPredicate(track, '$2')}
                AND (d.rollback_of IN (SELECT unnest($1::text[])) OR d.remediates IN (SELECT unnest($1::text[])))`,
            [ids, textList(track.environments)],
          )
        ).map(toChain);
  const allNames = [...work.values()].flatMap((service) => service.names);
  const allRepositories = new Set([...work.values()].flatMap((service) => [...service.repositories]));
  const graph =
    rows.length === 0 ? undefined : await loadGraph(store, allNames, allRepositories, deployedShas);
  const factRows: SqlParam[][] = [];
  const changeRows: SqlParam[][] = [];
  for (const service of work.values()) {
    if (service.chain.length === 0 || graph === undefined) continue;
    const chain = service.chain;
    const changes = attributeChanges(chain, graph.parentsOf);
    const facts = deploymentFacts(chain, changes, deciders);
    facts.forEach((fact, index) => {
      factRows.push([
        track.key,
        fact.deploymentId,
        service.key,
        service.attributed,
        new Date(chain[index]!.finishedAt * 1000),
        fact.previousId ?? null,
        fact.baseline,
        fact.changeCount,
        fact.failed,
        fact.failureKind ?? null,
        fact.decidedBy ?? null,
        fact.recoveredAt === undefined ? null : new Date(fact.recoveredAt * 1000),
        fact.rework,
        fact.reworkReason ?? null,
      ]);
    });
    changes.forEach((change, index) => {
      const deployedAt = chain[index]!.finishedAt;
      const deployedDate = new Date(deployedAt * 1000);
      for (const sha of change.shas) {
        const commit = graph.commits.get(sha);
        const pr = graph.pullRequestOf(sha);
        const committed = commit?.committed ?? null;
        const authored = commit?.authored ?? committed;
        const merged = pr?.merged ?? committed;
        changeRows.push([
          track.key,
          service.key,
          service.attributed,
          change.deploymentId,
          sha,
          deployedDate,
          pr?.id ?? null,
          lead(deployedAt, committed),
          lead(deployedAt, authored),
          lead(deployedAt, merged),
        ]);
      }
    });
  }
  await store.transaction(async (tx) => {
    // Writing the state rows first serialises two replicas attributing the same services.
    await tx.insertRows(
      'delivery_attribution_state',
      ['track', 'service_key', 'version'],
      stale.map((row) => [track.key, row.service_key, Number(row.version)]),
      { onConflict: { target: ['track', 'service_key'], action: 'update' } },
    );
    await deleteDerived(tx, track, keys);
    await tx.insertRows('delivery_deployment_facts', FACT_COLUMNS, factRows);
    await tx.insertRows('delivery_changes', CHANGE_COLUMNS, changeRows);
  });
}

async function deleteDerived(tx: Queryable, track: Track, keys: readonly string[]): Promise<void> {
  for (const table of ['delivery_changes', 'delivery_deployment_facts']) {
    await tx.execute(`DELETE FROM ${table} WHERE track = $1 AND service_key IN (SELECT unnest($2::text[]))`, [
      track.key,
      [...keys],
    ]);
  }
}

const FACT_COLUMNS = [
  'track',
  'deployment_id',
  'service_key',
  'attributed',
  'finished_at',
  'previous_id',
  'baseline',
  'change_count',
  'failed',
  'failure_kind',
  'decided_by',
  'recovered_at',
  'rework',
  'rework_reason',
] as const;

const CHANGE_COLUMNS = [
  'track',
  'service_key',
  'attributed',
  'deployment_id',
  'sha',
  'deployed_at',
  'pr_id',
  'lead_committed',
  'lead_authored',
  'lead_merged',
] as const;

/** Seconds from `start` to the deployment; never negative (clock skew, rewritten dates). */
function lead(deployedAt: number, start: number | null): number | null {
  return start === null ? null : Math.max(0, deployedAt - start);
}

/** The commit graph around a chunk's deployments. */
interface Graph {
  commits: Map<string, CommitNode>;
  parentsOf(sha: string): readonly string[] | undefined;
  pullRequestOf(sha: string): PullRequestNode | undefined;
}

type CommitRow = { sha: string; parents: string | null; committed: number | null; authored: number | null };

/**
 * Commits read as one text, a line per commit (`sha|parents|committed|authored`, `~` for unknown
 * parents): converting one value is much cheaper than four per row, and a chunk reads 100,000s.
 */
const COMMIT_LINE = `string_agg(sha || '|' || coalesce(parents, '~') || '|'
  || coalesce(CAST(extract(epoch FROM committed_at) AS VARCHAR), '') || '|'
  || coalesce(CAST(extract(epoch FROM authored_at) AS VARCHAR), ''), chr(10)) AS lines`;

async function queryCommits(store: Store, where: string, params: readonly SqlParam[]): Promise<CommitRow[]> {
  const [row] = await store.query<{ lines: string | null }>(
    `SELECT ${COMMIT_LINE} FROM delivery_commits WHERE ${where}`,
    params,
  );
  if (!row?.lines) return [];
  return row.lines.split('\n').map((line) => {
    const [sha, parents, committed, authored] = line.split('|');
    return {
      sha: sha!,
      parents: parents === '~' ? null : parents!,
      committed: committed ? Number(committed) : null,
      authored: authored ? Number(authored) : null,
    };
  });
}

async function loadGraph(
  store: Store,
  serviceNames: readonly string[],
  repositories: ReadonlySet<string>,
  deployedShas: ReadonlySet<string>,
): Promise<Graph> {
  const repositoryList = textList(repositories);
  const commits = new Map<string, CommitNode>();
  const addCommits = (list: readonly CommitRow[]) => {
    for (const row of list) {
      commits.set(row.sha, {
        parents: row.parents === null ? undefined : splitShas(row.parents),
        committed: row.committed === null ? null : Number(row.committed),
        authored: row.authored === null ? null : Number(row.authored),
      });
    }
  };
  addCommits(
    await queryCommits(
      store,
      'lower(repository) IN (SELECT unnest($1::text[])) OR service IN (SELECT unnest($2::text[]))',
      [repositoryList, textList(serviceNames)],
    ),
  );
  const pushParents = new Map<string, string[]>();
  const pushes = await store.query<{ before_sha: string; commits: string }>(
    `SELECT before_sha, commits FROM delivery_pushes WHERE lower(repository) IN (SELECT unnest($1::text[]))
      ORDER BY pushed_at NULLS FIRST, id`,
    [repositoryList],
  );
  for (const push of pushes) {
    let previous: string | undefined = /^0+$/.test(push.before_sha) ? undefined : push.before_sha;
    for (const sha of splitShas(push.commits)) {
      if (previous !== undefined && !pushParents.has(sha)) pushParents.set(sha, [previous]);
      previous = sha;
    }
  }
  const byMerge = new Map<string, PullRequestNode>();
  const byCommit = new Map<string, PullRequestNode>();
  const extraParents = new Map<string, string[]>();
  // One text, a line per pull request (ids may hold any character but a newline or a tab).
  const [prText] = await store.query<{ lines: string | null }>(
    `SELECT string_agg(coalesce(CAST(extract(epoch FROM merged_at) AS VARCHAR), '') || chr(9)
              || coalesce(merge_commit_sha, '') || chr(9) || coalesce(head_sha, '') || chr(9)
              || coalesce(commits, '~') || chr(9) || id, chr(10) ORDER BY merged_at NULLS LAST, id) AS lines
       FROM delivery_pull_requests
      WHERE lower(repository) IN (SELECT unnest($1::text[])) OR service IN (SELECT unnest($2::text[]))
         OR merge_commit_sha IN (SELECT unnest($3::text[]))`,
    [repositoryList, textList(serviceNames), textList(deployedShas)],
  );
  const prs = (prText?.lines ? prText.lines.split('\n') : []).map((line) => {
    const [merged, merge, head, listed, ...id] = line.split('\t');
    return {
      id: id.join('\t'),
      merged: merged ? Number(merged) : null,
      merge_commit_sha: merge || null,
      head_sha: head || null,
      commits: listed === '~' ? null : (listed ?? null),
    };
  });
  for (const pr of prs) {
    const node: PullRequestNode = { id: pr.id, merged: pr.merged === null ? null : Number(pr.merged) };
    const listed = pr.commits === null ? [] : splitShas(pr.commits);
    if (pr.merge_commit_sha !== null) {
      if (!byMerge.has(pr.merge_commit_sha)) byMerge.set(pr.merge_commit_sha, node);
      // A squash merge's commits are not ancestors of the squash commit: the PR's list links them.
      if (listed.length > 0) extraParents.set(pr.merge_commit_sha, listed);
    }
    for (const sha of [...listed, ...(pr.head_sha === null ? [] : [pr.head_sha])]) {
      if (!byCommit.has(sha)) byCommit.set(sha, node);
    }
  }

  const parentsOf = (sha: string): readonly string[] | undefined => {
    const known = commits.get(sha)?.parents ?? pushParents.get(sha);
    const extra = extraParents.get(sha);
    if (extra === undefined) return known;
    return known === undefined ? extra : [...known, ...extra];
  };
  // Commits the walks will reach but that are filed under another repository (or none): fetch by sha.
  const asked = new Set<string>(commits.keys());
  let frontier = missingParents(
    [...deployedShas, ...commits.keys(), ...extraParents.keys()],
    asked,
    parentsOf,
  );
  for (let round = 0; round < MAX_FETCH_ROUNDS && frontier.length > 0; round++) {
    for (const sha of frontier) asked.add(sha);
    const found = await queryCommits(store, 'sha IN (SELECT unnest($1::text[]))', [frontier]);
    if (found.length === 0) break;
    addCommits(found);
    frontier = missingParents(
      found.map((row) => row.sha),
      asked,
      parentsOf,
    );
  }

  return {
    commits,
    parentsOf,
    pullRequestOf: (sha) => byMerge.get(sha) ?? byCommit.get(sha),
  };
}

/** The shas among `shas` and their parents that were never loaded nor asked for. */
function missingParents(
  shas: readonly string[],
  asked: ReadonlySet<string>,
  parentsOf: (sha: string) => readonly string[] | undefined,
): string[] {
  const missing = new Set<string>();
  for (const sha of shas) {
    if (!asked.has(sha)) missing.add(sha);
    const parents = parentsOf(sha);
    if (parents) for (const parent of parents) if (!asked.has(parent)) missing.add(parent);
  }
  return [...missing];
}

/** Each component's repositories, from its slug annotations and source location. */
function repositoriesByComponent(index: ComponentIndex): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const map of [index.slugs, index.sourceLocations]) {
    for (const [repository, refs] of map) {
      for (const ref of refs) {
        const list = result.get(ref);
        if (!list) result.set(ref, [repository]);
        else if (!list.includes(repository)) list.push(repository);
      }
    }
  }
  return result;
}
