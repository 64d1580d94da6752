/**
 * Generates the demo organisation: a deterministic, realistic company (Brightwave, an online
 * retailer) with departments, teams, people, domains, systems, components, APIs and resources.
 *
 * The dependency graph is layered the way real ones are: websites -> backends-for-frontends and
 * gateways -> domain services -> shared platform services -> libraries, with resources at the
 * bottom. Every component has a rank (layer, then system, then position) and only depends on
 * components of a higher rank, so the graph has no cycles by construction; domain services reach
 * into later departments (commerce -> fulfilment -> payments -> customer -> data), which gives the
 * cross-domain edges, and a weighted draw makes a few platform services hubs.
 *
 * Each generation phase draws from its own forked random stream, so changing one phase does not
 * reshuffle the others.
 */
import { InputError } from '../core/errors.js';
import { allocate, allocateCapped, exactMix, weightedSample } from './allocate.js';
import { asyncApiDefinition, grpcDefinition, openApiDefinition } from './apiDefinitions.js';
import type {
  ApiType,
  ComponentRole,
  ComponentType,
  DeliveryPerformance,
  DemoApi,
  DemoComponent,
  DemoDepartment,
  DemoDomain,
  DemoGroup,
  DemoLink,
  DemoOrganisation,
  DemoQuirk,
  DemoResource,
  DemoSystem,
  DemoTeam,
  DemoUser,
  Lifecycle,
  ReliabilityProfile,
  ResourceType,
  Tier,
  Trend,
} from './model.js';
import { compareText, NameRegistry, titleCase, words } from './naming.js';
import { generatePeople } from './people.js';
import { createRandom, type Random } from './random.js';
import {
  BUCKET_NOUNS,
  COMPANY,
  type CoreComponentTemplate,
  DATABASE_ENGINES,
  DEPARTMENTS,
  type DepartmentTemplate,
  ESSENTIAL_DEPARTMENTS,
  QUEUE_ENGINES,
  type SystemTemplate,
  VARIANTS,
  WORKER_SUFFIXES,
} from './vocabulary.js';

/** Options of `generateOrganisation`. */
export interface GenerateOrganisationOptions {
  /** Non-negative integer; the same seed and options give the same organisation. Default 1. */
  seed?: number;
  /** Number of teams, 1 to `MAX_DEMO_TEAMS`. Default 40 (about 300 components). */
  teams?: number;
}

export const DEFAULT_DEMO_SEED = 1;
export const DEFAULT_DEMO_TEAMS = 40;
/** Enough for the 10,000-entity benchmarks (about 490 teams) with room to spare. */
export const MAX_DEMO_TEAMS = 2000;

/** Components per team, APIs per team, resources per team: 40 teams give about 300, 100, 80. */
const COMPONENTS_PER_TEAM = 7.5;
const APIS_PER_TEAM = 2.5;
const RESOURCES_PER_TEAM = 2;
const DEPRECATED_SHARE = 0.07;
const EXPERIMENTAL_SHARE = 0.13;
const TIER1_SHARE = 0.15;
const TIER2_SHARE = 0.35;

const LAYER: Record<ComponentRole, number> = {
  frontend: 0,
  bff: 1,
  gateway: 1,
  domain: 2,
  worker: 2,
  platform: 3,
  library: 4,
};

const DELIVERY_MIX: readonly (readonly [DeliveryPerformance, number])[] = [
  ['elite', 0.2],
  ['high', 0.35],
  ['medium', 0.3],
  ['low', 0.15],
];
const TREND_MIX: readonly (readonly [Trend, number])[] = [
  ['improving', 0.2],
  ['steady', 0.65],
  ['declining', 0.15],
];
// Stability follows throughput (DORA): better performers break less.
const RELIABILITY_BY_DELIVERY: Record<
  DeliveryPerformance,
  readonly (readonly [ReliabilityProfile, number])[]
> = {
  elite: [
    ['strong', 0.6],
    ['average', 0.35],
    ['fragile', 0.05],
  ],
  high: [
    ['strong', 0.4],
    ['average', 0.5],
    ['fragile', 0.1],
  ],
  medium: [
    ['strong', 0.2],
    ['average', 0.55],
    ['fragile', 0.25],
  ],
  low: [
    ['strong', 0.1],
    ['average', 0.45],
    ['fragile', 0.45],
  ],
};

interface DepartmentDraft {
  template: DepartmentTemplate;
  group: DemoDepartment;
  domain: DemoDomain;
  teams: DemoTeam[];
  /** How many teams it gets; they are made with its systems, since they are named after them. */
  teamCount: number;
  systems: SystemDraft[];
}

interface SystemDraft {
  template: SystemTemplate;
  department: DepartmentDraft;
  name: string;
  title: string;
  description: string;
  /** `emea`, `apac`...: a copy of a template when there are more systems than templates. */
  variant?: string;
  order: number;
  teams: DemoTeam[];
  critical: boolean;
  tags: string[];
  monorepo?: string;
  components: ComponentDraft[];
}

interface ComponentSpec {
  names: string[];
  noun: string;
  type: ComponentType;
  role: ComponentRole;
  hub: number;
  description: string;
  core: boolean;
}

interface ComponentDraft {
  name: string;
  noun: string;
  /** The noun whose data it works on: a worker and a legacy twin share their service's database. */
  dataNoun: string;
  type: ComponentType;
  role: ComponentRole;
  hub: number;
  core: boolean;
  mandatory: boolean;
  description: string;
  lifecycle: Lifecycle;
  system: SystemDraft;
  team: DemoTeam;
  index: number;
  pos: number;
  language: string;
  deps: Set<ComponentDraft>;
  resourceDeps: Set<string>;
  provides: ApiDraft[];
  consumes: Set<string>;
  /** The production component a deprecated twin is being replaced by. */
  successor?: ComponentDraft;
  tier: Tier;
  pagerDutyServiceId?: string;
  techdocs: boolean;
  owner?: string;
  noRunbook: boolean;
  noSystem: boolean;
}

interface ApiDraft {
  name: string;
  type: ApiType;
  provider: ComponentDraft;
  version: string;
}

/** Generates the organisation for `seed` and `teams`; throws `InputError` on bad options. */
export function generateOrganisation(options: GenerateOrganisationOptions = {}): DemoOrganisation {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const teams = options.teams ?? DEFAULT_DEMO_TEAMS;
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new InputError(`Demo seed must be a non-negative integer, got ${seed}`);
  }
  if (!Number.isInteger(teams) || teams < 1 || teams > MAX_DEMO_TEAMS) {
    throw new InputError(`Demo team count must be an integer from 1 to ${MAX_DEMO_TEAMS}, got ${teams}`);
  }
  return new OrganisationBuilder(seed, teams).build();
}

const groupRef = (name: string): string => `group:default/${name}`;

class OrganisationBuilder {
  private readonly random: Random;
  private readonly groupNames = new NameRegistry();
  private readonly userNames = new NameRegistry();
  private readonly domainNames = new NameRegistry();
  private readonly systemNames = new NameRegistry();
  private readonly componentNames = new NameRegistry();
  private readonly apiNames = new NameRegistry();
  private readonly resourceNames = new NameRegistry();
  private readonly infraNames = new NameRegistry();
  private readonly pagerDutyIds = new Set<string>();
  private readonly quirks: DemoQuirk[] = [];

  private root!: DemoGroup;
  private departments: DepartmentDraft[] = [];
  private systems: SystemDraft[] = [];
  private components: ComponentDraft[] = [];
  private apis: ApiDraft[] = [];
  private resources: DemoResource[] = [];
  private users: DemoUser[] = [];

  constructor(
    private readonly seed: number,
    private readonly teamCount: number,
  ) {
    this.random = createRandom(`pave-demo/${seed}`);
  }

  build(): DemoOrganisation {
    this.buildGroups();
    this.buildSystems();
    this.users = generatePeople(
      this.random.fork('people'),
      {
        root: this.root,
        departments: this.departments.map((d) => ({
          group: d.group,
          teams: d.teams,
          timezones: d.template.timezones,
        })),
        emailDomain: COMPANY.emailDomain,
      },
      this.userNames,
    );
    this.buildComponents();
    this.assignLifecycles();
    this.rankComponents();
    this.buildDependencies();
    this.deprecatedStillUsed();
    this.buildApis();
    this.buildResources();
    this.sharedDatabase();
    this.assignTiers();
    this.personalOwners();
    this.loosenEnds();
    return this.assemble();
  }

  // --- Groups: root, departments, teams -------------------------------------------------------

  private buildGroups(): void {
    const random = this.random.fork('groups');
    this.groupNames.reserve(COMPANY.name);
    this.root = {
      ref: groupRef(COMPANY.name),
      name: COMPANY.name,
      type: 'organization',
      displayName: COMPANY.displayName,
      description: `${COMPANY.displayName}, an online retailer with its own payments, fulfilment and platform.`,
      email: `engineering@${COMPANY.emailDomain}`,
      children: [],
    };

    // About seven teams a department (40 teams: 6), at most the seven the vocabulary has.
    const departmentCount = Math.min(7, Math.ceil(this.teamCount / 7));
    const essential = ESSENTIAL_DEPARTMENTS.map((name) => DEPARTMENTS.find((d) => d.name === name)!);
    const optional = random.shuffle(DEPARTMENTS.filter((d) => !essential.includes(d)));
    const chosen = [...essential, ...optional].slice(0, departmentCount).sort((a, b) => a.rank - b.rank);

    const teamCounts = allocate(
      this.teamCount,
      chosen.map((d) => d.weight * random.lognormal(0, 0.15)),
      chosen.map(() => 1),
    );
    for (const [i, template] of chosen.entries()) {
      const name = template.name;
      this.groupNames.reserve(name);
      const domainName = this.domainNames.claim(template.domain.name);
      const group: DemoDepartment = {
        ref: groupRef(name),
        name,
        type: 'department',
        displayName: template.title,
        description: template.description,
        email: `${name}@${COMPANY.emailDomain}`,
        parent: this.root.ref,
        children: [],
        domains: [`domain:default/${domainName}`],
      };
      const domain: DemoDomain = {
        ref: `domain:default/${domainName}`,
        name: domainName,
        title: template.domain.title,
        description: template.domain.description,
        owner: group.ref,
        systems: [],
      };
      this.root.children.push(group.ref);
      this.departments.push({ template, group, domain, teams: [], teamCount: teamCounts[i]!, systems: [] });
    }
  }

  // --- Systems and the teams that own them ------------------------------------------------------

  private buildSystems(): void {
    const random = this.random.fork('systems');
    let order = 0;
    for (const department of this.departments) {
      const teamTotal = department.teamCount;
      const systemCount = Math.max(1, Math.min(teamTotal, Math.round(teamTotal * 0.75)));
      const templates = department.template.systems;
      const picked: { template: SystemTemplate; variant?: string }[] = [];
      if (systemCount <= templates.length) {
        const sample = weightedSample(random, templates, (t) => (t.critical ? 2.5 : 1), systemCount);
        for (const template of templates) if (sample.includes(template)) picked.push({ template });
      } else {
        for (const template of templates) picked.push({ template });
        for (let k = 0; picked.length < systemCount; k++) {
          const template = templates[k % templates.length]!;
          const copy = Math.floor(k / templates.length);
          const suffix = VARIANTS[copy % VARIANTS.length]!;
          const round = Math.floor(copy / VARIANTS.length);
          picked.push({ template, variant: round === 0 ? suffix : `${suffix}${round + 1}` });
        }
      }

      for (const { template, variant } of picked) {
        const name = this.systemNames.claim(variant ? `${template.name}-${variant}` : template.name);
        const system: SystemDraft = {
          template,
          department,
          name,
          title: variant ? `${template.title} ${titleCase(variant)}` : template.title,
          description: variant
            ? `${template.description} (${titleCase(variant)} edition.)`
            : template.description,
          variant,
          order: order++,
          teams: [],
          critical: template.critical ?? false,
          tags: [...(template.tags ?? [])],
          monorepo: random.chance(0.3) ? `${COMPANY.githubOrg}/${name}` : undefined,
          components: [],
        };
        department.systems.push(system);
        department.domain.systems.push(`system:default/${name}`);
        this.systems.push(system);
      }

      // One team per system, the rest where there is most to do.
      const extra = allocate(
        teamTotal - department.systems.length,
        department.systems.map((s) => (s.critical ? 2 : 1) * random.lognormal(0, 0.3)),
      );
      for (const [i, system] of department.systems.entries()) {
        const count = 1 + (extra[i] ?? 0);
        const candidates = system.template.teams.map((t) => (system.variant ? `${t}-${system.variant}` : t));
        for (let k = 0; k < count; k++) {
          const name = this.groupNames.claim(
            candidates[k] ?? `${system.name}-team`,
            `${system.name}-${k + 1}`,
          );
          const team: DemoTeam = {
            ref: groupRef(name),
            name,
            type: 'team',
            displayName: titleCase(name),
            description:
              k === 0
                ? `Builds and runs ${system.title}.`
                : `Works on ${system.title} with the ${system.teams[0]?.displayName} team.`,
            email: `${name}@${COMPANY.emailDomain}`,
            parent: department.group.ref,
            children: [],
            department: department.group.ref,
            // Replaced in assignProfiles, once every team exists.
            profile: { delivery: 'medium', trend: 'steady', reliability: 'average' },
            timezone: random.weighted(department.template.timezones),
            language: random.weighted(department.template.languages),
          };
          system.teams.push(team);
          department.teams.push(team);
          department.group.children.push(team.ref);
        }
      }
    }
    this.assignProfiles();
  }

  /** Deals out delivery tiers and trends in fixed shares, so every tier is present. */
  private assignProfiles(): void {
    const random = this.random.fork('profiles');
    const teams = this.departments.flatMap((d) => d.teams);
    const deliveries = exactMix(random, teams.length, DELIVERY_MIX, true);
    const trends = exactMix(random, teams.length, TREND_MIX, true);
    for (const [i, team] of teams.entries()) {
      const delivery = deliveries[i]!;
      team.profile = {
        delivery,
        trend: trends[i]!,
        reliability: random.weighted(RELIABILITY_BY_DELIVERY[delivery]),
      };
    }
    // Make sure the reliability demo has both ends even when the draw was kind.
    if (teams.length >= 3) {
      const worst = teams.find((t) => t.profile.delivery === 'low') ?? teams.at(-1)!;
      const best = teams.find((t) => t.profile.delivery === 'elite') ?? teams[0]!;
      if (!teams.some((t) => t.profile.reliability === 'fragile')) worst.profile.reliability = 'fragile';
      if (!teams.some((t) => t.profile.reliability === 'strong')) best.profile.reliability = 'strong';
    }
  }

  // --- Components --------------------------------------------------------------------------------

  private buildComponents(): void {
    const random = this.random.fork('components');
    const total = Math.round(this.teamCount * COMPONENTS_PER_TEAM);
    const active = total - Math.round(total * DEPRECATED_SHARE);
    const specs = this.systems.map((system) => this.componentSpecs(system, random));
    const quotas = allocateCapped(
      active,
      this.systems.map((s) => s.teams.length * random.lognormal(0, 0.3)),
      specs.map((s) => s.mandatory.length),
      specs.map((s) => s.mandatory.length + s.optional.length),
    );

    for (const [i, system] of this.systems.entries()) {
      const { mandatory, optional } = specs[i]!;
      const quota = quotas[i]!;
      const chosen = [...mandatory, ...optional.slice(0, Math.max(0, quota - mandatory.length))];
      for (let extra = 0; chosen.length < quota; extra++) chosen.push(this.extraSpec(system, extra));
      for (const [index, spec] of chosen.entries()) {
        const owner = system.teams[0]!;
        const team =
          spec.core || index === 0
            ? owner
            : random.weighted(system.teams.map((t) => [t, t === owner ? 1.5 : 1] as const));
        this.addComponent(system, spec, team, index, index < mandatory.length, random);
      }
      // Every team owns something: hand a component to any team that got none.
      for (const team of system.teams) {
        if (system.components.some((c) => c.team === team)) continue;
        const donor = [...system.components]
          .reverse()
          .find((c) => !c.core && this.countOf(system, c.team) > 1);
        if (donor) donor.team = team;
      }
    }
  }

  private countOf(system: SystemDraft, team: DemoTeam): number {
    return system.components.filter((c) => c.team === team).length;
  }

  private addComponent(
    system: SystemDraft,
    spec: ComponentSpec,
    team: DemoTeam,
    index: number,
    mandatory: boolean,
    random: Random,
  ): ComponentDraft {
    const name = this.componentNames.claim(...spec.names);
    const department = system.department.template;
    const language =
      spec.type === 'website' || system.template.name === 'web-platform'
        ? 'typescript'
        : random.chance(0.85)
          ? team.language
          : random.weighted(department.languages);
    const draft: ComponentDraft = {
      name,
      noun: spec.noun,
      dataNoun: spec.noun,
      type: spec.type,
      role: spec.role,
      hub: spec.hub,
      core: spec.core,
      mandatory,
      description: spec.description,
      lifecycle: 'production',
      system,
      team,
      index,
      pos: 0,
      language,
      deps: new Set(),
      resourceDeps: new Set(),
      provides: [],
      consumes: new Set(),
      tier: 3,
      techdocs: false,
      noRunbook: false,
      noSystem: false,
    };
    system.components.push(draft);
    this.components.push(draft);
    return draft;
  }

  /** The components a system can have: the ones it always has, then the rest in order of likelihood. */
  private componentSpecs(
    system: SystemDraft,
    random: Random,
  ): { mandatory: ComponentSpec[]; optional: ComponentSpec[] } {
    const t = system.template;
    const prefix = system.variant ? `${system.variant}-` : '';
    const title = system.title;
    const serviceRole: ComponentRole = system.department.template.platform ? 'platform' : 'domain';
    const nouns = t.nouns.map((n) => `${prefix}${n}`);
    const websites = (t.websites ?? []).map((w) => `${prefix}${w}`);
    const service = (noun: string): ComponentSpec => ({
      names: [`${noun}-service`, `${system.name}-${noun}-service`],
      noun,
      type: 'service',
      role: serviceRole,
      hub: serviceRole === 'platform' ? (t.callWeight ?? 0.6) : 0,
      description: random.pick([
        `Source of truth for ${words(noun)} data in ${title}.`,
        `Handles ${words(noun)} requests for ${title}.`,
        `The ${words(noun)} service of ${title}.`,
      ]),
      core: false,
    });
    const website = (name: string, first: boolean): ComponentSpec => ({
      names: [name, `${system.name}-${name}`],
      noun: name,
      type: 'website',
      role: 'frontend',
      hub: 0,
      description: first ? `The ${title} web frontend.` : `${titleCase(name)}: part of ${title} on the web.`,
      core: false,
    });

    const mandatory: ComponentSpec[] = [];
    if (!system.variant) {
      for (const core of t.core ?? []) mandatory.push(this.coreSpec(core));
    }
    if (websites[0]) mandatory.push(website(websites[0], true));
    if (t.bff) {
      mandatory.push({
        names: [`${system.name}-bff`],
        noun: `${system.name}-bff`,
        type: 'service',
        role: 'bff',
        hub: 0,
        description: `Backend for the ${title} frontends: one call per screen, composed from the system's services.`,
        core: false,
      });
    }
    if (nouns[0]) mandatory.push(service(nouns[0]));

    const firstServices = nouns.slice(1, 3).map(service);
    const others: ComponentSpec[] = [...nouns.slice(3).map(service)];
    for (const name of websites.slice(1)) others.push(website(name, false));
    for (const noun of nouns) {
      const workers = random.chance(0.55) ? 1 : random.chance(0.25) ? 2 : 0;
      // No `export-exporter`: a suffix that repeats the noun reads as a typo.
      const suffixes = WORKER_SUFFIXES.filter((suffix) => !noun.includes(suffix.slice(0, 4)));
      for (const suffix of random.sample(suffixes, workers)) {
        others.push({
          names: [`${noun}-${suffix}`, `${system.name}-${noun}-${suffix}`],
          noun,
          type: 'service',
          role: 'worker',
          hub: 0,
          description: `Background ${suffix} for ${title}: ${words(noun)} work off the request path.`,
          core: false,
        });
      }
      if (random.chance(0.25)) {
        others.push({
          names: [`${noun}-client`, `${system.name}-${noun}-client`],
          noun: `${noun}-client`,
          type: 'library',
          role: 'library',
          hub: 0,
          description: `Typed client for the ${words(noun)} service, generated from its API.`,
          core: false,
        });
      }
    }
    if (random.chance(0.5)) {
      others.push({
        names: [`${system.name}-sdk`, `${system.name}-commons`],
        noun: `${system.name}-sdk`,
        type: 'library',
        role: 'library',
        hub: 0,
        description: `Shared ${title} models and helpers.`,
        core: false,
      });
    }
    if (websites.length === 0 || random.chance(0.3)) {
      others.push({
        names: [`${system.name}-admin`, `${system.name}-console`],
        noun: `${system.name}-admin`,
        type: 'website',
        role: 'frontend',
        hub: 0,
        description: `Internal admin console for ${title}.`,
        core: false,
      });
    }
    return { mandatory, optional: [...firstServices, ...random.shuffle(others)] };
  }

  private coreSpec(core: CoreComponentTemplate): ComponentSpec {
    return {
      names: [core.name],
      noun: core.noun,
      type: core.type,
      role: core.role,
      hub: core.hub ?? 0.6,
      description: core.description,
      core: true,
    };
  }

  /** More services when a system needs more components than its template lists. */
  private extraSpec(system: SystemDraft, extra: number): ComponentSpec {
    const modifiers = ['history', 'query', 'import', 'audit', 'analytics', 'archive', 'preview', 'search'];
    const base = system.template.nouns[extra % system.template.nouns.length] ?? system.name;
    const modifier = modifiers[Math.floor(extra / system.template.nouns.length) % modifiers.length]!;
    const noun = `${system.variant ? `${system.variant}-` : ''}${base}-${modifier}`;
    return {
      names: [`${noun}-service`, `${system.name}-${noun}-service`],
      noun,
      type: 'service',
      role: system.department.template.platform ? 'platform' : 'domain',
      hub: 0,
      description: `${titleCase(modifier)} of ${words(base)} data for ${system.title}.`,
      core: false,
    };
  }

  // --- Lifecycles: legacy twins are deprecated, some newer components experimental -------------

  private assignLifecycles(): void {
    const random = this.random.fork('lifecycles');
    const total = Math.round(this.teamCount * COMPONENTS_PER_TEAM);
    const deprecated = Math.round(total * DEPRECATED_SHARE);
    const twinned = new Set<ComponentDraft>();
    const monoliths = new Set<SystemDraft>();
    for (let made = 0, attempts = 0; made < deprecated && attempts < deprecated * 20; attempts++) {
      const system = random.weighted(this.systems.map((s) => [s, s.components.length] as const));
      const successors = system.components.filter(
        (c) =>
          !c.core &&
          c.lifecycle === 'production' &&
          (c.role === 'domain' || c.role === 'platform') &&
          c.type === 'service' &&
          !twinned.has(c),
      );
      // A monolith being strangled is a once-per-department story; legacy v1 twins are the usual case.
      const department = system.department;
      const monolith =
        !monoliths.has(system) &&
        ![...monoliths].some((m) => m.department === department) &&
        (successors.length === 0 || random.chance(0.2));
      if (monolith) {
        monoliths.add(system);
        const draft = this.addComponent(
          system,
          {
            names: [`${system.name}-monolith`, `legacy-${system.name}`],
            noun: `${system.name}-monolith`,
            type: 'service',
            role: system.department.template.platform ? 'platform' : 'domain',
            hub: 0,
            description: `The original ${system.title} monolith, being split into services. Deprecated: do not add features.`,
            core: false,
          },
          system.teams[0]!,
          system.components.length,
          false,
          random,
        );
        draft.lifecycle = 'deprecated';
        made++;
        continue;
      }
      if (successors.length === 0) continue;
      const successor = random.pick(successors);
      twinned.add(successor);
      const twin = this.addComponent(
        system,
        {
          names: [`${successor.name}-v1`, `legacy-${successor.name}`],
          noun: `${successor.noun}-v1`,
          type: 'service',
          role: successor.role,
          hub: 0,
          description: `First version of ${successor.name}. Deprecated: being replaced by ${successor.name}.`,
          core: false,
        },
        successor.team,
        successor.index + 0.5,
        false,
        random,
      );
      twin.successor = successor;
      twin.dataNoun = successor.dataNoun;
      twin.language = successor.language;
      twin.lifecycle = 'deprecated';
      made++;
    }

    const experimental = Math.round(total * EXPERIMENTAL_SHARE);
    const candidates = this.components.filter((c) => !c.core && !c.mandatory && c.lifecycle === 'production');
    for (const draft of random.sample(candidates, experimental)) draft.lifecycle = 'experimental';
  }

  /** Global order: a component may only depend on components ranked after it. */
  private rankComponents(): void {
    const ranked = [...this.components].sort(
      (a, b) => LAYER[a.role] - LAYER[b.role] || a.system.order - b.system.order || a.index - b.index,
    );
    for (const [pos, draft] of ranked.entries()) draft.pos = pos;
  }

  // --- Dependencies --------------------------------------------------------------------------

  private canDepend(source: ComponentDraft, target: ComponentDraft): boolean {
    if (target === source || target.pos <= source.pos || source.deps.has(target)) return false;
    if (target.lifecycle === 'production') return true;
    // Only experiments lean on experiments; nothing takes up a new dependency on deprecated code.
    return target.lifecycle === 'experimental' && source.lifecycle === 'experimental';
  }

  private depend(
    random: Random,
    source: ComponentDraft,
    pool: readonly ComponentDraft[],
    count: number,
    weight: (target: ComponentDraft) => number = () => 1,
  ): void {
    if (count <= 0) return;
    const eligible = pool.filter((target) => this.canDepend(source, target));
    for (const target of weightedSample(random, eligible, weight, count)) source.deps.add(target);
  }

  private buildDependencies(): void {
    const random = this.random.fork('dependencies');
    const all = this.components;
    const byRole = (role: ComponentRole) => all.filter((c) => c.role === role);
    const platform = byRole('platform');
    const gateways = byRole('gateway');
    const domain = byRole('domain');
    const bffs = byRole('bff');
    const designSystem = all.filter((c) => c.name === 'design-system');
    const chassis = all.filter((c) => c.name === 'service-chassis');
    // Platform services are drawn by their pull: hubs often, tooling never.
    const hubWeight = (c: ComponentDraft) => c.hub;
    const sameSystem = (c: ComponentDraft, roles: ComponentRole[]) =>
      c.system.components.filter((t) => roles.includes(t.role));
    const sameDepartment = (c: ComponentDraft, pool: ComponentDraft[]) =>
      pool.filter((t) => t.system.department === c.system.department && t.system !== c.system);
    const otherDepartments = (c: ComponentDraft, pool: ComponentDraft[]) =>
      pool.filter((t) => t.system.department !== c.system.department);

    for (const c of [...all].sort((a, b) => a.pos - b.pos)) {
      switch (c.role) {
        case 'frontend': {
          const backends = sameSystem(c, ['bff']);
          if (backends.length > 0) this.depend(random, c, backends, 1);
          else this.depend(random, c, sameSystem(c, ['domain', 'platform']), random.int(1, 2));
          if (random.chance(0.6)) this.depend(random, c, gateways, 1, hubWeight);
          if (random.chance(0.8)) this.depend(random, c, designSystem, 1);
          if (random.chance(0.35)) this.depend(random, c, platform, 1, hubWeight);
          if (random.chance(0.15)) this.depend(random, c, sameDepartment(c, bffs), 1);
          break;
        }
        case 'bff': {
          this.depend(random, c, sameSystem(c, ['domain', 'platform']), random.int(2, 4));
          if (random.chance(0.5)) this.depend(random, c, sameDepartment(c, domain), random.int(1, 2));
          if (random.chance(0.35)) this.depend(random, c, otherDepartments(c, domain), 1);
          this.depend(random, c, platform, random.int(1, 2), hubWeight);
          if (random.chance(0.55)) this.depend(random, c, chassis, 1);
          break;
        }
        case 'gateway':
          this.depend(random, c, platform, random.int(1, 2), hubWeight);
          break;
        case 'domain': {
          this.depend(random, c, sameSystem(c, ['domain']), random.int(0, 2));
          if (random.chance(0.3)) this.depend(random, c, sameDepartment(c, domain), 1);
          if (random.chance(0.3)) this.depend(random, c, otherDepartments(c, domain), 1);
          this.depend(random, c, platform, random.int(1, 3), hubWeight);
          if (random.chance(0.55)) this.depend(random, c, chassis, 1);
          if (random.chance(0.2)) {
            const libraries = all.filter(
              (t) => t.role === 'library' && t.hub === 0 && t.system.department === c.system.department,
            );
            this.depend(random, c, libraries, 1);
          }
          break;
        }
        case 'worker':
          this.depend(random, c, platform, random.int(0, 2), hubWeight);
          if (random.chance(0.5)) this.depend(random, c, chassis, 1);
          break;
        case 'platform':
          this.depend(random, c, platform, random.int(0, 2), hubWeight);
          if (random.chance(0.4)) this.depend(random, c, chassis, 1);
          break;
        case 'library':
          break;
      }
    }
  }

  /** The classic leftover: a deprecated component that production code still calls. */
  private deprecatedStillUsed(): void {
    const random = this.random.fork('deprecated-use');
    const wanted = this.teamCount >= 30 ? 2 : 1;
    const twins = random.shuffle(this.components.filter((c) => c.lifecycle === 'deprecated'));
    let made = 0;
    for (const twin of twins) {
      if (made >= wanted) break;
      const successor = twin.successor;
      // A dependent of the successor keeps calling the old version instead.
      const callers = this.components.filter(
        (c) =>
          c.lifecycle === 'production' && c.pos < twin.pos && (successor ? c.deps.has(successor) : false),
      );
      const fallback = this.components.filter(
        (c) =>
          c.lifecycle === 'production' &&
          c.pos < twin.pos &&
          c.system.department === twin.system.department &&
          (c.role === 'bff' || c.role === 'domain' || c.role === 'frontend'),
      );
      const pool = callers.length > 0 ? callers : fallback;
      if (pool.length === 0) continue;
      const caller = random.pick(pool);
      if (successor && caller.deps.has(successor)) caller.deps.delete(successor);
      caller.deps.add(twin);
      made++;
      this.quirks.push({
        kind: 'deprecated-dependency',
        ref: `component:default/${twin.name}`,
        description: `${twin.name} is deprecated, but ${caller.name} (production) still depends on it.`,
      });
    }
  }

  // --- APIs ---------------------------------------------------------------------------------

  private buildApis(): void {
    const random = this.random.fork('apis');
    const target = Math.round(this.teamCount * APIS_PER_TEAM);
    const bffs = this.components.filter((c) => c.role === 'bff');
    for (const bff of bffs) this.addApi(random, bff, 'openapi');
    const providers = random.shuffle(
      this.components.filter((c) => c.type === 'service' && (c.role === 'domain' || c.role === 'platform')),
    );
    for (const provider of providers) {
      if (this.apis.length >= target) break;
      const type = random.weighted<ApiType>(
        provider.role === 'platform'
          ? [
              ['grpc', 0.45],
              ['openapi', 0.4],
              ['asyncapi', 0.15],
            ]
          : [
              ['openapi', 0.55],
              ['grpc', 0.2],
              ['asyncapi', 0.25],
            ],
      );
      this.addApi(random, provider, type);
      if (type !== 'asyncapi' && this.apis.length < target && random.chance(0.12)) {
        this.addApi(random, provider, 'asyncapi');
      }
    }
    // Callers use the synchronous APIs of what they depend on.
    for (const consumer of this.components) {
      for (const dependency of consumer.deps) {
        for (const api of dependency.provides) {
          if (api.type !== 'asyncapi' && random.chance(0.85))
            consumer.consumes.add(`api:default/${api.name}`);
        }
      }
    }
  }

  private addApi(random: Random, provider: ComponentDraft, type: ApiType): void {
    const suffix = type === 'openapi' ? 'api' : type === 'grpc' ? 'grpc' : 'events';
    const name = this.apiNames.claim(`${provider.noun}-${suffix}`, `${provider.name}-${suffix}`);
    const major = provider.lifecycle === 'experimental' ? 0 : 1;
    const api: ApiDraft = {
      name,
      type,
      provider,
      version: `${major}.${random.int(0, 14)}.${random.int(0, 9)}`,
    };
    provider.provides.push(api);
    this.apis.push(api);
  }

  // --- Resources ------------------------------------------------------------------------------

  private buildResources(): void {
    const random = this.random.fork('resources');
    const target = Math.round(this.teamCount * RESOURCES_PER_TEAM);
    const resource = (
      name: string,
      type: ResourceType,
      owner: DemoTeam,
      system: SystemDraft | undefined,
      description: string,
      tags: string[],
      namespace = 'default',
    ): DemoResource => {
      const created: DemoResource = {
        ref: `resource:${namespace}/${name}`,
        name,
        namespace,
        title: titleCase(name),
        description,
        type,
        owner: owner.ref,
        system: system ? `system:default/${system.name}` : undefined,
        tags: [...new Set([...tags, ...(system?.tags ?? [])])],
      };
      this.resources.push(created);
      return created;
    };

    // Every event API has a topic or queue: its producer writes to it, its consumers read it.
    const topics = new Map<ApiDraft, DemoResource>();
    for (const api of this.apis) {
      if (api.type !== 'asyncapi') continue;
      const engine = random.weighted(QUEUE_ENGINES);
      const kind = engine === 'kafka' ? 'topic' : 'queue';
      const queue = resource(
        this.resourceNames.claim(
          `${api.provider.noun}-events-${kind}`,
          `${api.provider.name}-events-${kind}`,
        ),
        'queue',
        api.provider.team,
        api.provider.system,
        `${engine === 'kafka' ? 'Kafka topic' : engine === 'sqs' ? 'SQS queue' : 'RabbitMQ queue'} carrying ${api.name}.`,
        [engine],
      );
      topics.set(api, queue);
      api.provider.resourceDeps.add(queue.ref);
    }

    // Shared infrastructure in its own namespace: the cross-namespace references of a real catalog.
    const infraOwner =
      this.systems.find((s) => s.template.name === 'data-stores')?.teams[0] ??
      this.departments.find((d) => d.template.platform)?.teams[0] ??
      this.departments[0]!.teams[0]!;
    const infraSpecs: [string, ResourceType, string, string][] = [
      ['data-lake', 's3-bucket', 'The company data lake: raw events and exports, partitioned by day.', 's3'],
      ['analytics-warehouse', 'database', 'The analytics warehouse every report reads.', 'snowflake'],
      ['shared-postgres', 'database', 'The shared PostgreSQL cluster for small services.', 'postgres'],
    ];
    const infra = infraSpecs
      .slice(0, Math.max(1, Math.min(3, Math.round(this.teamCount / 12))))
      .map(([name, type, description, tag]) =>
        resource(
          this.infraNames.claim(name),
          type,
          infraOwner,
          undefined,
          description,
          [tag],
          COMPANY.infraNamespace,
        ),
      );

    // Databases, buckets and caches, the likeliest first, up to the target.
    type Candidate = { kind: ResourceType; priority: number; make: () => void };
    const candidates: Candidate[] = [];
    const seenNouns = new Set<string>();
    for (const owner of this.components) {
      if (owner.type !== 'service' || (owner.role !== 'domain' && owner.role !== 'platform')) continue;
      if (owner.lifecycle === 'deprecated' && !owner.name.endsWith('-monolith')) continue;
      const key = `${owner.system.name}/${owner.dataNoun}`;
      if (seenNouns.has(key)) continue;
      seenNouns.add(key);
      const sharers = owner.system.components.filter(
        (c) => c.dataNoun === owner.dataNoun && c.type === 'service',
      );
      candidates.push({
        kind: 'database',
        priority: random.next() + (owner.system.critical ? 0.2 : 0),
        make: () => {
          const engine = random.weighted(DATABASE_ENGINES);
          const db = resource(
            this.resourceNames.claim(`${owner.dataNoun}-db`, `${owner.system.name}-${owner.dataNoun}-db`),
            'database',
            owner.team,
            owner.system,
            `${engineTitle(engine)} database of ${owner.name}.`,
            [engine],
          );
          for (const sharer of sharers) sharer.resourceDeps.add(db.ref);
        },
      });
      const bucketNoun = [...BUCKET_NOUNS].find(
        (n) => owner.dataNoun === n || owner.dataNoun.endsWith(`-${n}`),
      );
      if (bucketNoun || random.chance(0.04)) {
        candidates.push({
          kind: 's3-bucket',
          priority: random.next() + 0.3,
          make: () => {
            const bucket = resource(
              this.resourceNames.claim(
                `${owner.dataNoun}-bucket`,
                `${owner.system.name}-${owner.dataNoun}-bucket`,
              ),
              's3-bucket',
              owner.team,
              owner.system,
              `Object storage for ${owner.name}.`,
              ['s3'],
            );
            owner.resourceDeps.add(bucket.ref);
          },
        });
      }
    }
    for (const system of this.systems) {
      if (!random.chance(0.35)) continue;
      const callers = system.components.filter(
        (c) => c.role === 'bff' || c.role === 'domain' || c.role === 'platform',
      );
      if (callers.length === 0) continue;
      candidates.push({
        kind: 'cache',
        priority: random.next(),
        make: () => {
          const cache = resource(
            this.resourceNames.claim(`${system.name}-cache`),
            'cache',
            system.teams[0]!,
            system,
            `Redis cache in front of the ${system.title} services.`,
            ['redis'],
          );
          for (const caller of random.sample(callers, random.int(1, Math.min(3, callers.length)))) {
            caller.resourceDeps.add(cache.ref);
          }
        },
      });
    }
    // Buckets and caches get a small reserved share; databases fill the rest.
    const room = Math.max(0, target - this.resources.length);
    candidates.sort((a, b) => b.priority - a.priority);
    const reserved = [
      ...candidates.filter((c) => c.kind === 's3-bucket').slice(0, Math.round(room * 0.12)),
      ...candidates.filter((c) => c.kind === 'cache').slice(0, Math.max(1, Math.round(room * 0.08))),
    ];
    const rest = candidates.filter((c) => !reserved.includes(c));
    const chosen = new Set([...reserved, ...rest].slice(0, room));
    // Made in priority order, so names claimed first are the likeliest ones.
    for (const candidate of candidates) if (chosen.has(candidate)) candidate.make();

    // Consumers of each event API read its topic.
    for (const [api, queue] of topics) {
      const provider = api.provider;
      const consumers = this.components.filter(
        (c) =>
          c !== provider &&
          (c.role === 'worker' || c.role === 'domain' || c.role === 'platform') &&
          (provider.lifecycle === 'production' ||
            (provider.lifecycle === 'experimental' && c.lifecycle === 'experimental')),
      );
      const weight = (c: ComponentDraft) =>
        (c.role === 'worker' && c.system !== provider.system ? 3 : 1) *
        (c.system.department.template.name === 'data' ? 2 : 1);
      for (const consumer of weightedSample(random, consumers, weight, random.int(1, 3))) {
        consumer.consumes.add(`api:default/${api.name}`);
        consumer.resourceDeps.add(queue.ref);
      }
    }

    // The data department reads the data lake and warehouse; a few others do too.
    for (const shared of infra) {
      const readers = this.components.filter(
        (c) => (c.role === 'domain' || c.role === 'worker') && c.lifecycle === 'production',
      );
      const chosen = weightedSample(
        random,
        readers,
        (c) => (c.system.department.template.name === 'data' ? 6 : 1),
        random.int(2, 5),
      );
      for (const reader of chosen) {
        reader.resourceDeps.add(shared.ref);
        if (
          this.quirks.some(
            (q) => q.kind === 'cross-namespace-dependency' && q.ref === `component:default/${reader.name}`,
          )
        )
          continue;
        this.quirks.push({
          kind: 'cross-namespace-dependency',
          ref: `component:default/${reader.name}`,
          description: `${reader.name} depends on ${shared.ref}, a resource in the ${shared.namespace} namespace.`,
        });
      }
    }
  }

  /** One database read directly by a service of another team: the shared-database smell. */
  private sharedDatabase(): void {
    const random = this.random.fork('shared-database');
    const databases = random.shuffle(
      this.resources.filter((r) => r.type === 'database' && r.namespace === 'default'),
    );
    for (const db of databases) {
      const ownerTeam = db.owner;
      const outsiders = this.components.filter(
        (c) =>
          c.role === 'domain' &&
          c.lifecycle === 'production' &&
          c.team.ref !== ownerTeam &&
          `system:default/${c.system.name}` !== db.system &&
          !c.resourceDeps.has(db.ref),
      );
      if (outsiders.length === 0) continue;
      const reader = random.pick(outsiders);
      reader.resourceDeps.add(db.ref);
      this.quirks.push({
        kind: 'shared-database',
        ref: db.ref,
        description: `${db.name} belongs to ${ownerTeam}, but ${reader.name} (${reader.team.ref}) reads it directly.`,
      });
      return;
    }
  }

  // --- Tiers, owners and the last imperfections ---------------------------------------------------

  private assignTiers(): void {
    const random = this.random.fork('tiers');
    const dependents = new Map<ComponentDraft, number>();
    for (const c of this.components) for (const d of c.deps) dependents.set(d, (dependents.get(d) ?? 0) + 1);
    const base: Record<ComponentRole, number> = {
      gateway: 3,
      platform: 1.2,
      bff: 1.2,
      domain: 1,
      frontend: 1,
      worker: 0.2,
      library: -1,
    };
    const scored = this.components.map((c) => ({
      c,
      score:
        base[c.role] +
        (c.system.critical ? 1.5 : 0) +
        c.hub * 0.3 +
        Math.log2(1 + (dependents.get(c) ?? 0)) * 0.7 +
        (c.role === 'frontend' && c.index === 0 ? (c.system.critical ? 1.2 : 0.5) : 0) +
        random.normal(0, 0.6),
    }));
    scored.sort((a, b) => b.score - a.score || a.c.pos - b.c.pos);
    const total = this.components.length;
    let tier1 = Math.round(total * TIER1_SHARE);
    let tier2 = Math.round(total * TIER2_SHARE);
    for (const { c } of scored) {
      if (c.lifecycle === 'experimental') c.tier = 3;
      else if (tier1 > 0 && c.lifecycle === 'production' && c.type !== 'library') {
        c.tier = 1;
        tier1--;
      } else if (tier2 > 0) {
        c.tier = 2;
        tier2--;
      } else c.tier = 3;
    }
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
    for (const c of this.components) {
      if (c.tier === 3 || c.type === 'library') continue;
      let id = '';
      do {
        id = `P${Array.from({ length: 6 }, () => random.pick([...alphabet])).join('')}`;
      } while (this.pagerDutyIds.has(id));
      this.pagerDutyIds.add(id);
      c.pagerDutyServiceId = id;
    }
    for (const c of this.components) {
      c.techdocs = random.chance(c.lifecycle === 'production' ? 0.6 : c.type === 'library' ? 0.5 : 0.2);
    }
  }

  /** Two or three components owned by a person rather than a team: created before teams were in the catalog. */
  private personalOwners(): void {
    const random = this.random.fork('personal-owners');
    const wanted = this.teamCount >= 20 ? 3 : 2;
    const eligible = this.components.filter(
      (c) =>
        c.tier === 3 &&
        !c.core &&
        c.lifecycle !== 'deprecated' &&
        (c.role === 'worker' || c.role === 'library' || c.role === 'domain') &&
        this.users.some((u) => u.role === 'engineer' && u.memberOf[0] === c.team.ref),
    );
    for (const c of random.sample(eligible, wanted)) {
      const person = random.pick(
        this.users.filter((u) => u.role === 'engineer' && u.memberOf[0] === c.team.ref),
      );
      c.owner = person.ref;
      this.quirks.push({
        kind: 'user-owner',
        ref: `component:default/${c.name}`,
        description: `${c.name} is owned by ${person.ref} personally, not by ${c.team.ref}.`,
      });
    }
  }

  /** A couple of experiments without a runbook, one not yet placed in a system. */
  private loosenEnds(): void {
    const random = this.random.fork('loose-ends');
    const experiments = this.components.filter(
      (c) => c.lifecycle === 'experimental' && c.type !== 'library' && c.owner === undefined,
    );
    for (const c of random.sample(experiments, 2)) {
      c.noRunbook = true;
      this.quirks.push({
        kind: 'missing-runbook',
        ref: `component:default/${c.name}`,
        description: `${c.name} has no runbook link yet.`,
      });
    }
    const unplaced = experiments.filter((c) => c.provides.length === 0 && c.system.components.length >= 3);
    if (unplaced.length > 0) {
      const c = random.pick(unplaced);
      c.noSystem = true;
      this.quirks.push({
        kind: 'no-system',
        ref: `component:default/${c.name}`,
        description: `${c.name} is not part of any system yet.`,
      });
    }
  }

  // --- The plain model --------------------------------------------------------------------------

  private assemble(): DemoOrganisation {
    const systems: DemoSystem[] = this.systems.map((s) => ({
      ref: `system:default/${s.name}`,
      name: s.name,
      title: s.title,
      description: s.description,
      owner: s.teams[0]!.ref,
      domain: s.department.domain.ref,
      department: s.department.group.ref,
      teams: s.teams.map((t) => t.ref),
      critical: s.critical,
      monorepo: s.monorepo,
    }));
    const ordered = [...this.components].sort((a, b) => a.system.order - b.system.order || a.index - b.index);
    const components = ordered.map((c) => this.componentRecord(c));
    const apis: DemoApi[] = [...this.apis]
      .sort(
        (a, b) => a.provider.system.order - b.provider.system.order || a.provider.index - b.provider.index,
      )
      .map((api) => apiRecord(api));
    return {
      options: { seed: this.seed, teams: this.teamCount },
      name: COMPANY.name,
      displayName: COMPANY.displayName,
      infraNamespace: COMPANY.infraNamespace,
      root: this.root,
      departments: this.departments.map((d) => d.group),
      teams: this.departments.flatMap((d) => d.teams),
      users: this.users,
      domains: this.departments.map((d) => d.domain),
      systems,
      components,
      apis,
      resources: this.resources,
      quirks: this.quirks,
    };
  }

  private componentRecord(c: ComponentDraft): DemoComponent {
    const system = c.noSystem ? undefined : c.system;
    const repository = c.system.monorepo ?? `${COMPANY.githubOrg}/${c.name}`;
    const folder = c.type === 'library' ? 'libs' : c.type === 'website' ? 'web' : 'services';
    const repositoryPath = c.system.monorepo ? `${folder}/${c.name}` : '';
    const links: DemoLink[] = [];
    if (c.type !== 'library') {
      if (!c.noRunbook) {
        links.push({
          url: `${COMPANY.runbooks}/${system?.name ?? 'unassigned'}/${c.name}`,
          title: 'Runbook',
          icon: 'docs',
          type: 'runbook',
        });
      }
      links.push({
        url: `${COMPANY.dashboards}/d/${c.name}/overview`,
        title: 'Dashboard',
        icon: 'dashboard',
        type: 'dashboard',
      });
    } else {
      links.push({
        url: `https://github.com/${repository}${repositoryPath ? `/tree/main/${repositoryPath}` : ''}#readme`,
        title: 'README',
        icon: 'github',
      });
    }
    const roleTags: Record<ComponentRole, string[]> = {
      frontend: ['frontend', 'react'],
      bff: ['bff'],
      gateway: ['edge'],
      domain: [],
      worker: ['worker'],
      platform: ['platform'],
      library: ['library'],
    };
    const apiTags = c.provides.map((api) =>
      api.type === 'openapi' ? 'rest' : api.type === 'grpc' ? 'grpc' : 'events',
    );
    const tags = [...new Set([c.language, ...roleTags[c.role], ...apiTags, ...c.system.tags])];
    const sortRefs = (refs: Iterable<string>) => [...refs].sort(compareText);
    return {
      ref: `component:default/${c.name}`,
      name: c.name,
      title: titleCase(c.name),
      description: c.description,
      type: c.type,
      role: c.role,
      lifecycle: c.lifecycle,
      tier: c.tier,
      owner: c.owner ?? c.team.ref,
      team: c.team.ref,
      department: c.system.department.group.ref,
      system: system ? `system:default/${system.name}` : undefined,
      domain: system ? system.department.domain.ref : undefined,
      language: c.language,
      repository,
      repositoryPath,
      pagerDutyServiceId: c.pagerDutyServiceId,
      techdocs: c.techdocs,
      tags,
      links,
      dependsOn: sortRefs([...[...c.deps].map((d) => `component:default/${d.name}`), ...c.resourceDeps]),
      providesApis: sortRefs(c.provides.map((api) => `api:default/${api.name}`)),
      consumesApis: sortRefs(c.consumes),
    };
  }
}

function apiRecord(api: ApiDraft): DemoApi {
  const provider = api.provider;
  const system = provider.noSystem ? undefined : provider.system;
  const subject = {
    noun: provider.noun.replace(/-(bff|v1)$/, ''),
    provider: provider.name,
    company: COMPANY.githubOrg,
    system: provider.system.name,
    version: api.version,
  };
  const definition =
    api.type === 'openapi'
      ? openApiDefinition(subject)
      : api.type === 'grpc'
        ? grpcDefinition(subject)
        : asyncApiDefinition(subject);
  const label = api.type === 'openapi' ? 'REST API' : api.type === 'grpc' ? 'gRPC API' : 'events';
  return {
    ref: `api:default/${api.name}`,
    name: api.name,
    title: titleCase(api.name),
    description: `The ${label} of ${provider.name}${api.type === 'asyncapi' ? ': what changed, as it happens' : ''}.`,
    type: api.type,
    lifecycle: provider.lifecycle,
    owner: provider.team.ref,
    system: system ? `system:default/${system.name}` : undefined,
    provider: `component:default/${provider.name}`,
    definition,
    tags: [
      ...new Set([
        api.type === 'openapi' ? 'rest' : api.type === 'grpc' ? 'grpc' : 'events',
        ...provider.system.tags,
      ]),
    ],
  };
}

function engineTitle(engine: string): string {
  const titles: Record<string, string> = {
    postgres: 'PostgreSQL',
    mysql: 'MySQL',
    dynamodb: 'DynamoDB',
    mongodb: 'MongoDB',
  };
  return titles[engine] ?? engine;
}
