/**
 * The delivery demo part: two years of delivery history up to `asOf` for every deployed component
 * (services and websites) of the demo organisation, following its team's delivery profile:
 * - how often it deploys, how long changes wait, how often deployments fail and how long recovery
 *   takes follow the team's DORA tier (elite, high, medium, low), moving from one tier worse
 *   (improving teams) or better (declining teams) two years ago to the team's tier today;
 * - each deployment ships pull requests (merge commits for some teams, squash merges whose
 *   commits only the pull request lists for others), each PR with its CI run (failed runs
 *   retried) and, for the last 120 days, test results, with a few flaky suites;
 * - failed deployments are rolled back or remediated (and marked unplanned: rework); the
 *   reliability demo part, which runs next, adds the incidents that fail others;
 * - deployments arrive as GitHub deployments (service named by repository), CDEvents (service
 *   named by its bare name) and Pave records (by ref), plus one batch job the catalog does not
 *   know, so that every service-resolution rule and the org's "unattributed" figure show.
 * Deterministic for (seed, asOf): every number comes from `createRandom`, one stream per
 * component. Rows carry `source = 'demo'` and are replaced on every run; written with
 * `insertRows`, then attributed once so that the first metrics query is fast.
 */
import { attributeLoadedServices, markSourceServices } from '../delivery/index.js';
import type { SqlParam, Store } from '../store/Store.js';
import type { DemoPart } from './demoParts.js';
import type { DeliveryPerformance, DemoComponent, DemoOrganisation, DemoTeam } from './model.js';
import { createRandom, type Random } from './random.js';

/** How far back the demo's delivery history goes. */
export const DEMO_DELIVERY_DAYS = 730;
/** Test results are generated for the most recent days only (they dominate the row count). */
const TEST_DAYS = 120;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** Deployments happen on weekdays: gaps are drawn in working time so the weekly rate holds. */
const WORKING_WEEK = 5 * DAY;

/** What a tier means for one service, today. */
interface TierParams {
  deploysPerWeek: number;
  /** Median commit-to-production, hours. */
  leadHours: number;
  failRate: number;
  recoveryHours: number;
  ciSuccess: number;
  ciMinutes: number;
}

const TIERS: Record<DeliveryPerformance, TierParams> = {
  elite: {
    deploysPerWeek: 8.5,
    leadHours: 5,
    failRate: 0.03,
    recoveryHours: 0.6,
    ciSuccess: 0.95,
    ciMinutes: 6,
  },
  high: {
    deploysPerWeek: 2.5,
    leadHours: 60,
    failRate: 0.09,
    recoveryHours: 8,
    ciSuccess: 0.9,
    ciMinutes: 12,
  },
  medium: {
    deploysPerWeek: 0.6,
    leadHours: 300,
    failRate: 0.12,
    recoveryHours: 60,
    ciSuccess: 0.85,
    ciMinutes: 20,
  },
  low: {
    deploysPerWeek: 0.15,
    leadHours: 2000,
    failRate: 0.3,
    recoveryHours: 300,
    ciSuccess: 0.75,
    ciMinutes: 35,
  },
};
const ORDER: readonly DeliveryPerformance[] = ['elite', 'high', 'medium', 'low'];

/** The tier a team started the history at: one worse if it improves, one better if it declines. */
function startTier(team: DemoTeam): DeliveryPerformance {
  const index = ORDER.indexOf(team.profile.delivery);
  if (team.profile.trend === 'improving') return ORDER[Math.min(index + 1, ORDER.length - 1)]!;
  if (team.profile.trend === 'declining') return ORDER[Math.max(index - 1, 0)]!;
  return team.profile.delivery;
}

/** The parameters at fraction `f` (0: two years ago, 1: today), interpolated geometrically. */
function paramsAt(from: TierParams, to: TierParams, f: number): TierParams {
  const mix = (a: number, b: number) => Math.exp(Math.log(a) * (1 - f) + Math.log(b) * f);
  return {
    deploysPerWeek: mix(from.deploysPerWeek, to.deploysPerWeek),
    leadHours: mix(from.leadHours, to.leadHours),
    failRate: mix(from.failRate, to.failRate),
    recoveryHours: mix(from.recoveryHours, to.recoveryHours),
    ciSuccess: from.ciSuccess * (1 - f) + to.ciSuccess * f,
    ciMinutes: mix(from.ciMinutes, to.ciMinutes),
  };
}

/** Rows of each table, in the column order of `COLUMNS`. */
interface Rows {
  deployments: SqlParam[][];
  commits: SqlParam[][];
  pullRequests: SqlParam[][];
  pipelineRuns: SqlParam[][];
  testResults: SqlParam[][];
}

const COLUMNS = {
  deployments: [
    'id',
    'service',
    'environment',
    'sha',
    'status',
    'started_at',
    'finished_at',
    'status_at',
    'rollback',
    'rollback_of',
    'remediates',
    'unplanned',
    'repository',
    'source',
    'source_ref',
    'received_at',
  ],
  commits: ['sha', 'parents', 'authored_at', 'committed_at', 'repository', 'service', 'source'],
  pullRequests: [
    'id',
    'repository',
    'number',
    'title',
    'created_at',
    'first_commit_at',
    'first_review_at',
    'approved_at',
    'merged_at',
    'merge_commit_sha',
    'head_sha',
    'base_ref',
    'commits',
    'source',
    'source_ref',
  ],
  pipelineRuns: [
    'id',
    'pipeline',
    'service',
    'repository',
    'sha',
    'ref',
    'status',
    'queued_at',
    'started_at',
    'finished_at',
    'source',
  ],
  testResults: [
    'id',
    'pipeline_run_id',
    'sha',
    'suite',
    'test',
    'status',
    'duration_seconds',
    'attempt',
    'run_at',
    'source',
  ],
} as const;

/** The timestamp columns of each table: rows carry epoch milliseconds there. */
const TIME_COLUMNS: Record<keyof Rows, readonly string[]> = {
  deployments: ['started_at', 'finished_at', 'status_at', 'received_at'],
  commits: ['authored_at', 'committed_at'],
  pullRequests: ['created_at', 'first_commit_at', 'first_review_at', 'approved_at', 'merged_at'],
  pipelineRuns: ['queued_at', 'started_at', 'finished_at'],
  testResults: ['run_at'],
};

const TABLES: Record<keyof Rows, string> = {
  deployments: 'delivery_deployments',
  commits: 'delivery_commits',
  pullRequests: 'delivery_pull_requests',
  pipelineRuns: 'delivery_pipeline_runs',
  testResults: 'delivery_test_results',
};

/** How a team's deployments reach Pave, which decides how they name their service. */
type Channel = 'github' | 'cdevents' | 'pave';

/** Generates one component's history into `rows`. */
class ServiceHistory {
  private tip: string;
  private sequence = 0;
  private lastDeployed: { id: string; sha: string } | undefined;
  private prNumber = 0;

  constructor(
    private readonly random: Random,
    private readonly component: DemoComponent,
    private readonly team: DemoTeam,
    private readonly channel: Channel,
    private readonly squash: boolean,
    private readonly tests: { names: string[]; flaky: Set<string> } | undefined,
    private readonly rows: Rows,
    private readonly start: number,
    private readonly end: number,
  ) {
    // The history before the demo starts: one root commit, deployed first (the baseline).
    this.tip = this.sha();
    this.commit(this.tip, [], start - 30 * DAY);
  }

  run(): void {
    const from = TIERS[startTier(this.team)];
    const to = TIERS[this.team.profile.delivery];
    let t = this.start + this.random.float(0, DAY);
    this.deploy(t, [], {});
    while (true) {
      const p = paramsAt(from, to, (t - this.start) / (this.end - this.start));
      t = workingTime(t + exponential(this.random, WORKING_WEEK / p.deploysPerWeek), this.random);
      if (t >= this.end) break;
      const shas = this.pullRequests(t, p);
      const deployment = this.deploy(t, shas, {});
      if (this.random.chance(p.failRate)) this.fail(deployment, t, p);
    }
  }

  /** A failed deployment: rolled back (most often) or remediated by a fix, after the recovery time. */
  private fail(failed: { id: string; sha: string }, at: number, p: TierParams): void {
    const recovered = at + Math.max(5 * 60_000, this.random.lognormal(Math.log(p.recoveryHours * HOUR), 0.7));
    if (recovered >= this.end) return;
    const kind = this.random.weighted([
      ['rollback', 0.65],
      ['remediation', 0.35],
    ] as const);
    if (kind === 'rollback') {
      const previous = this.previousSha ?? failed.sha;
      this.deploy(recovered, [], { rollbackOf: failed.id, sha: previous });
    } else {
      const fix = this.sha();
      this.commit(fix, [this.tip], recovered - 20 * 60_000);
      this.tip = fix;
      this.deploy(recovered, [fix], { remediates: failed.id });
    }
  }

  private previousSha: string | undefined;

  private deploy(
    at: number,
    _shas: string[],
    options: { rollbackOf?: string; remediates?: string; sha?: string },
  ): { id: string; sha: string } {
    const n = ++this.sequence;
    const sha = options.sha ?? this.tip;
    const name = this.component.name;
    const id =
      this.channel === 'github'
        ? `github:deployment:${hashNumber(`${this.component.ref}:${n}`)}`
        : this.channel === 'cdevents'
          ? `cdevents:service.deployed:/cd/${this.team.name}:${name}-${n}`
          : `${name}-release-${n}`;
    const service =
      this.channel === 'github' && this.component.repositoryPath === ''
        ? this.component.repository
        : this.channel === 'cdevents'
          ? name
          : this.component.ref;
    const started = at - this.random.float(2, 12) * 60_000;
    const unplanned = options.rollbackOf !== undefined || options.remediates !== undefined;
    this.rows.deployments.push([
      id,
      service,
      'production',
      sha,
      'success',
      iso(started),
      iso(at),
      iso(at),
      options.rollbackOf !== undefined,
      options.rollbackOf ?? null,
      options.remediates ?? null,
      unplanned ? true : null,
      this.component.repository,
      'demo',
      null,
      iso(at),
    ]);
    if (options.sha === undefined) this.previousSha = this.lastDeployed?.sha;
    this.lastDeployed = { id, sha };
    return { id, sha };
  }

  /** One or two pull requests merged before a deployment at `at`; returns the new main commits. */
  private pullRequests(at: number, p: TierParams): string[] {
    const count = p.deploysPerWeek > 3 ? 1 : this.random.int(1, p.deploysPerWeek > 1 ? 2 : 4);
    const merged: string[] = [];
    const lead = p.leadHours * HOUR;
    for (let i = 0; i < count; i++) {
      const deployLag = this.random.lognormal(Math.log(lead * 0.15), 0.6);
      const mergedAt = Math.min(at - 60_000, at - deployLag);
      const review = this.random.lognormal(Math.log(lead * 0.2), 0.7);
      const pickup = this.random.lognormal(Math.log(lead * 0.15), 0.8);
      const coding = this.random.lognormal(Math.log(lead * 0.5), 0.7);
      const firstReview = mergedAt - review;
      const created = firstReview - pickup;
      const firstCommit = created - coding;
      const commits = this.random.int(1, p.deploysPerWeek > 3 ? 2 : 3);
      const branch: string[] = [];
      let parent = this.tip;
      for (let c = 0; c < commits; c++) {
        const sha = this.sha();
        const when = firstCommit + ((created - firstCommit) * c) / Math.max(1, commits - 1 || 1);
        this.commit(sha, [parent], when);
        branch.push(sha);
        parent = sha;
      }
      const head = branch[branch.length - 1]!;
      const main = this.sha();
      // A merge commit has the branch as its second parent; a squash commit only the old tip.
      this.commit(main, this.squash ? [this.tip] : [this.tip, head], mergedAt);
      this.tip = main;
      merged.push(main);
      const number = ++this.prNumber;
      this.rows.pullRequests.push([
        `demo:pr:${this.component.name}:${number}`,
        this.component.repository,
        number,
        `${this.component.title}: change ${number}`,
        iso(created),
        iso(firstCommit),
        iso(firstReview),
        iso(firstReview + review * 0.6),
        iso(mergedAt),
        main,
        head,
        'main',
        this.squash ? branch.join(' ') : null,
        'demo',
        `https://github.com/${this.component.repository}/pull/${number}`,
      ]);
      this.ciRun(head, created + Math.min(coding * 0.1, HOUR), p);
    }
    return merged;
  }

  /** A CI run on a pull request's head, retried once when it fails (flaky tests pass the second time). */
  private ciRun(sha: string, queued: number, p: TierParams): void {
    const recent = queued >= this.end - TEST_DAYS * DAY;
    const flakyFailure =
      recent && this.tests !== undefined && [...this.tests.flaky].some(() => this.random.chance(0.2));
    const realFailure = this.random.chance(1 - p.ciSuccess);
    const attempts = realFailure || flakyFailure ? 2 : 1;
    let at = queued;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const failedFlaky = flakyFailure && attempt === 1;
      const failed = (realFailure && attempt === attempts) || failedFlaky;
      const queue = this.random.lognormal(Math.log(45_000), 0.9);
      const duration = this.random.lognormal(Math.log(p.ciMinutes * 60_000), 0.35);
      const started = at + queue;
      const finished = started + duration;
      const runId = `demo:run:${this.component.name}:${sha.slice(0, 12)}:${attempt}`;
      this.rows.pipelineRuns.push([
        runId,
        'ci',
        this.component.ref,
        this.component.repository,
        sha,
        'feature',
        failed ? 'failure' : 'success',
        iso(at),
        iso(started),
        iso(finished),
        'demo',
      ]);
      if (recent && this.tests !== undefined) {
        const flakyName = failedFlaky ? this.random.pick([...this.tests.flaky]) : undefined;
        const brokenName = realFailure && !failedFlaky ? this.random.pick(this.tests.names) : undefined;
        for (const test of this.tests.names) {
          const status = test === flakyName || test === brokenName ? 'failed' : 'passed';
          this.rows.testResults.push([
            `${runId}:${test}`,
            runId,
            sha,
            `${this.component.name}-tests`,
            test,
            status,
            Math.round(this.random.lognormal(Math.log(0.8), 0.9) * 1000) / 1000,
            attempt,
            iso(finished),
            'demo',
          ]);
        }
      }
      at = finished + this.random.float(1, 10) * 60_000;
    }
  }

  private commit(sha: string, parents: string[], at: number): void {
    this.rows.commits.push([
      sha,
      parents.join(' '),
      iso(at - this.random.float(0, 0.1) * HOUR),
      iso(at),
      this.component.repository,
      null,
      'demo',
    ]);
  }

  /** A new commit sha: 160 random bits from this component's stream. */
  private sha(): string {
    const r = this.random;
    return hex32(r.uint32()) + hex32(r.uint32()) + hex32(r.uint32()) + hex32(r.uint32()) + hex32(r.uint32());
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Eight hex digits of a 32-bit unsigned integer. */
function hex32(n: number): string {
  return HEX[n >>> 24]! + HEX[(n >>> 16) & 255]! + HEX[(n >>> 8) & 255]! + HEX[n & 255]!;
}

/** Moves a time off the weekend (UTC) to Monday, at a working hour. */
function workingTime(t: number, random: Random): number {
  const date = new Date(t);
  const day = date.getUTCDay();
  if (day !== 0 && day !== 6) return t;
  const monday = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + (day === 6 ? 2 : 1));
  return monday + random.float(8, 17) * HOUR;
}

/** An exponentially distributed wait with the given mean (a Poisson process's gaps). */
function exponential(random: Random, mean: number): number {
  return -Math.log(1 - random.next()) * mean;
}

/** A timestamp in a row: epoch milliseconds, turned into a `Date` chunk by chunk as rows are written. */
function iso(t: number): number {
  return t;
}

/** A 40-digit hex digest of a text (FNV-1a, five rounds): stable ids for generated records. */
function sha40(text: string): string {
  let out = '';
  for (let round = 0; round < 5; round++) {
    let h = 0x811c9dc5 ^ round;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    out += (h >>> 0).toString(16).padStart(8, '0');
  }
  return out;
}

function hashNumber(text: string): number {
  return Number.parseInt(sha40(text).slice(0, 8), 16);
}

/** The components that get deployed: services and websites that are not experimental. */
function deployed(organisation: DemoOrganisation): DemoComponent[] {
  return organisation.components.filter((c) => c.type !== 'library' && c.lifecycle !== 'experimental');
}

/** Generates every row of the history; exported for the tests. */
export function generateDeliveryHistory(organisation: DemoOrganisation, seed: number, asOf: Date): Rows {
  const rows: Rows = { deployments: [], commits: [], pullRequests: [], pipelineRuns: [], testResults: [] };
  const end = asOf.getTime();
  const start = end - DEMO_DELIVERY_DAYS * DAY;
  const teams = new Map(organisation.teams.map((team) => [team.ref, team]));
  const root = createRandom(`${seed}:delivery`);
  for (const component of deployed(organisation)) {
    const team = teams.get(component.team);
    if (!team) continue;
    const teamRandom = root.fork(team.ref);
    const channel = teamRandom.weighted([
      ['github', 5],
      ['cdevents', 3],
      ['pave', 2],
    ] as const);
    const squash = teamRandom.chance(0.4);
    const random = root.fork(component.ref);
    const withTests = random.chance(0.45);
    const names = withTests
      ? Array.from(
          { length: 8 },
          (_, i) =>
            `com.${organisation.name}.${component.name.replaceAll('-', '')}.Suite${i % 3}Test.case${i}`,
        )
      : [];
    const flaky = new Set(withTests && random.chance(0.4) ? random.sample(names, random.int(1, 2)) : []);
    new ServiceHistory(
      random,
      component,
      team,
      channel,
      squash,
      withTests ? { names, flaky } : undefined,
      rows,
      start,
      end,
    ).run();
  }
  // A batch job deployed by hand that the catalog does not know: counted at org scope, unattributed.
  const batch = root.fork('legacy-batch');
  for (let t = start + batch.float(0, WEEK); t < end; t += exponential(batch, 2 * WEEK)) {
    const at = workingTime(t, batch);
    if (at >= end) break;
    rows.deployments.push([
      `legacy-batch-${rows.deployments.length}`,
      `${organisation.name}/legacy-batch`,
      'prod',
      null,
      'success',
      null,
      iso(at),
      iso(at),
      false,
      null,
      null,
      null,
      null,
      'demo',
      null,
      iso(at),
    ]);
  }
  return rows;
}

/** The delivery demo part; runs before the incidents part (which links incidents to its deployments). */
export const deliveryDemoPart: DemoPart = {
  name: 'delivery history',
  async run({ store, organisation, seed, asOf, progress }) {
    const started = performance.now();
    const rows = generateDeliveryHistory(organisation, seed, asOf);
    await replaceDemoRows(store, rows, progress);
    const names = new Set(rows.deployments.map((row) => row[1] as string));
    for (const row of rows.pipelineRuns) names.add(row[2] as string);
    const attribution = await attributeLoadedServices(store, names, { progress });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    return (
      `${rows.deployments.length.toLocaleString('en-US')} deployments, ${rows.commits.length.toLocaleString('en-US')} commits, ` +
      `${rows.pipelineRuns.length.toLocaleString('en-US')} pipeline runs, ${rows.testResults.length.toLocaleString('en-US')} test results ` +
      `(${attribution.services} services attributed, ${seconds} s)`
    );
  },
};

/** Deletes the previous demo rows and writes the new ones, in one transaction. */
async function replaceDemoRows(
  store: Store,
  rows: Rows,
  progress: { start(label: string, total?: number): void; tick(n?: number): void },
): Promise<void> {
  const total = Object.values(rows).reduce((sum, list) => sum + list.length, 0);
  progress.start('writing delivery history', total);
  await store.transaction(async (tx) => {
    await markSourceServices(tx, 'demo');
    for (const table of Object.values(TABLES)) await tx.execute(`DELETE FROM ${table} WHERE source = 'demo'`);
    for (const [name, list] of Object.entries(rows) as [keyof Rows, SqlParam[][]][]) {
      const columns: readonly string[] = COLUMNS[name];
      const times = TIME_COLUMNS[name].map((column) => columns.indexOf(column));
      for (let i = 0; i < list.length; i += 50_000) {
        const chunk = list.slice(i, i + 50_000);
        for (const row of chunk) {
          for (const index of times) {
            const value = row[index];
            if (typeof value === 'number') row[index] = new Date(value);
          }
        }
        await tx.insertRows(TABLES[name], columns, chunk);
        progress.tick(chunk.length);
      }
    }
  });
}
