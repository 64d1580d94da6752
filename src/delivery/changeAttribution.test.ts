import { describe, expect, it } from 'vitest';
import {
  attributeChanges,
  type ChainDeployment,
  deploymentFacts,
  type ParentsOf,
} from './changeAttribution.js';

/** A graph from `child: parents` pairs. */
function graph(edges: Record<string, string[]>): ParentsOf {
  return (sha) => edges[sha];
}

const t = (hour: number) => Date.UTC(2024, 2, 4, hour) / 1000;

describe('attributeChanges', () => {
  // a - b - c - m - e      (m merges the branch x - y that forked at b)
  //      \- x - y -/
  const edges = graph({ a: [], b: ['a'], c: ['b'], x: ['b'], y: ['x'], m: ['c', 'y'], e: ['m'] });

  it('gives each deployment the commits reachable from it and not shipped before', () => {
    const chain: ChainDeployment[] = [
      { id: 'd0', sha: 'b', finishedAt: t(1) },
      { id: 'd1', sha: 'm', finishedAt: t(2) },
      { id: 'd2', sha: 'e', finishedAt: t(3) },
    ];
    const result = attributeChanges(chain, edges);
    expect(result.map((r) => [r.deploymentId, r.baseline, [...r.shas].sort()])).toEqual([
      ['d0', true, []],
      ['d1', false, ['c', 'm', 'x', 'y']],
      ['d2', false, ['e']],
    ]);
  });

  it('counts a commit once, in the first deployment that shipped it, whatever rollbacks happen', () => {
    const chain: ChainDeployment[] = [
      { id: 'd0', sha: 'a', finishedAt: t(1) },
      { id: 'd1', sha: 'c', finishedAt: t(2) },
      { id: 'back', sha: 'b', finishedAt: t(3), rollback: true },
      { id: 'again', sha: 'c', finishedAt: t(4) },
      { id: 'd3', sha: 'e', finishedAt: t(5) },
    ];
    const result = attributeChanges(chain, edges);
    expect(result.map((r) => [...r.shas].sort())).toEqual([[], ['b', 'c'], [], [], ['e', 'm', 'x', 'y']]);
  });

  it('skips deployments without a sha, and the first one with a sha is the baseline', () => {
    const chain: ChainDeployment[] = [
      { id: 'nosha', finishedAt: t(1) },
      { id: 'd0', sha: 'c', finishedAt: t(2) },
      { id: 'd1', sha: 'e', finishedAt: t(3) },
    ];
    const result = attributeChanges(chain, edges);
    expect(result.map((r) => [r.baseline, [...r.shas].sort()])).toEqual([
      [false, []],
      [true, []],
      [false, ['e', 'm', 'x', 'y']],
    ]);
  });

  it('counts an unknown deployed commit as a change of its own', () => {
    const chain: ChainDeployment[] = [
      { id: 'd0', sha: 'a', finishedAt: t(1) },
      { id: 'd1', sha: 'unknown', finishedAt: t(2) },
    ];
    expect(attributeChanges(chain, edges)[1]!.shas).toEqual(['unknown']);
  });

  it('walks a long linear history without recursion', () => {
    const parents: Record<string, string[]> = { c0: [] };
    for (let i = 1; i <= 100_000; i++) parents[`c${i}`] = [`c${i - 1}`];
    const result = attributeChanges(
      [
        { id: 'd0', sha: 'c10', finishedAt: t(1) },
        { id: 'd1', sha: 'c100000', finishedAt: t(2) },
      ],
      graph(parents),
    );
    expect(result[1]!.shas.length).toBe(99_990);
  });
});

describe('deploymentFacts', () => {
  const noChanges = (chain: ChainDeployment[]) =>
    chain.map((d) => ({ deploymentId: d.id, baseline: false, shas: [] }));

  it('fails a deployment a rollback names, recovered when the rollback finished', () => {
    const chain: ChainDeployment[] = [
      { id: 'd1', sha: 'a', finishedAt: t(1) },
      { id: 'd2', sha: 'b', finishedAt: t(2) },
      { id: 'r', sha: 'a', finishedAt: t(4), rollbackOf: 'd2' },
    ];
    const facts = deploymentFacts(chain, noChanges(chain));
    expect(facts[1]).toMatchObject({
      failed: true,
      failureKind: 'rollback',
      decidedBy: 'r',
      recoveredAt: t(4),
    });
    expect(facts[0]!.failed).toBe(false);
    expect(facts[2]).toMatchObject({ failed: false, rework: true, reworkReason: 'rollback' });
  });

  it('fails the deployment before an anonymous rollback (CDEvents service.rolledback)', () => {
    const chain: ChainDeployment[] = [
      { id: 'd1', sha: 'a', finishedAt: t(1) },
      { id: 'd2', sha: 'b', finishedAt: t(2) },
      { id: 'r', sha: 'a', finishedAt: t(3), rollback: true },
    ];
    expect(deploymentFacts(chain, noChanges(chain))[1]).toMatchObject({ failed: true, decidedBy: 'r' });
  });

  it('fails a deployment whose successor restores the sha before it', () => {
    const chain: ChainDeployment[] = [
      { id: 'd1', sha: 'a', finishedAt: t(1) },
      { id: 'd2', sha: 'b', finishedAt: t(2) },
      { id: 'd3', sha: 'a', finishedAt: t(3) },
      { id: 'd4', sha: 'c', finishedAt: t(4) },
    ];
    const facts = deploymentFacts(chain, noChanges(chain));
    expect(facts.map((f) => f.failed)).toEqual([false, true, false, false]);
    expect(facts[1]).toMatchObject({ failureKind: 'restored', decidedBy: 'd3', recoveredAt: t(3) });
    expect(facts[2]).toMatchObject({ rework: true, reworkReason: 'rollback (restores an earlier sha)' });
  });

  it('does not take a redeploy of the same sha for a rollback', () => {
    const chain: ChainDeployment[] = [
      { id: 'd1', sha: 'a', finishedAt: t(1) },
      { id: 'd2', sha: 'a', finishedAt: t(2) },
      { id: 'd3', sha: 'a', finishedAt: t(3) },
    ];
    expect(deploymentFacts(chain, noChanges(chain)).some((f) => f.failed)).toBe(false);
  });

  it('fails a deployment a remediation names, even from another service, and counts it once', () => {
    const chain: ChainDeployment[] = [
      { id: 'd1', sha: 'a', finishedAt: t(1) },
      { id: 'd2', sha: 'b', finishedAt: t(2) },
      { id: 'fix', sha: 'c', finishedAt: t(5), remediates: 'd2' },
    ];
    const elsewhere: ChainDeployment = { id: 'other-fix', finishedAt: t(3), remediates: 'd2' };
    const facts = deploymentFacts(chain, noChanges(chain), [elsewhere]);
    expect(facts[1]).toMatchObject({
      failed: true,
      failureKind: 'remediation',
      decidedBy: 'other-fix',
      recoveredAt: t(3),
    });
    expect(facts.filter((f) => f.failed)).toHaveLength(1);
    expect(facts[2]).toMatchObject({ rework: true, reworkReason: 'remediation' });
  });

  it('takes an explicit unplanned flag over the rollback rule', () => {
    const chain: ChainDeployment[] = [
      { id: 'd1', sha: 'a', finishedAt: t(1), unplanned: true },
      { id: 'd2', sha: 'b', finishedAt: t(2), remediates: 'd1', unplanned: false },
    ];
    const facts = deploymentFacts(chain, noChanges(chain));
    expect(facts.map((f) => [f.rework, f.reworkReason])).toEqual([
      [true, 'unplanned'],
      [false, undefined],
    ]);
  });
});
