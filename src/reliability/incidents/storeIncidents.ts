/**
 * Writing incidents: drafts resolved against the catalog, merged with what is stored
 * (`mergeIncidents`), checked, and written only when they changed. The hash of the canonical
 * incident decides "changed": re-importing the same export, or a webhook retry, writes nothing.
 */
import { hasErrors, InputError, type Problem } from '../../core/errors.js';
import { plural } from '../../core/plural.js';
import type { Queryable, SqlParam, Store } from '../../store/Store.js';
import { incidentDigest } from './canonicalIncident.js';
import { loadCatalogLookup } from './catalogLookup.js';
import { mergeIncidents } from './mergeIncidents.js';
import type { Incident, IncidentBatch, IncidentDraft, Notification } from './model.js';
import { resolveDraft, resolveNotification } from './resolveDraft.js';
import { timestampOrderViolations } from './timestampOrder.js';

/** What an import did. */
export interface IncidentImportReport {
  /** Incident records (alerts, events, rows) in the input; several can be one incident. */
  read: number;
  /** Incidents created, updated or left unchanged (counted once each, whatever their records). */
  added: number;
  updated: number;
  unchanged: number;
  /** Records dropped for an error (see `problems`). */
  rejected: number;
  /** Notifications (pages) stored for the first time. */
  notifications: number;
  problems: Problem[];
  /** The ids behind `added`, `updated` and `unchanged` (not serialised: the counts are). */
  ids: { added: string[]; updated: string[]; unchanged: string[] };
}

export interface StoreIncidentsOptions {
  /** Any error rejects the whole batch: nothing is written and an `AtomicImportRefused` is thrown. */
  atomic?: boolean;
  /** The write time (`created_at`, `updated_at`); defaults to now. */
  now?: Date;
  /** The input's name, for messages. */
  file?: string;
}

/**
 * An atomic import refused for its errors: nothing was written. An input error (exit 2), HTTP 422:
 * the input parsed, but what it holds is invalid.
 */
export class AtomicImportRefused extends InputError {
  constructor(
    readonly report: IncidentImportReport,
    file: string | undefined,
  ) {
    const errors = report.problems.filter((problem) => problem.severity === 'error').length;
    super(
      `${plural(errors, 'error')} in ${file ?? 'the input'}; nothing was imported (atomic)`,
      report.problems,
      { status: 422, code: 'nothing-imported' },
    );
  }
}

const CHUNK = 5000;

const INCIDENT_COLUMNS = [
  'id',
  'source',
  'title',
  'severity',
  'status',
  'started_at',
  'detected_at',
  'acknowledged_at',
  'mitigated_at',
  'resolved_at',
  'closed_at',
  'cause_category',
  'platform_caused',
  'postmortem_status',
  'postmortem_due_date',
  'postmortem_completed_at',
  'source_updated_at',
  'hash',
  'body',
  'created_at',
  'updated_at',
] as const;

/** Resolves, merges, checks and writes a batch of incident drafts and their notifications. */
export async function storeIncidents(
  store: Store,
  batch: IncidentBatch,
  options: StoreIncidentsOptions = {},
): Promise<IncidentImportReport> {
  const now = options.now ?? new Date();
  const problems: Problem[] = [...batch.problems];
  const report: IncidentImportReport = {
    read: batch.read,
    added: 0,
    updated: 0,
    unchanged: 0,
    rejected: batch.rejected,
    notifications: 0,
    problems,
    ids: { added: [], updated: [], unchanged: [] },
  };
  const lookup = await loadCatalogLookup(store);

  // One incident per id: repeated ids in the batch merge like a stored and an incoming version.
  const incoming = new Map<string, { incident: Incident; draft: IncidentDraft }>();
  for (const draft of batch.incidents) {
    const resolved = resolveDraft(draft, lookup);
    problems.push(...resolved.problems);
    const earlier = incoming.get(draft.id);
    incoming.set(draft.id, {
      incident: earlier ? mergeIncidents(earlier.incident, resolved.incident) : resolved.incident,
      draft,
    });
  }

  // The same version as stored (a re-import, a redelivery) is settled by its hash alone; only the
  // others need the stored body to merge with.
  const storedHashes = await storedHashesOf(store, [...incoming.keys()]);
  const digests = new Map<string, { json: string; hash: string }>();
  const toMerge: string[] = [];
  for (const [id, { incident }] of incoming) {
    const digest = incidentDigest(incident);
    digests.set(id, digest);
    if (storedHashes.has(id) && storedHashes.get(id) !== digest.hash) toMerge.push(id);
  }
  const stored = await storedIncidents(store, toMerge);
  const changed: ChangedIncident[] = [];
  const accepted = new Map<string, Incident>();
  for (const [id, { incident, draft }] of incoming) {
    if (storedHashes.get(id) === digests.get(id)!.hash) {
      accepted.set(id, incident);
      report.ids.unchanged.push(id);
      continue;
    }
    const before = stored.get(id);
    const final = before ? mergeIncidents(before.incident, incident) : incident;
    const violations = timestampOrderViolations(final);
    if (violations.length > 0) {
      report.rejected++;
      for (const violation of violations) {
        problems.push({
          severity: 'error',
          message: before
            ? `with the stored version of this incident, ${violation.message}`
            : violation.message,
          entityRef: id,
          ...(draft.location ? { location: draft.location } : {}),
        });
      }
      continue;
    }
    accepted.set(id, final);
    const digest = before ? incidentDigest(final) : digests.get(id)!;
    if (before && before.hash === digest.hash) {
      report.ids.unchanged.push(id);
      continue;
    }
    changed.push({ incident: final, ...digest });
    report.ids[before ? 'updated' : 'added'].push(id);
  }
  report.added = report.ids.added.length;
  report.updated = report.ids.updated.length;
  report.unchanged = report.ids.unchanged.length;

  // Notifications of accepted incidents (in this batch, or stored before) only.
  const notInBatch = batch.notifications.map((n) => n.incidentId).filter((id) => !incoming.has(id));
  const knownElsewhere = await storedIncidents(store, [...new Set(notInBatch)]);
  const notifications: Notification[] = [];
  for (const draft of batch.notifications) {
    const incident = accepted.get(draft.incidentId) ?? knownElsewhere.get(draft.incidentId)?.incident;
    if (!incident) {
      // A notification of an incident rejected above is dropped with it, silently.
      if (!incoming.has(draft.incidentId)) {
        problems.push({
          severity: 'warning',
          message: `notification ${draft.id} belongs to incident ${draft.incidentId}, which Pave does not have; skipped`,
        });
      }
      continue;
    }
    notifications.push(resolveNotification(draft, incident, lookup));
  }

  // Atomic: any error, of the input or found here, and nothing is written.
  if (options.atomic && hasErrors(problems)) throw new AtomicImportRefused(report, options.file);
  await store.transaction(async (tx) => {
    await writeIncidents(tx, changed, now);
    report.notifications = await writeNotifications(tx, notifications);
  });
  return report;
}

/** An incident to write, with its canonical JSON and hash. */
export interface ChangedIncident {
  incident: Incident;
  json: string;
  hash: string;
}

/** The hashes of the stored incidents among `ids`. */
async function storedHashesOf(db: Queryable, ids: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db.query<{ id: string; hash: string }>(
      'SELECT id, hash FROM incidents WHERE id = ANY($1)',
      [ids.slice(i, i + CHUNK)],
    );
    for (const row of rows) found.set(row.id, row.hash);
  }
  return found;
}

/** The stored incidents among `ids`, with their hashes. */
export async function storedIncidents(
  db: Queryable,
  ids: readonly string[],
): Promise<Map<string, { incident: Incident; hash: string }>> {
  const found = new Map<string, { incident: Incident; hash: string }>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db.query<{ id: string; hash: string; body: Incident }>(
      'SELECT id, hash, body FROM incidents WHERE id = ANY($1)',
      [ids.slice(i, i + CHUNK)],
    );
    for (const row of rows) found.set(row.id, { incident: row.body, hash: row.hash });
  }
  return found;
}

const date = (value: string | undefined): Date | null => (value === undefined ? null : new Date(value));

/** Writes changed incidents and replaces their services, links and action items. */
export async function writeIncidents(
  tx: Queryable,
  changed: readonly ChangedIncident[],
  now: Date,
): Promise<void> {
  for (let i = 0; i < changed.length; i += CHUNK) {
    const chunk = changed.slice(i, i + CHUNK);
    const ids = chunk.map(({ incident }) => incident.id);
    await tx.insertRows(
      'incidents',
      INCIDENT_COLUMNS,
      chunk.map((entry) => incidentRow(entry, now)),
      {
        onConflict: {
          target: ['id'],
          action: 'update',
          update: INCIDENT_COLUMNS.filter((column) => column !== 'id' && column !== 'created_at'),
        },
      },
    );
    for (const table of ['incident_services', 'incident_links', 'incident_action_items']) {
      await tx.execute(`DELETE FROM ${table} WHERE incident_id = ANY($1)`, [ids]);
    }
    const services: SqlParam[][] = [];
    const links: SqlParam[][] = [];
    const items: SqlParam[][] = [];
    for (const { incident } of chunk) {
      incident.services.forEach((ref, position) => {
        services.push([incident.id, ref, position]);
      });
      for (const id of incident.deploymentIds) links.push([incident.id, 'deployment', id]);
      for (const sha of incident.shas) links.push([incident.id, 'commit', sha]);
      for (const item of incident.actionItems) {
        items.push([
          incident.id,
          item.id,
          item.title,
          item.ownerTeam ?? null,
          item.priority ?? null,
          item.dueDate ?? null,
          item.status,
          date(item.completedAt),
        ]);
      }
    }
    if (services.length > 0) {
      await tx.insertRows('incident_services', ['incident_id', 'service_ref', 'position'], services);
    }
    if (links.length > 0) await tx.insertRows('incident_links', ['incident_id', 'kind', 'target'], links);
    if (items.length > 0) {
      await tx.insertRows(
        'incident_action_items',
        ['incident_id', 'item_id', 'title', 'owner_team', 'priority', 'due_date', 'status', 'completed_at'],
        items,
      );
    }
  }
}

function incidentRow({ incident, json, hash }: ChangedIncident, now: Date): SqlParam[] {
  return [
    incident.id,
    incident.source,
    incident.title,
    incident.severity ?? null,
    incident.status,
    new Date(incident.startedAt),
    date(incident.detectedAt),
    date(incident.acknowledgedAt),
    date(incident.mitigatedAt),
    date(incident.resolvedAt),
    date(incident.closedAt),
    incident.causeCategory ?? null,
    incident.platformCaused ?? null,
    incident.postmortem?.status ?? null,
    incident.postmortem?.dueDate ?? null,
    date(incident.postmortem?.completedAt),
    new Date(incident.updatedAt),
    hash,
    json,
    now,
    now,
  ];
}

const NOTIFICATION_COLUMNS = [
  'id',
  'incident_id',
  'sent_at',
  'responder',
  'responder_timezone',
  'team_ref',
  'channel',
  'urgency',
  'synthetic',
] as const;

/**
 * Writes the notifications not stored yet; returns how many. Real notifications replace the
 * synthetic ones of their incident, and a synthetic one is not written where real ones exist.
 */
export async function writeNotifications(
  tx: Queryable,
  notifications: readonly Notification[],
): Promise<number> {
  if (notifications.length === 0) return 0;
  const withReal = new Set(notifications.filter((n) => !n.synthetic).map((n) => n.incidentId));
  const incidentIds = [...new Set(notifications.map((n) => n.incidentId))];
  for (let i = 0; i < incidentIds.length; i += CHUNK) {
    const rows = await tx.query<{ incident_id: string }>(
      'SELECT DISTINCT incident_id FROM incident_notifications WHERE incident_id = ANY($1) AND NOT synthetic',
      [incidentIds.slice(i, i + CHUNK)],
    );
    for (const row of rows) withReal.add(row.incident_id);
  }
  const kept = notifications.filter((n) => !n.synthetic || !withReal.has(n.incidentId));
  const realIds = [...new Set(kept.filter((n) => !n.synthetic).map((n) => n.incidentId))];
  let added = 0;
  for (let i = 0; i < kept.length; i += CHUNK) {
    const chunk = kept.slice(i, i + CHUNK);
    const existing = await tx.query<{ id: string }>(
      'SELECT id FROM incident_notifications WHERE id = ANY($1)',
      [chunk.map((n) => n.id)],
    );
    const known = new Set(existing.map((row) => row.id));
    // A notification is an event: the same id is the same notification, already stored.
    const fresh = chunk.filter((n) => !known.has(n.id));
    added += fresh.length;
    if (fresh.length === 0) continue;
    await tx.insertRows(
      'incident_notifications',
      NOTIFICATION_COLUMNS,
      fresh.map((n) => [
        n.id,
        n.incidentId,
        new Date(n.sentAt),
        n.responder ?? null,
        n.timezone ?? null,
        n.team ?? null,
        n.channel,
        n.urgency,
        n.synthetic,
      ]),
      { onConflict: { target: ['id'], action: 'nothing' } },
    );
  }
  for (let i = 0; i < realIds.length; i += CHUNK) {
    await tx.execute('DELETE FROM incident_notifications WHERE incident_id = ANY($1) AND synthetic', [
      realIds.slice(i, i + CHUNK),
    ]);
  }
  return added;
}
