/**
 * The incidents the error-budget policy weighs: those on the SLOs' components that overlap the
 * policy window, with their postmortem status and P0 action items. Read from the incident tables of
 * this domain (`incidents`, `incident_services`, `incident_action_items`, migrations 300-349);
 * `undefined` when a store has no incident tables.
 */
import type { Queryable } from '../../store/Store.js';

/** An incident as the policy needs it; `services` are lower-case component refs. */
export interface BudgetIncident {
  id: string;
  title: string;
  severity: string | undefined;
  startedAt: Date;
  resolvedAt: Date | undefined;
  services: string[];
  postmortemStatus: string | undefined;
  /** P0 action items, whatever their status (the policy asks for one to exist). */
  p0ActionItems: number;
}

/** Incidents on `components` that started before `to` and were unresolved at `from` or later. */
export async function budgetIncidents(
  db: Queryable,
  components: readonly string[],
  window: { from: Date; to: Date },
): Promise<BudgetIncident[] | undefined> {
  if (components.length === 0) return [];
  let rows: {
    id: string;
    title: string;
    severity: string | null;
    started_at: Date;
    resolved_at: Date | null;
    service_ref: string;
    postmortem_status: string | null;
    p0: number;
  }[];
  try {
    rows = await db.query(
      `SELECT i.id, i.title, i.severity, i.started_at, i.resolved_at, s.service_ref, i.postmortem_status,
              (SELECT count(*) FROM incident_action_items a WHERE a.incident_id = i.id AND a.priority = 'P0') AS p0
       FROM incidents i JOIN incident_services s ON s.incident_id = i.id
       WHERE s.service_ref = ANY($1) AND i.started_at < $3 AND (i.resolved_at IS NULL OR i.resolved_at > $2)
       ORDER BY i.started_at, i.id, s.position`,
      [components, window.from, window.to],
    );
  } catch (error) {
    // A store without the incident tables (the incidents part not migrated): say so, do not fail.
    if (/incident\w*"? does not exist|Table with name incident/i.test(String(error))) return undefined;
    throw error;
  }
  const byId = new Map<string, BudgetIncident>();
  for (const row of rows) {
    let incident = byId.get(row.id);
    if (!incident) {
      incident = {
        id: row.id,
        title: row.title,
        severity: row.severity ?? undefined,
        startedAt: row.started_at,
        resolvedAt: row.resolved_at ?? undefined,
        services: [],
        postmortemStatus: row.postmortem_status ?? undefined,
        p0ActionItems: Number(row.p0),
      };
      byId.set(row.id, incident);
    }
    incident.services.push(row.service_ref);
  }
  return [...byId.values()];
}
