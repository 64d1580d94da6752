/**
 * `pave incident stats` and `GET /api/v1/incidents/stats`, and `pave oncall load` and
 * `GET /api/v1/oncall/load`: the facts are read from the store set-wise (three queries), then the
 * pure functions of `metrics.ts` and `oncallLoad.ts` compute every figure. The JSON shapes are
 * stable and documented in docs/metrics.md.
 */
import { componentsInScope, type Scope } from '../../catalog/index.js';
import type { SqlParam, Store } from '../../store/Store.js';
import { type CatalogLookup, loadCatalogLookup } from './catalogLookup.js';
import type { IncidentsConfig } from './incidentsConfig.js';
import { isTimeZone } from './ingest/paveInput.js';
import {
  type ActionItemStats,
  actionItemStats,
  type DurationStats,
  durationStats,
  type IncidentFacts,
  type PostmortemStats,
  platformCause,
  postmortemStats,
  type RecurrenceStats,
  recurrenceStats,
  timesToAcknowledge,
  timesToResolve,
} from './metrics.js';
import { SEVERITIES } from './model.js';
import { onCallLoad, type PageFacts, type TeamLoad } from './oncallLoad.js';

const DAY_MS = 86_400_000;

/** The scope as text: `org`, `team:group:default/x`, `service:component:default/y`. */
export function scopeText(scope: Scope): string {
  return scope.type === 'org' ? 'org' : `${scope.type}:${scope.ref}`;
}

/** One row of a breakdown. */
export interface BreakdownRow {
  key: string;
  incidents: number;
  platformCaused: number;
  mttaSeconds: DurationStats;
  mttrSeconds: DurationStats;
}

/** The stable JSON of `pave incident stats --format json`. */
export interface IncidentStatsReport {
  scope: string;
  from: string;
  to: string;
  asOf: string;
  incidents: number;
  bySeverity: Record<string, number>;
  mttaSeconds: DurationStats;
  mttrSeconds: DurationStats;
  platformCaused: number;
  platformCausedRate: number | null;
  platformCausedBy: { explicit: number; causeCategory: number; platformService: number };
  recurrenceRate: number | null;
  recurrence: RecurrenceStats & { windowDays: number };
  postmortemCompletion: PostmortemStats & { businessDays: number; severities: string[] };
  actionItems: ActionItemStats;
  breakdown: {
    severity: BreakdownRow[];
    service: (BreakdownRow & { tier: string | null; owner: string | null })[];
    team: BreakdownRow[];
    tier: BreakdownRow[];
  };
}

/** Options of the reports. */
export interface StatsOptions {
  scope: Scope;
  from: Date;
  to: Date;
  /** "Now" for overdue postmortems and action items; default the current time. */
  asOf?: Date;
  config: IncidentsConfig;
}

interface FactRow {
  id: string;
  severity: string | null;
  started_at: Date;
  detected_at: Date | null;
  acknowledged_at: Date | null;
  mitigated_at: Date | null;
  resolved_at: Date | null;
  cause_category: string | null;
  platform_caused: boolean | null;
  postmortem_status: string | null;
  postmortem_completed_at: Date | null;
}

/** The incident statistics of a scope over `[from, to)` (by incident start). */
export async function incidentStats(store: Store, options: StatsOptions): Promise<IncidentStatsReport> {
  const { config, scope } = options;
  const asOf = (options.asOf ?? new Date()).getTime();
  const from = options.from.getTime();
  const lookBack = new Date(from - config.recurrenceWindowDays * DAY_MS);
  const components = await componentsInScope(store, scope);
  const scoped = components === undefined ? undefined : new Set(components);

  const params: SqlParam[] = [lookBack, options.to];
  let scopeFilter = '';
  if (components !== undefined) {
    params.push(components);
    scopeFilter =
      'AND EXISTS (SELECT 1 FROM incident_services s WHERE s.incident_id = i.id AND s.service_ref = ANY($3))';
  }
  const where = `i.started_at >= $1 AND i.started_at < $2 ${scopeFilter}`;
  const rows = await store.query<FactRow>(
    `SELECT i.id, i.severity, i.started_at, i.detected_at, i.acknowledged_at, i.mitigated_at, i.resolved_at,
            i.cause_category, i.platform_caused, i.postmortem_status, i.postmortem_completed_at
       FROM incidents i WHERE ${where}`,
    params,
  );
  const serviceRows = await store.query<{ incident_id: string; service_ref: string }>(
    `SELECT s.incident_id, s.service_ref FROM incident_services s JOIN incidents i ON i.id = s.incident_id
      WHERE ${where} ORDER BY s.incident_id, s.position`,
    params,
  );
  const itemRows = await store.query<{ status: string; due_date: string | null }>(
    `SELECT a.status, a.due_date FROM incident_action_items a JOIN incidents i ON i.id = a.incident_id
      WHERE ${where} AND i.started_at >= $${params.length + 1}`,
    [...params, options.from],
  );

  const services = new Map<string, string[]>();
  for (const row of serviceRows) {
    const list = services.get(row.incident_id);
    if (list) list.push(row.service_ref);
    else services.set(row.incident_id, [row.service_ref]);
  }
  const all = rows.map((row) => toFacts(row, services.get(row.id) ?? []));
  const inWindow = all.filter((incident) => incident.startedAt >= from);

  const lookup = await loadCatalogLookup(store);
  const platformServices = new Set<string>();
  for (const owner of config.platformOwners) {
    for (const ref of (await componentsInScope(store, { type: 'team', ref: owner.toLowerCase() })) ?? []) {
      platformServices.add(ref);
    }
  }
  const causeCategories = new Set(config.platformCauseCategories.map((c) => c.toLowerCase()));
  // Keyed by the facts object: identity lookups, fast over 100,000 incidents and four breakdowns.
  const platform = new Map(
    inWindow.map((incident) => [incident, platformCause(incident, causeCategories, platformServices)]),
  );
  const platformCaused = [...platform.values()].filter((p) => p.caused);

  const bySeverity: Record<string, number> = Object.fromEntries([...SEVERITIES, 'none'].map((s) => [s, 0]));
  for (const incident of inWindow) bySeverity[incident.severity ?? 'none']!++;

  const recurrence = recurrenceStats(inWindow, all, config.recurrenceWindowDays, config.minSample);
  const severities = new Set<string>(config.postmortemSeverities);
  const breakdownOf = (key: (incident: IncidentFacts) => string[]) =>
    breakdown(inWindow, key, (incident) => platform.get(incident)?.caused ?? false, config.minSample);
  const inScope = (incident: IncidentFacts) =>
    scoped === undefined ? incident.services : incident.services.filter((service) => scoped.has(service));

  return {
    scope: scopeText(scope),
    from: options.from.toISOString(),
    to: options.to.toISOString(),
    asOf: new Date(asOf).toISOString(),
    incidents: inWindow.length,
    bySeverity,
    mttaSeconds: durationStats(timesToAcknowledge(inWindow), config.minSample),
    mttrSeconds: durationStats(timesToResolve(inWindow), config.minSample),
    platformCaused: platformCaused.length,
    platformCausedRate: inWindow.length >= config.minSample ? platformCaused.length / inWindow.length : null,
    platformCausedBy: {
      explicit: platformCaused.filter((p) => p.reason === 'explicit').length,
      causeCategory: platformCaused.filter((p) => p.reason === 'cause-category').length,
      platformService: platformCaused.filter((p) => p.reason === 'platform-service').length,
    },
    recurrenceRate: recurrence.rate,
    recurrence: { ...recurrence, windowDays: config.recurrenceWindowDays },
    postmortemCompletion: {
      ...postmortemStats(inWindow, {
        severities,
        businessDays: config.postmortemBusinessDays,
        timeZone: config.postmortemTimezone,
        asOf,
        minSample: config.minSample,
      }),
      businessDays: config.postmortemBusinessDays,
      severities: [...config.postmortemSeverities],
    },
    actionItems: actionItemStats(
      itemRows.map((row) => ({ status: row.status, ...(row.due_date ? { dueDate: row.due_date } : {}) })),
      asOf,
    ),
    breakdown: {
      severity: breakdownOf((incident) => [incident.severity ?? 'none']),
      service: breakdownOf(inScope).map((row) => ({
        ...row,
        tier: lookup.tierOf(row.key) ?? null,
        owner: lookup.ownerOf(row.key) ?? null,
      })),
      team: breakdownOf((incident) => teamsOf(inScope(incident), lookup)),
      tier: breakdownOf((incident) => [...new Set(inScope(incident).map((s) => tierKey(lookup.tierOf(s))))]),
    },
  };
}

function tierKey(tier: string | undefined): string {
  return tier === undefined ? 'none' : /^\d+$/.test(tier) ? `tier-${tier}` : tier;
}

/** The owning teams of `services`; a service without a group owner (none, or a user) counts as `none`. */
function teamsOf(services: readonly string[], lookup: CatalogLookup): string[] {
  // Metrics are per team, never per person: a user owner is not reported by name.
  const teamOf = (service: string) => {
    const owner = lookup.ownerOf(service);
    return owner?.startsWith('group:') ? owner : 'none';
  };
  return [...new Set(services.map(teamOf))];
}

function breakdown(
  incidents: readonly IncidentFacts[],
  keysOf: (incident: IncidentFacts) => string[],
  isPlatform: (incident: IncidentFacts) => boolean,
  minSample: number,
): BreakdownRow[] {
  const groups = new Map<string, IncidentFacts[]>();
  for (const incident of incidents) {
    for (const key of keysOf(incident)) {
      const list = groups.get(key);
      if (list) list.push(incident);
      else groups.set(key, [incident]);
    }
  }
  return [...groups.entries()]
    .sort(([a, x], [b, y]) => y.length - x.length || a.localeCompare(b))
    .map(([key, list]) => ({
      key,
      incidents: list.length,
      platformCaused: list.filter(isPlatform).length,
      mttaSeconds: durationStats(timesToAcknowledge(list), minSample),
      mttrSeconds: durationStats(timesToResolve(list), minSample),
    }));
}

function toFacts(row: FactRow, services: string[]): IncidentFacts {
  const ms = (date: Date | null) => (date === null ? undefined : date.getTime());
  const facts: IncidentFacts = { id: row.id, startedAt: row.started_at.getTime(), services };
  if (row.severity !== null) facts.severity = row.severity;
  const detected = ms(row.detected_at);
  if (detected !== undefined) facts.detectedAt = detected;
  const acknowledged = ms(row.acknowledged_at);
  if (acknowledged !== undefined) facts.acknowledgedAt = acknowledged;
  const mitigated = ms(row.mitigated_at);
  if (mitigated !== undefined) facts.mitigatedAt = mitigated;
  const resolved = ms(row.resolved_at);
  if (resolved !== undefined) facts.resolvedAt = resolved;
  if (row.cause_category !== null) facts.causeCategory = row.cause_category;
  if (row.platform_caused !== null) facts.platformCaused = row.platform_caused;
  if (row.postmortem_status !== null) facts.postmortemStatus = row.postmortem_status;
  const completed = ms(row.postmortem_completed_at);
  if (completed !== undefined) facts.postmortemCompletedAt = completed;
  return facts;
}

/** The stable JSON of `pave oncall load --format json`. */
export interface OnCallLoadReport {
  scope: string;
  from: string;
  to: string;
  shiftHours: number;
  shiftIncidentLimit: number;
  teams: TeamLoad[];
}

/** Channels that interrupt (PagerDuty: SMS, push, phone; e-mail and chat do not). */
const INTERRUPTING_CHANNELS = ['phone', 'sms', 'push', 'other'];

/** On-call load per team and week over `[from, to)` (by notification time). */
export async function onCallLoadReport(store: Store, options: StatsOptions): Promise<OnCallLoadReport> {
  const { scope, config } = options;
  const params: SqlParam[] = [options.from, options.to, INTERRUPTING_CHANNELS];
  let filter = '';
  if (scope.type === 'team') {
    params.push(await teamAndDescendants(store, scope.ref));
    filter = `AND n.team_ref = ANY($${params.length})`;
  } else if (scope.type === 'service') {
    params.push(scope.ref);
    filter = `AND EXISTS (SELECT 1 FROM incident_services s WHERE s.incident_id = n.incident_id AND s.service_ref = $${params.length})`;
  }
  const rows = await store.query<{
    incident_id: string;
    sent_at: Date;
    team_ref: string;
    responder: string | null;
    responder_timezone: string | null;
    urgency: string;
  }>(
    `SELECT n.incident_id, n.sent_at, n.team_ref, n.responder, n.responder_timezone, n.urgency
       FROM incident_notifications n
      WHERE n.sent_at >= $1 AND n.sent_at < $2 AND n.channel = ANY($3)
        AND n.team_ref IS NOT NULL ${filter}`,
    params,
  );
  const lookup = await loadCatalogLookup(store);
  const validZones = new Map<string, boolean>();
  const zone = (candidate: string | undefined): string | undefined => {
    if (!candidate) return undefined;
    let valid = validZones.get(candidate);
    if (valid === undefined) {
      valid = isTimeZone(candidate);
      validZones.set(candidate, valid);
    }
    return valid ? candidate : undefined;
  };
  const pages: PageFacts[] = rows.map((row) => ({
    incidentId: row.incident_id,
    sentAt: row.sent_at.getTime(),
    team: row.team_ref,
    urgency: row.urgency === 'high' ? 'high' : 'low',
    ...(row.responder ? { responder: row.responder } : {}),
    timezone:
      zone(row.responder_timezone ?? undefined) ??
      zone(lookup.timezoneOf(row.responder ?? undefined)) ??
      'UTC',
  }));
  return {
    scope: scopeText(scope),
    from: options.from.toISOString(),
    to: options.to.toISOString(),
    shiftHours: config.shiftHours,
    shiftIncidentLimit: config.shiftIncidentLimit,
    teams: onCallLoad(pages, { from: options.from.getTime(), to: options.to.getTime() }, config),
  };
}

/** A group and its descendants (`parentOf`/`childOf`), lower-case refs. */
async function teamAndDescendants(store: Store, ref: string): Promise<string[]> {
  const rows = await store.query<{ ref: string }>(
    `WITH RECURSIVE groups(ref) AS (
       SELECT CAST($1 AS TEXT)
       UNION
       SELECT CASE WHEN r.type = 'parentOf' THEN r.target_ref ELSE r.source_ref END
       FROM catalog_relations r JOIN groups g
         ON (r.type = 'parentOf' AND r.source_ref = g.ref) OR (r.type = 'childOf' AND r.target_ref = g.ref)
     )
     SELECT ref FROM groups ORDER BY ref`,
    [ref],
  );
  return rows.map((row) => row.ref);
}
