/**
 * The reliability demo part: two years of incidents up to `asOf`, following each team's
 * reliability profile (strong, average, fragile) and trend, with postmortems and action items
 * (some overdue), pages to the owning team's on-call at the hours incidents happen (counted in
 * each responder's time zone, from the catalog's `pave.dev/timezone`), and causes that include
 * deployments and the platform.
 *
 * Deployment-caused incidents start shortly after a production deployment of their service, read
 * from the delivery domain (`listProductionDeployments`) when its demo ran first, and link it by id
 * and commit; without delivery data they keep their cause and are left to the attribution rule.
 * Deterministic for (seed, asOf): every number comes from `createRandom`; the previous demo
 * incidents (`source = 'demo'`) are deleted first.
 */
import { listProductionDeployments, type ProductionDeployment } from '../delivery/index.js';
import {
  type IncidentDraft,
  type NotificationDraft,
  type Severity,
  storeIncidents,
  type TimelineEvent,
} from '../reliability/index.js';
import type { Store } from '../store/Store.js';
import type { DemoPart } from './demoParts.js';
import type { DemoComponent, DemoOrganisation, DemoTeam, DemoUser, ReliabilityProfile } from './model.js';
import { createRandom, type Random } from './random.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** How far back the demo's incidents go. */
export const DEMO_INCIDENT_DAYS = 730;

/** Incidents per service and year, by the owning team's reliability. */
const YEARLY_RATE: Record<ReliabilityProfile, number> = { strong: 1.5, average: 4, fragile: 9 };
const TIER_FACTOR: Record<1 | 2 | 3, number> = { 1: 1.3, 2: 1, 3: 0.6 };

const SEVERITY_MIX: Record<1 | 2 | 3, readonly (readonly [Severity, number])[]> = {
  1: [
    ['SEV1', 8],
    ['SEV2', 20],
    ['SEV3', 37],
    ['SEV4', 25],
    ['SEV5', 10],
  ],
  2: [
    ['SEV1', 3],
    ['SEV2', 12],
    ['SEV3', 40],
    ['SEV4', 30],
    ['SEV5', 15],
  ],
  3: [
    ['SEV1', 1],
    ['SEV2', 6],
    ['SEV3', 33],
    ['SEV4', 38],
    ['SEV5', 22],
  ],
};

const CAUSES: readonly (readonly [string, number])[] = [
  ['deployment', 35],
  ['config', 14],
  ['dependency', 14],
  ['capacity', 10],
  ['platform', 10],
  ['infrastructure', 7],
  ['external', 5],
  ['data', 5],
];

/** How a team's reliability shows in its response. */
const RESPONSE: Record<
  ReliabilityProfile,
  {
    ackMinutes: number;
    recurrence: number;
    postmortemDone: number;
    itemDone: number;
    /** Share of SEV4 and SEV5 incidents that get a blameless review too (more in reliable teams). */
    smallReview: { SEV4: number; SEV5: number };
  }
> = {
  strong: {
    ackMinutes: 3,
    recurrence: 0.05,
    postmortemDone: 0.92,
    itemDone: 0.85,
    smallReview: { SEV4: 0.25, SEV5: 0.12 },
  },
  average: {
    ackMinutes: 6,
    recurrence: 0.15,
    postmortemDone: 0.75,
    itemDone: 0.65,
    smallReview: { SEV4: 0.12, SEV5: 0.06 },
  },
  fragile: {
    ackMinutes: 12,
    recurrence: 0.3,
    postmortemDone: 0.5,
    itemDone: 0.4,
    smallReview: { SEV4: 0.05, SEV5: 0.02 },
  },
};

const TITLES: Record<string, readonly string[]> = {
  deployment: [
    'errors after release',
    'bad rollout',
    'regression in new version',
    'failed migration after deploy',
  ],
  config: ['misconfigured feature flag', 'wrong timeout setting', 'expired certificate', 'bad routing rule'],
  dependency: ['upstream timeouts', 'third-party API errors', 'dependency returns 503s'],
  capacity: [
    'latency under peak load',
    'connection pool exhausted',
    'queue backlog growing',
    'out of memory',
  ],
  platform: [
    'cluster node pool degraded',
    'service mesh sidecar crash',
    'CI/CD pipeline outage blocks hotfix',
    'shared cache evictions',
  ],
  infrastructure: ['disk full on database host', 'zone network partition', 'DNS resolution failures'],
  external: ['payment provider outage', 'CDN degradation', 'email provider throttling'],
  data: ['corrupt batch import', 'stale search index', 'duplicate events processed'],
};

interface Plan {
  component: DemoComponent;
  team: DemoTeam;
  members: DemoUser[];
}

/** One planned incident, before ids are numbered in time order. */
interface Drawn {
  incident: Omit<IncidentDraft, 'id'>;
  pages: Omit<NotificationDraft, 'id' | 'incidentId'>[];
  deployment: boolean;
}

/** The services that can have incidents: running services and websites, with their team's on-call. */
function plans(organisation: DemoOrganisation): Plan[] {
  const teams = new Map(organisation.teams.map((team) => [team.ref, team]));
  const members = new Map<string, DemoUser[]>();
  for (const user of organisation.users) {
    const team = user.memberOf[0];
    if (!team || user.role !== 'engineer') continue;
    const list = members.get(team) ?? [];
    list.push(user);
    members.set(team, list);
  }
  return organisation.components
    .filter(
      (c) =>
        (c.type === 'service' || c.type === 'website') && c.lifecycle !== 'experimental' && teams.has(c.team),
    )
    .map((component) => ({
      component,
      team: teams.get(component.team)!,
      members: members.get(component.team) ?? [],
    }));
}

/** Business days after `at` (Monday-Friday, UTC). */
function addBusinessDays(at: number, days: number): number {
  let time = at;
  let left = days;
  while (left > 0) {
    time += DAY_MS;
    const weekday = new Date(time).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return time;
}

const iso = (time: number) => new Date(time).toISOString();
const day = (time: number) => iso(time).slice(0, 10);

/** Draws the incidents of one service over the demo period. */
function drawIncidents(
  plan: Plan,
  random: Random,
  from: number,
  to: number,
  deployments: readonly ProductionDeployment[],
): Drawn[] {
  const { component, team } = plan;
  const profile = team.profile.reliability;
  const response = RESPONSE[profile];
  const perYear = YEARLY_RATE[profile] * TIER_FACTOR[component.tier];
  const drawn: Drawn[] = [];
  let time = from;
  let lastCause: string | undefined;
  for (;;) {
    // Trend: improving teams break less as time goes on, declining ones more.
    const progress = (time - from) / (to - from);
    const trend =
      team.profile.trend === 'improving'
        ? 1.4 - 0.8 * progress
        : team.profile.trend === 'declining'
          ? 0.6 + 0.8 * progress
          : 1;
    time += (-Math.log(1 - random.next()) / (perYear * trend)) * 365 * DAY_MS;
    if (time >= to) break;
    const cause = lastCause && random.chance(response.recurrence) ? lastCause : random.weighted(CAUSES);
    lastCause = cause;
    let startedAt = Math.floor(time / MINUTE_MS) * MINUTE_MS;
    let deployment: ProductionDeployment | undefined;
    if (cause === 'deployment' && deployments.length > 0) {
      // The latest deployment of the service before the drawn time, within a week: the incident follows it.
      const before = deployments.filter(
        (d) => d.finishedAt.getTime() <= startedAt && d.finishedAt.getTime() > startedAt - 7 * DAY_MS,
      );
      deployment = before[before.length - 1];
      if (deployment)
        startedAt =
          deployment.finishedAt.getTime() + Math.round(random.lognormal(Math.log(25), 0.8) * MINUTE_MS);
    }
    if (startedAt >= to) break;
    drawn.push(drawIncident(plan, random, startedAt, cause, to, deployment));
  }
  return drawn;
}

function drawIncident(
  plan: Plan,
  random: Random,
  startedAt: number,
  cause: string,
  asOf: number,
  deployment: ProductionDeployment | undefined,
): Drawn {
  const { component, team, members } = plan;
  const profile = team.profile.reliability;
  const response = RESPONSE[profile];
  const severity = random.weighted(SEVERITY_MIX[component.tier]);
  const rank = Number(severity.slice(3));
  const urgency = rank <= 3 ? 'high' : 'low';
  const detectedAt = startedAt + Math.round(random.lognormal(Math.log(2), 0.9) * MINUTE_MS);
  const acknowledged = urgency === 'high' || random.chance(0.5);
  const ackDelay = random.lognormal(Math.log(response.ackMinutes * (rank >= 4 ? 4 : 1)), 0.8) * MINUTE_MS;
  const acknowledgedAt = acknowledged ? detectedAt + Math.round(ackDelay) : undefined;
  const mitigateMinutes = random.lognormal(Math.log([20, 35, 50, 120, 240][rank - 1]!), 0.7);
  const mitigatedAt = (acknowledgedAt ?? detectedAt) + Math.round(mitigateMinutes * MINUTE_MS);
  const resolvedAt =
    mitigatedAt +
    Math.round(random.lognormal(Math.log([60, 90, 120, 360, 1440][rank - 1]!), 0.8) * MINUTE_MS);
  const timeline: TimelineEvent[] = [
    { id: 'triggered', at: iso(detectedAt), type: 'triggered', message: 'Alert fired' },
  ];
  const times: Partial<Record<'acknowledgedAt' | 'mitigatedAt' | 'resolvedAt' | 'closedAt', string>> = {};
  if (acknowledgedAt !== undefined && acknowledgedAt < asOf) {
    times.acknowledgedAt = iso(acknowledgedAt);
    timeline.push({ id: 'acknowledged', at: times.acknowledgedAt, type: 'acknowledged' });
  }
  // Each stage follows the one before: an acknowledgement still to come holds the rest back.
  const acknowledgementDone = acknowledgedAt === undefined || times.acknowledgedAt !== undefined;
  if (mitigatedAt < asOf && acknowledgementDone) {
    times.mitigatedAt = iso(mitigatedAt);
    timeline.push({
      id: 'mitigated',
      at: times.mitigatedAt,
      type: 'mitigated',
      message: deployment ? `Rolled back ${deployment.id}` : 'Impact mitigated',
    });
  }
  if (resolvedAt < asOf && times.mitigatedAt !== undefined) {
    times.resolvedAt = iso(resolvedAt);
    timeline.push({ id: 'resolved', at: times.resolvedAt, type: 'resolved' });
  }

  // Postmortems for SEV1-2 always, for some SEV3, and for a few SEV4-5 (blameless reviews of small
  // incidents, more often in reliable teams); completed in business days, later by the less reliable.
  // SEV4-5 reviews draw from their own stream, so that adding them left every other incident as it was.
  const actionItems: IncidentDraft['actionItems'] = [];
  let incidentPostmortem: IncidentDraft['postmortem'];
  const smallIncident = severity === 'SEV4' || severity === 'SEV5';
  const reviewRandom = smallIncident ? random.fork(`review/${startedAt}`) : random;
  const reviewed =
    times.resolvedAt !== undefined &&
    (smallIncident
      ? reviewRandom.chance(response.smallReview[severity])
      : rank <= 2 || (rank === 3 && random.chance(0.3)));
  if (reviewed) {
    const dueDate = day(addBusinessDays(resolvedAt, 5));
    const done = reviewRandom.chance(response.postmortemDone);
    const completedAt = done
      ? addBusinessDays(
          resolvedAt,
          Math.max(
            1,
            Math.round(
              reviewRandom.lognormal(Math.log(profile === 'strong' ? 3 : profile === 'average' ? 4 : 8), 0.5),
            ),
          ),
        ) +
        10 * HOUR_MS
      : undefined;
    const url = `https://wiki.example.com/postmortems/${component.name}-${day(startedAt)}`;
    if (completedAt !== undefined && completedAt < asOf) {
      incidentPostmortem = { url, status: 'complete', dueDate, completedAt: iso(completedAt) };
      times.closedAt = iso(completedAt);
      for (let i = 1; i <= reviewRandom.int(1, 4); i++) {
        const itemDue = completedAt + reviewRandom.int(14, 60) * DAY_MS;
        const itemDone = reviewRandom.chance(response.itemDone)
          ? completedAt + reviewRandom.int(3, 70) * DAY_MS
          : undefined;
        const platformOwned = cause === 'platform' && reviewRandom.chance(0.5);
        actionItems.push({
          id: `ai-${i}`,
          title: `${['Add alert for', 'Automate rollback of', 'Load-test', 'Document runbook for', 'Add retries to'][reviewRandom.int(0, 4)]} ${component.name}`,
          ownerTeam: platformOwned ? 'group:default/platform' : team.ref,
          priority: rank === 1 && i === 1 ? 'P0' : reviewRandom.pick(['P1', 'P2', 'P3'] as const),
          dueDate: day(itemDue),
          status:
            itemDone !== undefined && itemDone < asOf
              ? 'done'
              : reviewRandom.chance(0.3)
                ? 'in_progress'
                : 'open',
          ...(itemDone !== undefined && itemDone < asOf ? { completedAt: iso(itemDone) } : {}),
        });
      }
    } else {
      incidentPostmortem = {
        ...(reviewRandom.chance(0.6) ? { url } : {}),
        status: reviewRandom.pick(['not_started', 'draft', 'in_review'] as const),
        dueDate,
      };
    }
  }

  // Pages: the team's on-call at detection (push and SMS together), a second responder when nobody acknowledged in 5 minutes.
  const pages: Drawn['pages'] = [];
  if (urgency === 'high' && members.length > 0) {
    const primary = random.pick(members);
    const channels = rank === 1 ? (['push', 'sms', 'phone'] as const) : (['push', 'sms'] as const);
    for (const channel of channels) {
      pages.push({
        sentAt: iso(detectedAt + random.int(0, 20) * 1000),
        responder: primary.ref,
        channel,
        urgency: 'high',
        synthetic: false,
        teamHint: { ref: team.ref },
      });
    }
    if ((acknowledgedAt ?? Number.POSITIVE_INFINITY) - detectedAt > 5 * MINUTE_MS && members.length > 1) {
      const secondary = random.pick(members.filter((member) => member !== primary));
      pages.push({
        sentAt: iso(detectedAt + 5 * MINUTE_MS),
        responder: secondary.ref,
        channel: 'phone',
        urgency: 'high',
        synthetic: false,
        teamHint: { ref: team.ref },
      });
    }
  }
  const title = `${component.title}: ${random.pick(TITLES[cause] ?? ['degraded service'])}`;
  return {
    incident: {
      source: 'demo',
      title,
      severity,
      urgency,
      startedAt: iso(startedAt),
      detectedAt: iso(detectedAt),
      ...times,
      serviceHints: [{ ref: component.ref }],
      teamHints: [{ ref: team.ref }],
      causeCategory: cause,
      deploymentIds: deployment ? [deployment.id] : [],
      shas: deployment?.sha ? [deployment.sha] : [],
      timeline,
      ...(incidentPostmortem ? { postmortem: incidentPostmortem } : {}),
      actionItems,
      updatedAt: iso(
        Math.min(
          asOf,
          Math.max(...[startedAt, detectedAt, ...Object.values(times).map((t) => Date.parse(t!))]),
        ),
      ),
    },
    pages,
    deployment: deployment !== undefined,
  };
}

/** Production deployments by component, from the delivery domain; `undefined` when it has none. */
async function deploymentsByService(
  store: Store,
  from: Date,
  to: Date,
): Promise<Map<string, ProductionDeployment[]> | undefined> {
  let list: ProductionDeployment[];
  try {
    list = await listProductionDeployments(store, { from, to });
  } catch {
    return undefined; // the delivery tables are not there
  }
  if (list.length === 0) return undefined;
  const byService = new Map<string, ProductionDeployment[]>();
  for (const deployment of list) {
    const services = byService.get(deployment.service) ?? [];
    services.push(deployment);
    byService.set(deployment.service, services);
  }
  return byService;
}

/** Removes the incidents (and their rows) an earlier demo run wrote. */
async function deleteDemoIncidents(store: Store): Promise<void> {
  await store.transaction(async (tx) => {
    for (const table of [
      'incident_notifications',
      'incident_services',
      'incident_links',
      'incident_action_items',
    ]) {
      await tx.execute(
        `DELETE FROM ${table} WHERE incident_id IN (SELECT id FROM incidents WHERE source = 'demo')`,
      );
    }
    await tx.execute("DELETE FROM incidents WHERE source = 'demo'");
  });
}

/** The incident demo part; runs after the delivery part (whose deployments it links) and before the SLO part (which reads its incidents). */
export const reliabilityDemoPart: DemoPart = {
  name: 'incidents',
  async run({ store, organisation, seed, asOf, progress }) {
    const to = asOf.getTime();
    const from = to - DEMO_INCIDENT_DAYS * DAY_MS;
    await deleteDemoIncidents(store);
    const deployments = await deploymentsByService(store, new Date(from - 7 * DAY_MS), asOf);
    const random = createRandom(`${seed}/incidents`);
    const all: Drawn[] = [];
    const services = plans(organisation);
    progress.start('drawing incidents', services.length);
    for (const plan of services) {
      all.push(
        ...drawIncidents(
          plan,
          random.fork(plan.component.ref),
          from,
          to,
          deployments?.get(plan.component.ref) ?? [],
        ),
      );
      progress.tick();
    }
    // Numbered in time order, like a real incident tracker.
    all.sort(
      (a, b) =>
        Date.parse(a.incident.startedAt) - Date.parse(b.incident.startedAt) ||
        a.incident.title.localeCompare(b.incident.title),
    );
    const incidents: IncidentDraft[] = [];
    const notifications: NotificationDraft[] = [];
    all.forEach((drawn, index) => {
      const id = `demo:INC-${String(index + 1).padStart(5, '0')}`;
      incidents.push({ ...drawn.incident, id });
      drawn.pages.forEach((page, p) => {
        notifications.push({ ...page, id: `${id}:page-${p + 1}`, incidentId: id });
      });
    });
    progress.start('storing incidents');
    const report = await storeIncidents(
      store,
      { incidents, notifications, problems: [], read: incidents.length, rejected: 0 },
      { now: asOf },
    );
    const linked = all.filter((drawn) => drawn.deployment).length;
    const deploymentCaused = all.filter((drawn) => drawn.incident.causeCategory === 'deployment').length;
    const severities = ['SEV1', 'SEV2', 'SEV3', 'SEV4', 'SEV5'].map(
      (s) => `${all.filter((d) => d.incident.severity === s).length} ${s}`,
    );
    const overdue = all.reduce(
      (n, d) =>
        n +
        d.incident.actionItems.filter(
          (item) => item.status !== 'done' && item.dueDate !== undefined && item.dueDate < day(to),
        ).length,
      0,
    );
    return (
      `${report.added.toLocaleString('en-US')} incidents (${severities.join(', ')}), ${report.notifications.toLocaleString('en-US')} pages, ` +
      `${overdue} overdue action items; ${deploymentCaused} deployment-caused, ` +
      (deployments
        ? `${linked} linked to delivery deployments`
        : 'not linked to deployments (no delivery demo data: the attribution rule links them by service and time)')
    );
  },
};
