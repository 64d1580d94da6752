/**
 * Which deployment each incident is blamed on. Incidents belong to the reliability domain; Pave's
 * delivery metrics read them through one function of its `index.ts`,
 * `listIncidentsForAttribution(store, window)`, or through any `IncidentSource` a caller passes.
 *
 * An incident is attributed to ONE deployment, never several, and never to one long before it:
 * 1. linked explicitly by deployment id: that deployment (of several ids, the latest to finish
 *    before the incident started, else the earliest after);
 * 2. else linked explicitly by commit sha: the production deployments of that sha, or the one
 *    that first shipped it, chosen the same way;
 * 3. else the attribution rule: the most recent production deployment of an affected service that
 *    finished no more than the window (default 24 hours) before the incident started.
 * Explicit links that name no production deployment fall through to the rule. An incident with no
 * deployment in reach is left unattributed (it does not count against any deployment).
 */
import type { Store } from '../store/Store.js';
import { type ComponentIndex, loadComponentIndex, resolveService } from './serviceResolver.js';
import type { Track } from './track.js';

/** The incident as the reliability domain hands it over (its contract with delivery). */
export interface AttributionIncident {
  id: string;
  severity: string | undefined;
  startedAt: Date;
  mitigatedAt: Date | undefined;
  resolvedAt: Date | undefined;
  /** Affected services: component refs. */
  services: string[];
  /** Deployments linked explicitly. */
  deploymentIds: string[];
  /** Commits linked explicitly. */
  shas: string[];
}

/** Lists the incidents that started in a window. */
export type IncidentSource = (
  store: Store,
  window: { from: Date; to: Date },
) => Promise<AttributionIncident[]>;

/** How one incident was attributed. */
export interface IncidentLink {
  incidentId: string;
  severity: string | undefined;
  deploymentId: string;
  rule: 'deployment-id' | 'sha' | 'window';
  startedAt: number;
  /** Mitigation (else resolution) time, seconds since the epoch; undefined while open. */
  recoveredAt: number | undefined;
}

/** An incident no production deployment was found for, with why. */
export interface UnattributedIncident {
  incidentId: string;
  /** The affected services as attribution keys (component refs when they resolve). */
  serviceKeys: string[];
  reason: string;
}

/**
 * The default incident source: the reliability domain's `listIncidentsForAttribution`. Loaded
 * lazily so that delivery works (with no incidents, and a warning) while that domain does not
 * provide it.
 */
export const reliabilityIncidents: IncidentSource = async (store, window) => {
  const list = await loadReliabilitySource();
  return list === undefined ? [] : list(store, window);
};

/** Why the default incident source has no incidents to give, or undefined when it works. */
export async function reliabilityIncidentsUnavailable(): Promise<string | undefined> {
  await loadReliabilitySource();
  return incidentsUnavailable;
}

let reliabilitySource: Promise<IncidentSource | undefined> | undefined;
let incidentsUnavailable: string | undefined;

async function loadReliabilitySource(): Promise<IncidentSource | undefined> {
  reliabilitySource ??= (async () => {
    // A variable specifier: the module is another domain's and may not exist yet at build time.
    const specifier = '../reliability/index.js';
    try {
      const module = (await import(specifier)) as { listIncidentsForAttribution?: IncidentSource };
      if (typeof module.listIncidentsForAttribution === 'function') return module.listIncidentsForAttribution;
      incidentsUnavailable = 'the reliability domain does not export listIncidentsForAttribution';
    } catch (error) {
      incidentsUnavailable = `the reliability domain is not available (${(error as Error).message.split('\n')[0]})`;
    }
    return undefined;
  })();
  return reliabilitySource;
}

interface Candidate {
  deploymentId: string;
  finished: number;
}

/** Attributes incidents to the track's production deployments by the rules above. */
export async function attributeIncidents(
  store: Store,
  track: Track,
  incidents: readonly AttributionIncident[],
  options: { windowSeconds: number; index?: ComponentIndex },
): Promise<{ links: IncidentLink[]; unattributed: UnattributedIncident[] }> {
  const links: IncidentLink[] = [];
  const unattributed: UnattributedIncident[] = [];
  if (incidents.length === 0) return { links, unattributed };

  const ids = [...new Set(incidents.flatMap((incident) => incident.deploymentIds))];
  const byId = new Map<string, Candidate>();
  if (ids.length > 0) {
    const rows = await store.query<{ deployment_id: string; finished: number }>(
      `SELECT deployment_id, extract(epoch FROM finished_at) AS finished FROM delivery_deployment_facts
        WHERE track = $1 AND deployment_id IN (SELECT unnest($2::text[]))`,
      [track.key, ids],
    );
    for (const row of rows)
      byId.set(row.deployment_id, { deploymentId: row.deployment_id, finished: Number(row.finished) });
  }

  const shas = [...new Set(incidents.flatMap((incident) => incident.shas.map((sha) => sha.toLowerCase())))];
  const bySha = new Map<string, Candidate[]>();
  if (shas.length > 0) {
    const rows = await store.query<{ sha: string; deployment_id: string; finished: number }>(
      `SELECT d.sha, f.deployment_id, extract(epoch FROM f.finished_at) AS finished
         FROM delivery_deployment_facts f JOIN delivery_deployments d ON d.id = f.deployment_id
        WHERE f.track = $1 AND d.sha IN (SELECT unnest($2::text[]))
       UNION
       SELECT c.sha, c.deployment_id, extract(epoch FROM c.deployed_at) AS finished
         FROM delivery_changes c
        WHERE c.track = $1 AND c.sha IN (SELECT unnest($2::text[]))`,
      [track.key, shas],
    );
    for (const row of rows) {
      const list = bySha.get(row.sha) ?? [];
      list.push({ deploymentId: row.deployment_id, finished: Number(row.finished) });
      bySha.set(row.sha, list);
    }
  }

  const index = options.index ?? (await loadComponentIndex(store));
  const ruleInput: { incident: string; serviceKey: string; started: number }[] = [];
  const pending: AttributionIncident[] = [];
  for (const incident of incidents) {
    const started = incident.startedAt.getTime() / 1000;
    const recoveredAt = (incident.mitigatedAt ?? incident.resolvedAt)?.getTime();
    const base = {
      incidentId: incident.id,
      severity: incident.severity,
      startedAt: started,
      recoveredAt: recoveredAt === undefined ? undefined : recoveredAt / 1000,
    };
    const explicit = incident.deploymentIds
      .map((id) => byId.get(id))
      .filter((c): c is Candidate => c !== undefined);
    if (explicit.length > 0) {
      links.push({ ...base, deploymentId: choose(explicit, started).deploymentId, rule: 'deployment-id' });
      continue;
    }
    const viaSha = incident.shas.flatMap((sha) => bySha.get(sha.toLowerCase()) ?? []);
    if (viaSha.length > 0) {
      links.push({ ...base, deploymentId: choose(viaSha, started).deploymentId, rule: 'sha' });
      continue;
    }
    pending.push(incident);
    for (const service of incident.services) {
      ruleInput.push({
        incident: incident.id,
        serviceKey: resolveService(service, index).serviceKey,
        started,
      });
    }
  }

  const nearest = new Map<string, Candidate>();
  if (ruleInput.length > 0) {
    const rows = await store.query<{ incident: string; deployment_id: string; finished: number }>(
      `SELECT i.incident, f.deployment_id, extract(epoch FROM f.finished_at) AS finished
         FROM (SELECT unnest($2::text[]) AS incident, unnest($3::text[]) AS service_key,
                      unnest($4::double precision[]) AS started) i
         JOIN delivery_deployment_facts f
           ON f.track = $1 AND f.service_key = i.service_key
          AND f.finished_at <= to_timestamp(i.started) AND f.finished_at >= to_timestamp(i.started - $5)`,
      [
        track.key,
        ruleInput.map((input) => input.incident),
        ruleInput.map((input) => input.serviceKey),
        ruleInput.map((input) => input.started),
        options.windowSeconds,
      ],
    );
    for (const row of rows) {
      const candidate = { deploymentId: row.deployment_id, finished: Number(row.finished) };
      const best = nearest.get(row.incident);
      if (
        !best ||
        candidate.finished > best.finished ||
        (candidate.finished === best.finished && candidate.deploymentId > best.deploymentId)
      ) {
        nearest.set(row.incident, candidate);
      }
    }
  }
  for (const incident of pending) {
    const best = nearest.get(incident.id);
    const recoveredAt = (incident.mitigatedAt ?? incident.resolvedAt)?.getTime();
    if (best) {
      links.push({
        incidentId: incident.id,
        severity: incident.severity,
        deploymentId: best.deploymentId,
        rule: 'window',
        startedAt: incident.startedAt.getTime() / 1000,
        recoveredAt: recoveredAt === undefined ? undefined : recoveredAt / 1000,
      });
    } else {
      unattributed.push({
        incidentId: incident.id,
        serviceKeys: incident.services.map((service) => resolveService(service, index).serviceKey),
        reason:
          incident.services.length === 0
            ? 'no affected service and no explicit link'
            : 'no production deployment of an affected service finished within the window before it started',
      });
    }
  }
  return { links, unattributed };
}

/** Of several candidates, the latest to finish at or before the start, else the earliest after. */
function choose(candidates: readonly Candidate[], started: number): Candidate {
  const before = candidates.filter((c) => c.finished <= started);
  const pool = before.length > 0 ? before : candidates;
  const pickLatest = before.length > 0;
  return pool.reduce((best, c) => {
    if (c.finished === best.finished) return c.deploymentId > best.deploymentId ? c : best;
    return (pickLatest ? c.finished > best.finished : c.finished < best.finished) ? c : best;
  });
}

/** Per deployment: the incidents blamed on it and the earliest recovery among them. */
export function incidentFailures(
  links: readonly IncidentLink[],
): Map<string, { incidents: IncidentLink[]; recoveredAt: number | undefined }> {
  const result = new Map<string, { incidents: IncidentLink[]; recoveredAt: number | undefined }>();
  for (const link of links) {
    const entry = result.get(link.deploymentId) ?? { incidents: [], recoveredAt: undefined };
    entry.incidents.push(link);
    if (link.recoveredAt !== undefined) {
      entry.recoveredAt =
        entry.recoveredAt === undefined ? link.recoveredAt : Math.min(entry.recoveredAt, link.recoveredAt);
    }
    result.set(link.deploymentId, entry);
  }
  return result;
}
