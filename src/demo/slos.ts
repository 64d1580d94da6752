/**
 * The SLO part of the demo: SLOs for every tier-1 service and website of the demo organisation,
 * written as real spec files (Sloth `prometheus/v1` for platform services, OpenSLO v1 for the
 * others) and registered through the same path as `pave slo import`, with two years of hourly SLI
 * history up to `asOf`.
 *
 * - Every tier-1 component gets an availability SLO (Occurrences, 30 days rolling); websites,
 *   gateways and backends-for-frontends also a latency SLO (Timeslices of one hour, a calendar
 *   month in the owning team's time zone).
 * - Errors follow the owning team's reliability profile, and rise during the demo's incidents on
 *   the component (read from the incident tables when the reliability part wrote them; otherwise
 *   the SLO part draws its own outages).
 * - The story at `asOf`: two SLOs of the least reliable teams have exhausted their budget (a week
 *   and more of elevated errors), four are burning fast (the last day and a half), the rest are
 *   healthy or as their incidents left them.
 * Deterministic for (seed, asOf); replaces the SLOs and SLI points it wrote before.
 */

import { evaluateSlos, registerSlos } from '../reliability/slo/index.js';
import type { DemoContext, DemoPart } from './demoParts.js';
import type { DemoComponent, DemoOrganisation, DemoTeam, ReliabilityProfile } from './model.js';
import { createRandom, type Random } from './random.js';

const HOUR_MS = 3_600_000;
/** Two years of hourly points. */
export const DEMO_SLI_HOURS = 2 * 365 * 24;

type SloKind = 'availability' | 'latency';
type Story = 'exhausted' | 'burning' | 'normal';

/** One demo SLO before it is written: what the spec says and how its data behaves. */
export interface DemoSloPlan {
  id: string;
  kind: SloKind;
  component: DemoComponent;
  team: DemoTeam;
  /** Percent. */
  objective: number;
  format: 'sloth' | 'openslo';
}

/** A spec file of the demo, as `pave slo import` would read it. */
export interface DemoSpecFile {
  file: string;
  text: string;
}

/** The SLOs of the demo organisation, by id. */
export function demoSloPlans(organisation: DemoOrganisation): DemoSloPlan[] {
  const teams = new Map(organisation.teams.map((team) => [team.ref, team]));
  const plans: DemoSloPlan[] = [];
  for (const component of organisation.components) {
    if (component.tier !== 1 || component.type === 'library') continue;
    const team = teams.get(component.team);
    if (!team) continue;
    const format = component.role === 'platform' ? 'sloth' : 'openslo';
    const objective = component.role === 'platform' ? 99.95 : component.role === 'worker' ? 99.5 : 99.9;
    plans.push({
      id: `${component.name}-availability`,
      kind: 'availability',
      component,
      team,
      objective,
      format,
    });
    if (component.role === 'frontend' || component.role === 'gateway' || component.role === 'bff') {
      plans.push({
        id: `${component.name}-latency`,
        kind: 'latency',
        component,
        team,
        objective: 99,
        format: 'openslo',
      });
    }
  }
  return plans.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const requests = (service: string, filter = '') =>
  `sum(rate(http_requests_total{service="${service}"${filter}}[{{.window}}]))`;

/** The spec files of the plans: one per component, in its own format. */
export function demoSpecFiles(plans: readonly DemoSloPlan[]): DemoSpecFile[] {
  const byComponent = new Map<string, DemoSloPlan[]>();
  for (const plan of plans)
    byComponent.set(plan.component.name, [...(byComponent.get(plan.component.name) ?? []), plan]);
  const files: DemoSpecFile[] = [];
  for (const [name, componentPlans] of [...byComponent].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const sloth = componentPlans.filter((plan) => plan.format === 'sloth');
    const openslo = componentPlans.filter((plan) => plan.format === 'openslo');
    const documents = [
      ...(sloth.length > 0 ? [slothSpec(name, sloth)] : []),
      ...openslo.map((plan) =>
        plan.kind === 'availability' ? openSloAvailability(plan) : openSloLatency(plan),
      ),
    ];
    files.push({ file: `slos/${name}.yaml`, text: documents.join('---\n') });
  }
  return files;
}

function teamName(plan: DemoSloPlan): string {
  return plan.team.ref.slice(plan.team.ref.indexOf('/') + 1);
}

function slothSpec(service: string, plans: readonly DemoSloPlan[]): string {
  const alertName = service
    .split('-')
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
  const slos = plans.map(
    (plan) => `  - name: ${plan.kind}
    objective: ${plan.objective}
    description: "${plan.component.title} answers without server errors."
    sli:
      events:
        error_query: ${requests(service, ',code=~"5.."')}
        total_query: ${requests(service)}
    alerting:
      name: ${alertName}HighErrorRate
      page_alert:
        labels:
          severity: page
      ticket_alert:
        labels:
          severity: ticket
`,
  );
  return `# Demo SLOs (Sloth prometheus/v1), generated by pave demo.
version: prometheus/v1
service: ${service}
labels:
  team: ${teamName(plans[0]!)}
slos:
${slos.join('')}`;
}

function openSloAvailability(plan: DemoSloPlan): string {
  const service = plan.component.name;
  return `# Demo SLO (OpenSLO v1), generated by pave demo.
apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${plan.id}
  displayName: ${plan.component.title} availability
  labels:
    team: ${teamName(plan)}
spec:
  description: Requests to ${plan.component.title} succeed.
  service: ${service}
  indicator:
    metadata:
      name: ${service}-requests
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: Prometheus
            spec:
              query: ${requests(service, ',code!~"5.."')}
        total:
          metricSource:
            type: Prometheus
            spec:
              query: ${requests(service)}
  timeWindow:
    - duration: 30d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - target: ${plan.objective / 100}
`;
}

function openSloLatency(plan: DemoSloPlan): string {
  const service = plan.component.name;
  return `# Demo SLO (OpenSLO v1), generated by pave demo.
apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${plan.id}
  displayName: ${plan.component.title} latency
  labels:
    team: ${teamName(plan)}
spec:
  description: In 99% of the hours of each month, 95% of requests to ${plan.component.title} take under 300 ms.
  service: ${service}
  indicator:
    metadata:
      name: ${service}-fast-requests
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(http_request_duration_seconds_bucket{service="${service}",le="0.3"}[{{.window}}]))
        total:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(http_request_duration_seconds_count{service="${service}"}[{{.window}}]))
  timeWindow:
    - duration: 1M
      isRolling: false
      calendar:
        startTime: 2024-01-01 00:00:00
        timeZone: ${plan.team.timezone}
  budgetingMethod: Timeslices
  objectives:
    - target: ${plan.objective / 100}
      timeSliceTarget: 0.95
      timeSliceWindow: 1h
`;
}

/** An outage on a component: the demo's incidents, or the SLO part's own. */
interface Outage {
  start: number;
  end: number;
  /** The error ratio as a multiple of the SLO's error budget (its burn rate). */
  burn: number;
  /** The share of slow requests while it lasts. */
  slow: number;
}

/** How each severity burns: SEV1 takes a service down for most users, SEV5 is barely visible. */
const SEVERITY_BURN: Record<string, { burn: number; slow: number }> = {
  SEV1: { burn: 400, slow: 0.6 },
  SEV2: { burn: 120, slow: 0.3 },
  SEV3: { burn: 25, slow: 0.1 },
  SEV4: { burn: 8, slow: 0.03 },
  SEV5: { burn: 3, slow: 0.015 },
};

const PROFILE: Record<ReliabilityProfile, { baseline: number; outagesPerMonth: number; slowHour: number }> = {
  strong: { baseline: 0.12, outagesPerMonth: 0.3, slowHour: 0.001 },
  average: { baseline: 0.3, outagesPerMonth: 0.8, slowHour: 0.003 },
  fragile: { baseline: 0.55, outagesPerMonth: 2, slowHour: 0.006 },
};

/** The demo's incidents on the planned components, from the incident tables if present. */
async function demoIncidents(
  context: DemoContext,
  components: readonly string[],
  from: Date,
): Promise<Map<string, Outage[]>> {
  const outages = new Map<string, Outage[]>();
  let rows: {
    service_ref: string;
    started_at: Date;
    resolved_at: Date | null;
    mitigated_at: Date | null;
    severity: string | null;
  }[];
  try {
    rows = await context.store.query(
      `SELECT s.service_ref, i.started_at, i.resolved_at, i.mitigated_at, i.severity
       FROM incidents i JOIN incident_services s ON s.incident_id = i.id
       WHERE i.source = 'demo' AND s.service_ref = ANY($1) AND i.started_at < $3 AND coalesce(i.resolved_at, $3) > $2
       ORDER BY i.started_at, i.id, s.service_ref`,
      [components, from, context.asOf],
    );
  } catch {
    return outages; // no incident tables: the SLO part draws its own outages
  }
  for (const row of rows) {
    // Users feel an incident until it is mitigated (or resolved, when nothing mitigated it sooner).
    const end = (row.mitigated_at ?? row.resolved_at ?? context.asOf).getTime();
    const effect = SEVERITY_BURN[row.severity ?? 'SEV3'] ?? SEVERITY_BURN.SEV3!;
    const list = outages.get(row.service_ref) ?? [];
    list.push({
      start: row.started_at.getTime(),
      end: Math.max(end, row.started_at.getTime() + 60_000),
      ...effect,
    });
    outages.set(row.service_ref, list);
  }
  return outages;
}

/** The SLO part's own outages of a component when no demo incidents exist. */
function drawnOutages(random: Random, profile: ReliabilityProfile, from: number, to: number): Outage[] {
  const outages: Outage[] = [];
  const perHour = PROFILE[profile].outagesPerMonth / (30 * 24);
  for (let time = from; time < to; time += HOUR_MS) {
    if (!random.chance(perHour)) continue;
    const hours = random.weighted([
      [0.5, 3],
      [1, 4],
      [2, 2],
      [4, 1],
    ] as const);
    const severity = random.weighted([
      ['SEV1', 1],
      ['SEV2', 3],
      ['SEV3', 6],
      ['SEV4', 4],
    ] as const);
    const start = time + random.int(0, 59) * 60_000;
    outages.push({ start, end: start + hours * HOUR_MS, ...SEVERITY_BURN[severity]! });
  }
  return outages;
}

/** The share of an hour [start, start + 1h) an outage covers. */
function overlap(outage: Outage, start: number): number {
  const covered = Math.min(outage.end, start + HOUR_MS) - Math.max(outage.start, start);
  return covered > 0 ? covered / HOUR_MS : 0;
}

const localHourCache = new Map<string, Uint8Array>();

/**
 * The local hour of day of each hour from `start` (a UTC midnight) in a time zone, plus 24 on
 * Saturdays and Sundays: for the daily and weekly traffic curve. Intl is slow per call, so it is
 * asked twice a day (the offset at 00:00 and 23:00 UTC) and hour by hour only on DST days.
 */
function localHours(timeZone: string, start: number): Uint8Array {
  const key = `${timeZone}@${start}`;
  let hours = localHourCache.get(key);
  if (hours) return hours;
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    hour: 'numeric',
    weekday: 'short',
  });
  const local = (ms: number) => {
    const parts = format.formatToParts(new Date(ms));
    const hour = Number(parts.find((part) => part.type === 'hour')!.value);
    const weekday = parts.find((part) => part.type === 'weekday')!.value;
    return { hour, weekend: weekday === 'Sat' || weekday === 'Sun' };
  };
  const encode = (time: { hour: number; weekend: boolean }) => time.hour + (time.weekend ? 24 : 0);
  hours = new Uint8Array(DEMO_SLI_HOURS);
  for (let day = 0; day * 24 < DEMO_SLI_HOURS; day++) {
    const first = start + day * 24 * HOUR_MS;
    const atMidnight = local(first);
    const offset = (atMidnight.hour + 24) % 24;
    const atEnd = local(first + 23 * HOUR_MS);
    const steady = (offset + 23) % 24 === atEnd.hour;
    for (let h = 0; h < 24 && day * 24 + h < DEMO_SLI_HOURS; h++) {
      if (!steady) {
        hours[day * 24 + h] = encode(local(first + h * HOUR_MS));
        continue;
      }
      const hour = (offset + h) % 24;
      // The local day changes where the local hour wraps to 0: the weekend flag with it.
      const sameLocalDay = offset + h < 24;
      const weekend = sameLocalDay ? atMidnight.weekend : atEnd.weekend;
      hours[day * 24 + h] = hour + (weekend ? 24 : 0);
    }
  }
  if (localHourCache.size > 64) localHourCache.clear();
  localHourCache.set(key, hours);
  return hours;
}

/**
 * Days before `asOf` that availability SLOs keep hourly points for: the 30-day window, the
 * four-week policy window and the burn-rate windows; older history is kept as daily points, as a
 * downsampling store keeps it. Latency SLOs count hourly slices and keep hourly points throughout.
 */
export const DEMO_HOURLY_DAYS = 35;

/** The points of one SLO, oldest first: rows for the store's bulk insert. */
export function demoSliRows(
  plan: DemoSloPlan,
  sloKey: number,
  seed: number,
  asOf: Date,
  outages: readonly Outage[] | undefined,
  story: Story,
): unknown[][] {
  const random = createRandom(`${seed}/slo/${plan.id}`);
  const traffic = createRandom(`${seed}/slo-traffic/${plan.component.name}`);
  const profile = PROFILE[plan.team.profile.reliability];
  const budget = 1 - plan.objective / 100;
  const end = asOf.getTime();
  const start = end - DEMO_SLI_HOURS * HOUR_MS;
  const own = outages ?? drawnOutages(random.fork('outages'), plan.team.profile.reliability, start, end);
  // Traffic belongs to the component: its two SLOs see the same requests.
  const base = Math.min(400_000, Math.max(600, traffic.lognormal(Math.log(25_000), 1)));
  const weekendDip = plan.component.role === 'platform' ? 0.85 : 0.65;
  const local = localHours(plan.team.timezone, start);
  const storyFrom = story === 'exhausted' ? end - 9 * 24 * HOUR_MS : end - 30 * HOUR_MS;
  const storyBurn = story === 'exhausted' ? random.float(4.2, 5.5) : random.float(2.5, 4.5);
  const hourlyFrom = plan.kind === 'availability' ? end - DEMO_HOURLY_DAYS * 24 * HOUR_MS : start;
  const rows: unknown[][] = [];
  let day = { start, good: 0, total: 0 };
  let outageIndex = 0;
  const sorted = [...own].sort((a, b) => a.start - b.start);
  for (let index = 0, time = start; time < end; index++, time += HOUR_MS) {
    const hour = local[index]!;
    const weekend = hour >= 24;
    const dayShape = 0.3 + 0.7 * (0.5 - 0.5 * Math.cos((2 * Math.PI * ((hour % 24) - 3)) / 24));
    const growth = 0.75 + 0.35 * ((time - start) / (end - start));
    const total = Math.round(
      base * dayShape * (weekend ? weekendDip : 1) * growth * (0.9 + 0.2 * traffic.next()),
    );
    let outageBurn = 0;
    let outageSlow = 0;
    while (outageIndex < sorted.length && sorted[outageIndex]!.end <= time) outageIndex++;
    for (let i = outageIndex; i < sorted.length && sorted[i]!.start < time + HOUR_MS; i++) {
      const share = overlap(sorted[i]!, time);
      outageBurn += sorted[i]!.burn * share;
      outageSlow += sorted[i]!.slow * share;
    }
    let good: number;
    if (plan.kind === 'availability') {
      let burn = profile.baseline * (0.4 + 1.2 * random.next()) + outageBurn;
      if (story !== 'normal' && time >= storyFrom) burn += storyBurn;
      const bad = Math.round(total * Math.min(1, burn * budget));
      good = total - bad;
    } else {
      let slow = 0.004 + 0.012 * random.next() * (profile.baseline / 0.3);
      if (random.chance(profile.slowHour)) slow += random.float(0.06, 0.3);
      slow += outageSlow;
      good = total - Math.round(total * Math.min(1, slow));
    }
    if (time >= hourlyFrom) {
      rows.push([sloKey, new Date(time), new Date(time + HOUR_MS), good, total, 'demo']);
      continue;
    }
    day.good += good;
    day.total += total;
    if ((index + 1) % 24 === 0) {
      rows.push([sloKey, new Date(day.start), new Date(time + HOUR_MS), day.good, day.total, 'demo']);
      day = { start: time + HOUR_MS, good: 0, total: 0 };
    }
  }
  return rows;
}

/** Picks the SLOs of the story: exhausted from the least reliable teams, burning from the others. */
function storyOf(plans: readonly DemoSloPlan[], seed: number): Map<string, Story> {
  const random = createRandom(`${seed}/slo-story`);
  const availability = plans.filter((plan) => plan.kind === 'availability');
  const rank: Record<ReliabilityProfile, number> = { fragile: 0, average: 1, strong: 2 };
  const shuffled = random
    .shuffle(availability)
    .sort((a, b) => rank[a.team.profile.reliability] - rank[b.team.profile.reliability]);
  const story = new Map<string, Story>();
  for (const plan of shuffled.slice(0, 2)) story.set(plan.id, 'exhausted');
  const rest = random.shuffle(shuffled.slice(2).filter((plan) => plan.team.profile.reliability !== 'strong'));
  for (const plan of rest.slice(0, 4)) story.set(plan.id, 'burning');
  return story;
}

/** The SLO demo part. */
export const sloDemoPart: DemoPart = {
  name: 'SLOs',
  async run(context) {
    const { store, organisation, seed, asOf, progress } = context;
    const plans = demoSloPlans(organisation);
    const files = demoSpecFiles(plans);
    const ids = plans.map((plan) => plan.id);
    // SLOs an earlier run wrote that this one does not (another --teams): gone, with their points.
    await store.execute(
      `DELETE FROM slo_sli_points WHERE slo_key IN (SELECT slo_key FROM slo_specs WHERE source = 'demo' AND NOT (slo_id = ANY($1)))`,
      [ids],
    );
    await store.execute("DELETE FROM slo_specs WHERE source = 'demo' AND NOT (slo_id = ANY($1))", [ids]);
    const report = await registerSlos(store, files, { source: 'demo', now: asOf });
    const keys = new Map(
      (
        await store.query<{ slo_id: string; slo_key: number }>(
          'SELECT slo_id, slo_key FROM slo_specs WHERE slo_id = ANY($1)',
          [ids],
        )
      ).map((row) => [row.slo_id, row.slo_key]),
    );
    await store.execute("DELETE FROM slo_sli_points WHERE source = 'demo'");

    const from = new Date(asOf.getTime() - DEMO_SLI_HOURS * HOUR_MS);
    const incidents = await demoIncidents(
      context,
      [...new Set(plans.map((plan) => plan.component.ref))],
      from,
    );
    const story = storyOf(plans, seed);
    progress.start('SLI history', plans.length);
    let points = 0;
    for (const plan of plans) {
      const rows = demoSliRows(
        plan,
        keys.get(plan.id)!,
        seed,
        asOf,
        incidents.size > 0 ? (incidents.get(plan.component.ref) ?? []) : undefined,
        story.get(plan.id) ?? 'normal',
      );
      await store.insertRows(
        'slo_sli_points',
        ['slo_key', 'start_at', 'end_at', 'good', 'total', 'source'],
        rows as never,
      );
      points += rows.length;
      progress.tick();
    }
    await store.execute(
      "UPDATE slo_specs SET max_point_seconds = CASE WHEN budgeting_method = 'Occurrences' THEN 86400 ELSE 3600 END WHERE source = 'demo'",
    );

    const statuses = await evaluateSlos(store, { at: asOf, ids });
    const count = (test: (s: (typeof statuses)[number]) => boolean) => statuses.filter(test).length;
    const exhausted = count((s) => (s.errorBudgetRemaining ?? 1) <= 0);
    const burning = count((s) => (s.errorBudgetRemaining ?? 0) > 0 && (s.burnRates['1d'] ?? 0) > 1);
    const warnings = report.problems.length;
    return (
      `${plans.length} SLOs (${files.length} spec files${warnings ? `, ${warnings} warnings` : ''}) with ${points.toLocaleString('en-US')} hourly SLI points` +
      ` (${incidents.size > 0 ? 'incident outages' : 'drawn outages'}): ${plans.length - exhausted - burning} healthy, ${burning} burning, ${exhausted} exhausted`
    );
  },
};
