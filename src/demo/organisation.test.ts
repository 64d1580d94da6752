import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseEntityRef } from '../core/entityRef.js';
import { InputError } from '../core/errors.js';
import type { DemoOrganisation } from './model.js';
import { ENTITY_NAME_PATTERN, TAG_PATTERN } from './naming.js';
import { generateOrganisation, MAX_DEMO_TEAMS } from './organisation.js';

const org = generateOrganisation();

/** Every entity ref of the model, in lower case, for lookups. */
function refsOf(o: DemoOrganisation): Set<string> {
  const all = [o.root, ...o.departments, ...o.teams, ...o.users, ...o.domains, ...o.systems, ...o.components];
  return new Set([...all, ...o.apis, ...o.resources].map((e) => e.ref.toLowerCase()));
}

/** Each `[where, ref, allowed kinds]` a model entity points to. */
function referencesOf(o: DemoOrganisation): [string, string, string[]][] {
  const out: [string, string, string[]][] = [];
  const add = (where: string, ref: string | undefined, kinds: string[]) => {
    if (ref !== undefined) out.push([where, ref, kinds]);
  };
  for (const group of [o.root, ...o.departments, ...o.teams]) {
    add(`${group.ref} parent`, group.parent, ['group']);
    for (const child of group.children) add(`${group.ref} children`, child, ['group']);
  }
  for (const department of o.departments)
    for (const d of department.domains) add(department.ref, d, ['domain']);
  for (const team of o.teams) add(`${team.ref} department`, team.department, ['group']);
  for (const user of o.users) for (const g of user.memberOf) add(`${user.ref} memberOf`, g, ['group']);
  for (const domain of o.domains) {
    add(`${domain.ref} owner`, domain.owner, ['group']);
    for (const s of domain.systems) add(`${domain.ref} systems`, s, ['system']);
  }
  for (const system of o.systems) {
    add(`${system.ref} owner`, system.owner, ['group']);
    add(`${system.ref} domain`, system.domain, ['domain']);
    add(`${system.ref} department`, system.department, ['group']);
    for (const t of system.teams) add(`${system.ref} teams`, t, ['group']);
  }
  for (const c of o.components) {
    add(`${c.ref} owner`, c.owner, ['group', 'user']);
    add(`${c.ref} team`, c.team, ['group']);
    add(`${c.ref} department`, c.department, ['group']);
    add(`${c.ref} system`, c.system, ['system']);
    add(`${c.ref} domain`, c.domain, ['domain']);
    for (const d of c.dependsOn) add(`${c.ref} dependsOn`, d, ['component', 'resource']);
    for (const a of c.providesApis) add(`${c.ref} providesApis`, a, ['api']);
    for (const a of c.consumesApis) add(`${c.ref} consumesApis`, a, ['api']);
  }
  for (const api of o.apis) {
    add(`${api.ref} owner`, api.owner, ['group']);
    add(`${api.ref} system`, api.system, ['system']);
    add(`${api.ref} provider`, api.provider, ['component']);
  }
  for (const r of o.resources) {
    add(`${r.ref} owner`, r.owner, ['group']);
    add(`${r.ref} system`, r.system, ['system']);
  }
  for (const q of o.quirks) add(`quirk ${q.kind}`, q.ref, ['component', 'resource', 'api']);
  return out;
}

function dependents(o: DemoOrganisation): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const c of o.components) for (const d of c.dependsOn) map.set(d, [...(map.get(d) ?? []), c.ref]);
  return map;
}

describe('generateOrganisation', () => {
  it('is deterministic: the same seed and options give the same organisation, another seed another', () => {
    expect(JSON.stringify(generateOrganisation({ seed: 1, teams: 40 }))).toBe(JSON.stringify(org));
    const other = generateOrganisation({ seed: 2 });
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(org));
    // Not just a reshuffle of one detail: the people and the graph differ.
    expect(other.users.map((u) => u.name)).not.toEqual(org.users.map((u) => u.name));
    expect(other.components.map((c) => c.dependsOn)).not.toEqual(org.components.map((c) => c.dependsOn));
  });

  it('rejects bad options with an InputError', () => {
    for (const teams of [0, -1, 2.5, MAX_DEMO_TEAMS + 1, Number.NaN]) {
      expect(() => generateOrganisation({ teams })).toThrow(InputError);
    }
    for (const seed of [-1, 1.5, Number.NaN]) {
      expect(() => generateOrganisation({ seed })).toThrow(/seed must be a non-negative integer/);
    }
  });

  it('has the size the options ask for, about 300 components for 40 teams', () => {
    expect(org.options).toEqual({ seed: 1, teams: 40 });
    expect(org.teams).toHaveLength(40);
    expect(org.departments.length).toBeGreaterThanOrEqual(5);
    expect(org.departments.length).toBeLessThanOrEqual(7);
    expect(org.domains).toHaveLength(org.departments.length);
    expect(org.systems.length).toBeGreaterThanOrEqual(25);
    expect(org.systems.length).toBeLessThanOrEqual(35);
    expect(org.components.length).toBeGreaterThanOrEqual(270);
    expect(org.components.length).toBeLessThanOrEqual(330);
    expect(org.apis.length).toBeGreaterThanOrEqual(80);
    expect(org.apis.length).toBeLessThanOrEqual(120);
    expect(org.resources.length).toBeGreaterThanOrEqual(64);
    expect(org.resources.length).toBeLessThanOrEqual(96);
    for (const team of org.teams) {
      const members = org.users.filter((u) => u.memberOf[0] === team.ref);
      expect(members.length, team.ref).toBeGreaterThanOrEqual(4);
      expect(members.length, team.ref).toBeLessThanOrEqual(9);
      expect(
        org.components.some((c) => c.team === team.ref),
        `${team.ref} owns something`,
      ).toBe(true);
    }
  });

  it('scales with the number of teams', () => {
    for (const teams of [1, 5, 12, 80]) {
      const small = generateOrganisation({ seed: 3, teams });
      expect(small.teams).toHaveLength(teams);
      const perTeam = small.components.length / teams;
      expect(perTeam, `${teams} teams`).toBeGreaterThanOrEqual(6.5);
      expect(perTeam, `${teams} teams`).toBeLessThanOrEqual(9);
      const known = refsOf(small);
      expect(referencesOf(small).filter(([, ref]) => !known.has(ref.toLowerCase()))).toEqual([]);
    }
  });

  it('leaves no reference dangling, and every reference has the kind its field expects', () => {
    for (const o of [org, generateOrganisation({ seed: 11, teams: 25 })]) {
      const known = refsOf(o);
      const problems: string[] = [];
      for (const [where, ref, kinds] of referencesOf(o)) {
        const parsed = parseEntityRef(ref);
        if (!known.has(ref.toLowerCase())) problems.push(`${where}: ${ref} does not exist`);
        if (!kinds.includes(parsed.kind)) problems.push(`${where}: ${ref} is not a ${kinds.join(' or ')}`);
      }
      expect(problems).toEqual([]);
    }
  });

  it('keeps both sides of every pair consistent: parent/children, provider/providesApis, team/department', () => {
    const groups = new Map([org.root, ...org.departments, ...org.teams].map((g) => [g.ref, g]));
    for (const group of groups.values()) {
      for (const child of group.children) expect(groups.get(child)?.parent, child).toBe(group.ref);
      if (group.parent) expect(groups.get(group.parent)?.children, group.ref).toContain(group.ref);
    }
    expect(org.root.parent).toBeUndefined();
    expect(org.departments.every((d) => d.type === 'department' && d.parent === org.root.ref)).toBe(true);
    expect(
      org.teams.every((t) => t.type === 'team' && t.parent === t.department && t.children.length === 0),
    ).toBe(true);
    for (const api of org.apis) {
      const providers = org.components.filter((c) => c.providesApis.includes(api.ref));
      expect(
        providers.map((c) => c.ref),
        api.ref,
      ).toEqual([api.provider]);
    }
    for (const c of org.components) {
      const system = org.systems.find((s) => s.ref === c.system);
      if (system) {
        expect(c.domain).toBe(system.domain);
        expect(system.teams).toContain(c.team);
      }
      expect(org.teams.find((t) => t.ref === c.team)?.department).toBe(c.department);
    }
    for (const domain of org.domains) {
      expect(org.systems.filter((s) => s.domain === domain.ref).map((s) => s.ref)).toEqual(domain.systems);
      expect(org.departments.map((d) => d.ref)).toContain(domain.owner);
    }
  });

  it('names and tags every entity the way Backstage allows, uniquely per kind and namespace', () => {
    const named = [
      ...[org.root, ...org.departments, ...org.teams].map((e) => ['group', 'default', e.name] as const),
      ...org.users.map((e) => ['user', 'default', e.name] as const),
      ...org.domains.map((e) => ['domain', 'default', e.name] as const),
      ...org.systems.map((e) => ['system', 'default', e.name] as const),
      ...org.components.map((e) => ['component', 'default', e.name] as const),
      ...org.apis.map((e) => ['api', 'default', e.name] as const),
      ...org.resources.map((e) => ['resource', e.namespace, e.name] as const),
    ];
    const seen = new Set<string>();
    for (const [kind, namespace, name] of named) {
      expect(name, `${kind} ${name}`).toMatch(ENTITY_NAME_PATTERN);
      expect(name.length).toBeLessThanOrEqual(63);
      const key = `${kind}:${namespace}/${name}`.toLowerCase();
      expect(seen.has(key), `duplicate ${key}`).toBe(false);
      seen.add(key);
    }
    const tags = [...org.components, ...org.apis, ...org.resources].flatMap((e) => e.tags);
    expect(tags.length).toBeGreaterThan(300);
    for (const tag of tags) {
      expect(tag).toMatch(TAG_PATTERN);
      expect(tag.length).toBeLessThanOrEqual(63);
    }
    // The patterns themselves reject what Backstage rejects.
    expect('-bad').not.toMatch(ENTITY_NAME_PATTERN);
    expect('a'.repeat(64)).toMatch(ENTITY_NAME_PATTERN); // the length is checked separately above
    expect('Java_Script').not.toMatch(TAG_PATTERN);
  });

  it('has an acyclic dependency graph with no self-edges', () => {
    for (const o of [org, generateOrganisation({ seed: 5, teams: 60 })]) {
      const edges = new Map(
        o.components.map((c) => [c.ref, c.dependsOn.filter((d) => d.startsWith('component:'))]),
      );
      for (const [ref, deps] of edges) expect(deps, ref).not.toContain(ref);
      // Kahn's algorithm: every component is removed only if there is no cycle.
      const indegree = new Map([...edges.keys()].map((ref) => [ref, 0]));
      for (const deps of edges.values()) for (const d of deps) indegree.set(d, indegree.get(d)! + 1);
      const ready = [...indegree].filter(([, n]) => n === 0).map(([ref]) => ref);
      let removed = 0;
      while (ready.length > 0) {
        const ref = ready.pop()!;
        removed++;
        for (const d of edges.get(ref)!) {
          indegree.set(d, indegree.get(d)! - 1);
          if (indegree.get(d) === 0) ready.push(d);
        }
      }
      expect(removed).toBe(o.components.length);
    }
  });

  it('has a plausible graph: hubs, cross-domain edges, resources at the bottom, layered callers', () => {
    const byRef = new Map(org.components.map((c) => [c.ref, c]));
    const counts = [...dependents(org).entries()].map(([ref, list]) => [ref, list.length] as const);
    counts.sort((a, b) => b[1] - a[1]);
    // A few hubs with many dependents (auth, the service chassis, the event bus...).
    expect(counts[0]![1]).toBeGreaterThanOrEqual(30);
    expect(counts.filter(([, n]) => n >= 15).length).toBeGreaterThanOrEqual(3);
    const componentEdges = org.components.flatMap((c) =>
      c.dependsOn.filter((d) => d.startsWith('component:')).map((d) => [c, byRef.get(d)!] as const),
    );
    const crossDomain = componentEdges.filter(([a, b]) => a.domain && b.domain && a.domain !== b.domain);
    expect(crossDomain.length / componentEdges.length).toBeGreaterThan(0.05);
    // Nothing depends on a website; a library depends on nothing.
    expect(componentEdges.filter(([, b]) => b.type === 'website')).toEqual([]);
    expect(org.components.filter((c) => c.type === 'library' && c.dependsOn.length > 0)).toEqual([]);
    // Frontends reach their backends; nearly every service uses a resource or another service.
    const websites = org.components.filter((c) => c.type === 'website');
    expect(websites.every((w) => w.dependsOn.length > 0)).toBe(true);
    const resourceUsers = org.components.filter((c) => c.dependsOn.some((d) => d.startsWith('resource:')));
    expect(resourceUsers.length).toBeGreaterThan(org.resources.length);
    // Every resource is used by someone.
    const used = new Set(org.components.flatMap((c) => c.dependsOn));
    expect(org.resources.filter((r) => !used.has(r.ref)).map((r) => r.ref)).toEqual([]);
    // Consumers call what they consume (synchronous APIs) or read its topic (events).
    const apis = new Map(org.apis.map((a) => [a.ref, a]));
    for (const c of org.components) {
      for (const a of c.consumesApis) {
        const api = apis.get(a)!;
        if (api.type === 'asyncapi') {
          expect(
            c.dependsOn.some((d) => d.startsWith('resource:')),
            `${c.ref} reads ${a}`,
          ).toBe(true);
        } else expect(c.dependsOn, `${c.ref} consumes ${a}`).toContain(api.provider);
      }
    }
  });

  it('has realistic shares of types, lifecycles and tiers', () => {
    const share = (predicate: (c: (typeof org.components)[number]) => boolean) =>
      org.components.filter(predicate).length / org.components.length;
    expect(share((c) => c.type === 'service')).toBeGreaterThan(0.6);
    expect(share((c) => c.type === 'website')).toBeGreaterThan(0.05);
    expect(share((c) => c.type === 'library')).toBeGreaterThan(0.05);
    expect(share((c) => c.lifecycle === 'production')).toBeGreaterThan(0.7);
    expect(share((c) => c.lifecycle === 'experimental')).toBeGreaterThan(0.08);
    expect(share((c) => c.lifecycle === 'deprecated')).toBeGreaterThan(0.04);
    expect(share((c) => c.lifecycle === 'deprecated')).toBeLessThan(0.1);
    expect(share((c) => c.tier === 1)).toBeGreaterThan(0.1);
    expect(share((c) => c.tier === 1)).toBeLessThan(0.2);
    expect(share((c) => c.tier === 3)).toBeGreaterThan(0.3);
    // Tier 1 is production services and websites only.
    const tier1 = org.components.filter((c) => c.tier === 1);
    expect(tier1.every((c) => c.lifecycle === 'production' && c.type !== 'library')).toBe(true);
    expect(new Set(org.apis.map((a) => a.type))).toEqual(new Set(['openapi', 'grpc', 'asyncapi']));
    expect(new Set(org.resources.map((r) => r.type))).toEqual(
      new Set(['database', 'queue', 's3-bucket', 'cache']),
    );
  });

  it('carries what later demo parts and scorecards need: owners, runbooks, repositories, PagerDuty', () => {
    for (const c of org.components) {
      const annotated = c.type !== 'library' && c.tier !== 3;
      expect(c.pagerDutyServiceId !== undefined, `${c.ref} PagerDuty`).toBe(annotated);
      if (c.pagerDutyServiceId) expect(c.pagerDutyServiceId).toMatch(/^P[A-Z0-9]{6}$/);
      expect(c.repository).toMatch(/^brightwave\/[a-z0-9-]+$/);
      for (const link of c.links) expect(() => new URL(link.url)).not.toThrow();
      if (c.lifecycle === 'production' && c.type !== 'library') {
        const runbook = c.links.find((l) => l.type === 'runbook');
        expect(runbook?.url, `${c.ref} runbook`).toMatch(/^https:\/\/runbooks\.demo\.pave\.dev\//);
      }
    }
    const ids = org.components.flatMap((c) => (c.pagerDutyServiceId ? [c.pagerDutyServiceId] : []));
    expect(new Set(ids).size).toBe(ids.length);
    for (const user of org.users) {
      expect(user.email).toBe(`${user.name}@demo.pave.dev`);
      expect(user.timezone).toMatch(/^[A-Z][a-z]+\/[A-Za-z_]+$/);
    }
  });

  it('gives teams every delivery tier, improving and declining teams, and both ends of reliability', () => {
    for (const o of [org, generateOrganisation({ seed: 9, teams: 8 })]) {
      const teams = o.teams.map((t) => t.profile);
      expect(new Set(teams.map((p) => p.delivery))).toEqual(new Set(['elite', 'high', 'medium', 'low']));
      expect(new Set(teams.map((p) => p.trend))).toEqual(new Set(['improving', 'steady', 'declining']));
      expect(teams.some((p) => p.reliability === 'strong')).toBe(true);
      expect(teams.some((p) => p.reliability === 'fragile')).toBe(true);
    }
  });

  it('includes the imperfections of a real catalog, each where its quirk says', () => {
    const kinds = new Set(org.quirks.map((q) => q.kind));
    expect(kinds).toEqual(
      new Set([
        'user-owner',
        'deprecated-dependency',
        'cross-namespace-dependency',
        'shared-database',
        'missing-runbook',
        'no-system',
      ]),
    );
    const byRef = new Map(org.components.map((c) => [c.ref, c]));
    const personal = org.components.filter((c) => c.owner.startsWith('user:'));
    expect(personal.length).toBeGreaterThanOrEqual(2);
    expect(personal.length).toBeLessThanOrEqual(3);
    for (const c of personal) {
      const owner = org.users.find((u) => u.ref === c.owner)!;
      expect(owner.memberOf).toContain(c.team);
    }
    const users = dependents(org);
    for (const q of org.quirks.filter((q) => q.kind === 'deprecated-dependency')) {
      expect(byRef.get(q.ref)?.lifecycle).toBe('deprecated');
      const callers = (users.get(q.ref) ?? []).map((ref) => byRef.get(ref)!);
      expect(callers.some((c) => c.lifecycle === 'production')).toBe(true);
    }
    const foreign = org.resources.filter((r) => r.namespace !== 'default');
    expect(foreign.length).toBeGreaterThan(0);
    expect(org.components.some((c) => c.dependsOn.some((d) => foreign.some((r) => r.ref === d)))).toBe(true);
    const shared = org.quirks.find((q) => q.kind === 'shared-database')!;
    const readers = (users.get(shared.ref) ?? []).map((ref) => byRef.get(ref)!);
    expect(new Set(readers.map((c) => c.team)).size).toBeGreaterThan(1);
    for (const q of org.quirks.filter((q) => q.kind === 'missing-runbook')) {
      expect(byRef.get(q.ref)?.links.some((l) => l.type === 'runbook')).toBe(false);
    }
    const unplaced = org.quirks.find((q) => q.kind === 'no-system')!;
    expect(byRef.get(unplaced.ref)?.system).toBeUndefined();
  });

  it('holds its promises for other seeds too, not just the default one', () => {
    for (const seed of [2, 3, 4, 5]) {
      const o = generateOrganisation({ seed });
      const known = refsOf(o);
      expect(
        referencesOf(o).filter(([, ref]) => !known.has(ref.toLowerCase())),
        `seed ${seed}`,
      ).toEqual([]);
      expect(new Set(o.quirks.map((q) => q.kind)).size, `seed ${seed} quirks`).toBe(6);
      expect(new Set(o.teams.map((t) => t.profile.delivery)).size).toBe(4);
      const tier1 = o.components.filter((c) => c.tier === 1).length / o.components.length;
      expect(tier1).toBeGreaterThan(0.1);
      expect(tier1).toBeLessThan(0.2);
    }
  });

  it('inlines small valid API definitions: OpenAPI 3.0, AsyncAPI 2.6 and proto3', () => {
    for (const api of org.apis) {
      if (api.type === 'openapi') {
        const doc = parse(api.definition);
        expect(doc.openapi).toBe('3.0.3');
        expect(Object.keys(doc.paths).length).toBeGreaterThan(0);
        // Every $ref points inside the document.
        for (const ref of api.definition.match(/#\/components\/schemas\/[A-Za-z0-9]+/g) ?? []) {
          expect(doc.components.schemas[ref.split('/').at(-1)!], `${api.ref} ${ref}`).toBeDefined();
        }
      } else if (api.type === 'asyncapi') {
        const doc = parse(api.definition);
        expect(doc.asyncapi).toBe('2.6.0');
        const [channel] = Object.values(doc.channels) as { subscribe: { message: { $ref: string } } }[];
        const message = channel!.subscribe.message.$ref.split('/').at(-1)!;
        expect(doc.components.messages[message].payload.type).toBe('object');
      } else {
        expect(api.definition).toMatch(/^syntax = "proto3";\n\npackage [a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+;/);
        expect(api.definition).toMatch(/service [A-Z][A-Za-z0-9]*Service \{/);
        expect(api.definition.split('{').length).toBe(api.definition.split('}').length);
      }
    }
  });
});
