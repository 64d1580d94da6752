/**
 * The pure heart of attribution, for one service's chain of successful production deployments in
 * the order they finished:
 * - `attributeChanges`: the changes of each deployment, the commits reachable from its sha and not
 *   shipped by an earlier deployment (walking the commit graph, or whatever edges push and
 *   pull-request commit lists give), each commit counted once, in the first deployment that
 *   shipped it. The first deployment with a known sha is the baseline: what it shipped was
 *   written before Pave's history starts, so it has no changes (otherwise its lead times would
 *   be the age of the repository).
 * - `deploymentFacts`: which deployments failed because a rollback or remediation says so (see
 *   docs/metrics.md, change failure rate), when they recovered, and which are rework.
 * Incidents are applied at query time (`incidentAttribution.ts`), as they live in another domain.
 */

/** A successful production deployment, times in seconds since the epoch. */
export interface ChainDeployment {
  id: string;
  sha?: string;
  finishedAt: number;
  rollback?: boolean;
  rollbackOf?: string;
  remediates?: string;
  unplanned?: boolean;
}

/** The parents of a commit (git parents and edges from push and pull-request lists), if known. */
export type ParentsOf = (sha: string) => readonly string[] | undefined;

/** The changes one deployment shipped. */
export interface DeploymentChanges {
  deploymentId: string;
  /** The first deployment with a sha: its history is the starting point, not changes. */
  baseline: boolean;
  /** Shas first shipped by this deployment, newest first (walk order). */
  shas: string[];
}

/** Why a deployment counts as failed without an incident. */
export type FailureKind = 'rollback' | 'restored' | 'remediation';

/** What the chain says about one deployment. */
export interface DeploymentFacts {
  deploymentId: string;
  previousId?: string;
  baseline: boolean;
  changeCount: number;
  failed: boolean;
  failureKind?: FailureKind;
  /** The rollback or remediation deployment that decided it failed (the first to finish). */
  decidedBy?: string;
  /** When the first rollback or remediation finished (never before the deployment itself). */
  recoveredAt?: number;
  rework: boolean;
  reworkReason?: string;
}

/** Walks the commit graph in deployment order; see the module comment. */
export function attributeChanges(
  chain: readonly ChainDeployment[],
  parentsOf: ParentsOf,
): DeploymentChanges[] {
  const shipped = new Set<string>();
  const result: DeploymentChanges[] = [];
  let baselineSeen = false;
  for (const deployment of chain) {
    const changes: DeploymentChanges = { deploymentId: deployment.id, baseline: false, shas: [] };
    result.push(changes);
    if (deployment.sha === undefined) continue;
    const baseline = !baselineSeen;
    baselineSeen = true;
    changes.baseline = baseline;
    const stack = [deployment.sha];
    while (stack.length > 0) {
      const sha = stack.pop()!;
      if (shipped.has(sha)) continue;
      shipped.add(sha);
      if (!baseline) changes.shas.push(sha);
      const parents = parentsOf(sha);
      if (parents === undefined) continue;
      for (let i = parents.length - 1; i >= 0; i--) {
        const parent = parents[i]!;
        if (!shipped.has(parent)) stack.push(parent);
      }
    }
  }
  return result;
}

interface Decision {
  kind: FailureKind;
  by: ChainDeployment;
}

/**
 * The facts of each chain deployment. `deciders` are the successful production deployments (of
 * any service) whose `rollbackOf` or `remediates` names a deployment of the chain.
 * A deployment failed when:
 * - a rollback names it (`rollbackOf`), or a rollback naming nothing comes right after it
 *   (CDEvents `service.rolledback`): `rollback`;
 * - the next deployment restores the sha of the one before it: `restored`;
 * - a remediating deployment names it (`remediates`): `remediation`.
 * It counts once whatever the number of reasons; the first decider to finish decides and sets
 * the recovery time. Rework: a deployment marked unplanned, or (unless marked planned) a rollback,
 * a restoring deployment or a remediation.
 */
export function deploymentFacts(
  chain: readonly ChainDeployment[],
  changes: readonly DeploymentChanges[],
  deciders: readonly ChainDeployment[] = [],
): DeploymentFacts[] {
  const position = new Map(chain.map((deployment, index) => [deployment.id, index]));
  const decisions = new Map<string, Decision[]>();
  const decide = (targetId: string, kind: FailureKind, by: ChainDeployment) => {
    if (targetId === by.id || !position.has(targetId)) return;
    const list = decisions.get(targetId);
    if (list) list.push({ kind, by });
    else decisions.set(targetId, [{ kind, by }]);
  };
  const restores = new Set<string>();
  const seen = new Set<string>();
  for (const by of [...chain, ...deciders]) {
    if (seen.has(by.id)) continue;
    seen.add(by.id);
    if (by.rollbackOf !== undefined) decide(by.rollbackOf, 'rollback', by);
    if (by.remediates !== undefined) decide(by.remediates, 'remediation', by);
  }
  for (let i = 1; i < chain.length; i++) {
    const current = chain[i]!;
    const previous = chain[i - 1]!;
    if (current.rollback && current.rollbackOf === undefined) {
      // A rollback that names nothing undoes the deployment right before it.
      if (current.sha === undefined || current.sha !== previous.sha) decide(previous.id, 'rollback', current);
      continue;
    }
    const next = chain[i + 1];
    if (
      next !== undefined &&
      !next.rollback &&
      next.rollbackOf === undefined &&
      next.sha !== undefined &&
      next.sha === previous.sha &&
      next.sha !== current.sha
    ) {
      decide(current.id, 'restored', next);
      restores.add(next.id);
    }
  }

  return chain.map((deployment, index) => {
    const change = changes[index];
    const facts: DeploymentFacts = {
      deploymentId: deployment.id,
      baseline: change?.baseline ?? false,
      changeCount: change?.shas.length ?? 0,
      failed: false,
      rework: false,
    };
    if (index > 0) facts.previousId = chain[index - 1]!.id;
    const list = decisions.get(deployment.id);
    if (list && list.length > 0) {
      const first = [...list].sort(
        (a, b) => a.by.finishedAt - b.by.finishedAt || a.by.id.localeCompare(b.by.id),
      )[0]!;
      facts.failed = true;
      facts.failureKind = first.kind;
      facts.decidedBy = first.by.id;
      facts.recoveredAt = Math.max(first.by.finishedAt, deployment.finishedAt);
    }
    const reason = reworkReason(deployment, restores.has(deployment.id));
    if (reason !== undefined) {
      facts.rework = true;
      facts.reworkReason = reason;
    }
    return facts;
  });
}

function reworkReason(deployment: ChainDeployment, restores: boolean): string | undefined {
  if (deployment.unplanned === true) return 'unplanned';
  if (deployment.unplanned === false) return undefined;
  if (deployment.rollback || deployment.rollbackOf !== undefined) return 'rollback';
  if (restores) return 'rollback (restores an earlier sha)';
  if (deployment.remediates !== undefined) return 'remediation';
  return undefined;
}
