/**
 * PagerDuty incidents from the REST API v2 (`GET /incidents`, `GET /incidents/{id}`), with their log
 * entries (`GET /incidents/{id}/log_entries` or `GET /log_entries`) where present.
 *
 * Accepted shapes: the list response `{ "incidents": [...], "log_entries": [...]? }`, the single
 * response `{ "incident": {...} }`, an array of incidents, or one incident. Log entries may sit in a
 * top-level `log_entries` array (joined by `incident.id`) or in an incident's own `log_entries`.
 * Fields follow https://developer.pagerduty.com/api-reference/9d0b4b12e36f9-list-incidents and
 * https://developer.pagerduty.com/api-reference/367a0a4c4a1c1-list-log-entries; the mapping is in
 * docs/incidents.md, "PagerDuty".
 *
 * - started = detected = `created_at`; acknowledged = the first of `acknowledgements[].at` and
 *   `acknowledge_log_entry` times (or `last_status_change_at` when the status is acknowledged and
 *   nothing else says when); resolved = `resolved_at`, else a `resolve_log_entry`, else
 *   `last_status_change_at` when the status is resolved.
 * - `notify_log_entry` entries become notifications (pages when the incident is high urgency and the
 *   channel is not e-mail). Without them, a high-urgency incident gets one synthetic page per
 *   assignee at its creation (replaced when real notifications are imported).
 */
import type { Problem } from '../../../core/errors.js';
import type {
  IncidentBatch,
  IncidentDraft,
  NotificationChannel,
  NotificationDraft,
  TimelineEvent,
  TimestampField,
} from '../model.js';
import { parseSeverity, severityFromPagerDuty } from '../severity.js';
import { describe, isObject, RecordReader } from './inputReader.js';
import { checkOrder } from './paveInput.js';

type Json = Record<string, unknown>;
type Path = (string | number)[];

/** PagerDuty notification channel types to Pave's. */
const CHANNELS: Record<string, NotificationChannel> = {
  sms: 'sms',
  phone: 'phone',
  push_notification: 'push',
  email: 'email',
};

/** Reads PagerDuty REST API incident JSON (already parsed). */
export function readPagerDutyIncidents(value: unknown, options: { file?: string } = {}): IncidentBatch {
  const problems: Problem[] = [];
  const batch: IncidentBatch = { incidents: [], notifications: [], problems, read: 0, rejected: 0 };
  const file = options.file;
  const where = (base: Path) => ({ ...(file ? { file } : {}), base });

  let list: unknown[];
  let base: Path;
  if (Array.isArray(value)) [list, base] = [value, []];
  else if (isObject(value) && Array.isArray(value.incidents)) [list, base] = [value.incidents, ['incidents']];
  else if (isObject(value) && isObject(value.incident)) [list, base] = [[value.incident], ['incident']];
  else if (isObject(value) && typeof value.id === 'string') [list, base] = [[value], []];
  else {
    const reader = new RecordReader(problems, where([]));
    reader.error(
      [],
      `expected PagerDuty incidents ({ "incidents": [...] }, { "incident": {...} } or an array), not ${describe(value)}`,
    );
    return batch;
  }

  // Top-level log entries, by incident id, with their own paths for problems.
  const entriesByIncident = new Map<string, { entry: Json; path: Path }[]>();
  if (isObject(value) && value.log_entries !== undefined) {
    if (!Array.isArray(value.log_entries)) {
      new RecordReader(problems, where(['log_entries'])).error([], 'must be an array of log entries');
    } else {
      value.log_entries.forEach((entry, index) => {
        const incidentId = isObject(entry) && isObject(entry.incident) ? entry.incident.id : undefined;
        if (typeof incidentId !== 'string') {
          new RecordReader(problems, where(['log_entries', index])).warn(
            ['incident', 'id'],
            'log entry without incident.id; skipped',
          );
          return;
        }
        const listed = entriesByIncident.get(incidentId) ?? [];
        listed.push({ entry: entry as Json, path: ['log_entries', index] });
        entriesByIncident.set(incidentId, listed);
      });
    }
  }

  list.forEach((item, index) => {
    batch.read++;
    const path = base.length === 1 && base[0] === 'incident' ? base : [...base, index];
    const reader = new RecordReader(problems, where(path));
    const ownEntries: { entry: Json; path: Path }[] = [];
    if (isObject(item) && Array.isArray(item.log_entries)) {
      item.log_entries.forEach((entry, i) => {
        if (isObject(entry)) ownEntries.push({ entry, path: [...path, 'log_entries', i] });
      });
    }
    const id = isObject(item) && typeof item.id === 'string' ? item.id : undefined;
    const entries = [...ownEntries, ...(id ? (entriesByIncident.get(id) ?? []) : [])];
    const read = readPagerDutyIncident(item, reader, { entries });
    if (!read) {
      batch.rejected++;
      return;
    }
    batch.incidents.push(read.incident);
    batch.notifications.push(...read.notifications);
  });
  return batch;
}

/** Options of `readPagerDutyIncident`. */
export interface PagerDutyIncidentOptions {
  /** Log entries of this incident, each with its path from the input's root. */
  entries?: { entry: Json; path: Path }[];
}

/**
 * One PagerDuty incident object (REST API, or `event.data` of a v3 webhook, which uses `number`
 * for `incident_number`) to a draft and its notifications; `undefined` after reporting an error.
 */
export function readPagerDutyIncident(
  value: unknown,
  reader: RecordReader,
  options: PagerDutyIncidentOptions = {},
): { incident: IncidentDraft; notifications: NotificationDraft[] } | undefined {
  if (!isObject(value)) {
    reader.error([], `a PagerDuty incident must be an object, not ${describe(value)}`);
    return undefined;
  }
  const sourceId = reader.string(value.id, ['id'], true);
  if (sourceId === undefined) return undefined;
  const id = `pagerduty:${sourceId}`;
  reader.id = id;
  const title = reader.string(value.title ?? value.summary ?? value.description, ['title'], true);
  const createdAt = reader.time(value.created_at, ['created_at'], true);
  const status = reader.oneOf(value.status, ['status'], ['triggered', 'acknowledged', 'resolved'] as const);
  const urgency = reader.oneOf(value.urgency, ['urgency'], ['high', 'low'] as const);
  const priority = isObject(value.priority)
    ? reader.string(value.priority.summary ?? value.priority.name, ['priority', 'summary'])
    : undefined;
  if (priority !== undefined && parseSeverity(priority) === undefined) {
    reader.warn(
      ['priority', 'summary'],
      `priority "${priority}" is not P1-P5 or SEV1-SEV5; severity follows the urgency`,
    );
  }
  const severity = severityFromPagerDuty({ priority, urgency });
  const updatedAt = reader.time(value.updated_at, ['updated_at']);
  const lastChange = reader.time(value.last_status_change_at, ['last_status_change_at']);
  const root = reader.at([]);
  const own = (path: Path): Path => [...reader.base, ...path];
  const paths: Partial<Record<TimestampField, Path>> = {
    startedAt: own(['created_at']),
    detectedAt: own(['created_at']),
  };
  const times: Partial<Record<TimestampField, string>> = {};
  if (createdAt) {
    times.startedAt = createdAt;
    times.detectedAt = createdAt;
  }

  // Acknowledgements: the incident's own list, then log entries.
  const acknowledgements: { at: string; path: Path }[] = [];
  if (Array.isArray(value.acknowledgements)) {
    value.acknowledgements.forEach((ack, index) => {
      if (!isObject(ack)) return;
      const at = reader.time(ack.at, ['acknowledgements', index, 'at']);
      if (at) acknowledgements.push({ at, path: own(['acknowledgements', index, 'at']) });
    });
  }
  const timeline: TimelineEvent[] = [];
  const notifications: NotificationDraft[] = [];
  const resolves: { at: string; path: Path }[] = [];
  for (const { entry, path } of options.entries ?? []) {
    const type = typeof entry.type === 'string' ? entry.type.replace(/_reference$/, '') : undefined;
    const at = root.time(entry.created_at, [...path, 'created_at']);
    if (at === undefined || type === undefined) continue;
    const entryId = typeof entry.id === 'string' ? entry.id : `${type}:${at}`;
    const agent = isObject(entry.agent) ? entry.agent : undefined;
    const user = isObject(entry.user) ? entry.user : undefined;
    const summary = typeof entry.summary === 'string' ? entry.summary : undefined;
    const actor = [agent?.summary, agent?.email].find((v): v is string => typeof v === 'string');
    timeline.push({
      id: `pagerduty-log:${entryId}`,
      at,
      type: type.replace(/_log_entry$/, ''),
      ...(summary ? { message: summary } : {}),
      ...(actor ? { actor } : {}),
    });
    if (type === 'acknowledge_log_entry') acknowledgements.push({ at, path: [...path, 'created_at'] });
    if (type === 'resolve_log_entry') resolves.push({ at, path: [...path, 'created_at'] });
    if (type === 'notify_log_entry') {
      const channel =
        isObject(entry.channel) && typeof entry.channel.type === 'string' ? entry.channel.type : '';
      const responder = [user?.email, user?.id, user?.summary].find(
        (v): v is string => typeof v === 'string',
      );
      const timezone = typeof user?.time_zone === 'string' ? user.time_zone : undefined;
      notifications.push({
        id: `pagerduty:${entryId}`,
        incidentId: id,
        sentAt: at,
        ...(responder ? { responder } : {}),
        ...(timezone ? { timezone } : {}),
        channel: CHANNELS[channel] ?? 'other',
        urgency: urgency ?? 'high',
        synthetic: false,
      });
    }
  }
  const firstAck = earliest(acknowledgements);
  if (firstAck) {
    times.acknowledgedAt = firstAck.at;
    paths.acknowledgedAt = firstAck.path;
  } else if (status === 'acknowledged' && lastChange) {
    times.acknowledgedAt = lastChange;
    paths.acknowledgedAt = own(['last_status_change_at']);
  }
  const resolvedAt = reader.time(value.resolved_at, ['resolved_at']);
  const lastResolve =
    resolves.length > 0
      ? resolves.reduce((a, b) => (Date.parse(a.at) >= Date.parse(b.at) ? a : b))
      : undefined;
  if (resolvedAt) {
    times.resolvedAt = resolvedAt;
    paths.resolvedAt = own(['resolved_at']);
  } else if (lastResolve) {
    times.resolvedAt = lastResolve.at;
    paths.resolvedAt = lastResolve.path;
  } else if (status === 'resolved' && lastChange) {
    times.resolvedAt = lastChange;
    paths.resolvedAt = own(['last_status_change_at']);
  }
  checkOrder(root, times, (field) => paths[field] ?? own([field]));

  const service = isObject(value.service) ? value.service : undefined;
  const serviceHints =
    service && (typeof service.id === 'string' || typeof service.summary === 'string')
      ? [
          {
            ...(typeof service.id === 'string' ? { pagerDutyId: service.id } : {}),
            ...(typeof service.summary === 'string' ? { name: service.summary } : {}),
          },
        ]
      : [];
  const teamHints = (Array.isArray(value.teams) ? value.teams : [])
    .filter(isObject)
    .map((team) => (typeof team.summary === 'string' ? { name: team.summary } : {}))
    .filter((hint) => hint.name !== undefined);

  if (reader.errors > 0 || title === undefined || times.startedAt === undefined) return undefined;

  // Without notification records, a high-urgency incident paged its assignees when it was created.
  if (notifications.length === 0 && urgency !== 'low') {
    const assignees = (Array.isArray(value.assignments) ? value.assignments : [])
      .map((assignment) =>
        isObject(assignment) && isObject(assignment.assignee) ? assignment.assignee : undefined,
      )
      .concat((Array.isArray(value.assignees) ? value.assignees : []).filter(isObject))
      .filter((assignee): assignee is Json => assignee !== undefined && typeof assignee.id === 'string');
    const responders = [...new Set(assignees.map((assignee) => assignee.id as string))];
    for (const responder of responders.length > 0 ? responders : [undefined]) {
      notifications.push({
        id: `${id}:trigger${responder ? `:${responder}` : ''}`,
        incidentId: id,
        sentAt: times.startedAt,
        ...(responder ? { responder } : {}),
        channel: 'other',
        urgency: 'high',
        synthetic: true,
      });
    }
  }
  const htmlUrl = typeof value.html_url === 'string' ? value.html_url : undefined;
  const number = value.incident_number ?? value.number;
  const incident: IncidentDraft = {
    id,
    source: 'pagerduty',
    title,
    ...(typeof number === 'number' ? { description: `PagerDuty incident #${number}` } : {}),
    ...(severity ? { severity } : {}),
    ...(urgency ? { urgency } : {}),
    startedAt: times.startedAt,
    ...times,
    serviceHints,
    teamHints,
    deploymentIds: [],
    shas: [],
    timeline,
    actionItems: [],
    ...(htmlUrl ? { url: htmlUrl } : {}),
    updatedAt: latestOf([updatedAt, lastChange, ...Object.values(times)]) ?? times.startedAt,
    location: reader.location([]),
  };
  return {
    incident,
    notifications: notifications.map((n) => ({ ...n, ...(teamHints[0] ? { teamHint: teamHints[0] } : {}) })),
  };
}

function earliest<T extends { at: string }>(items: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const item of items) if (!best || Date.parse(item.at) < Date.parse(best.at)) best = item;
  return best;
}

/** The latest of some ISO timestamps. */
export function latestOf(values: readonly (string | undefined)[]): string | undefined {
  let best: string | undefined;
  for (const value of values)
    if (value !== undefined && (best === undefined || Date.parse(value) > Date.parse(best))) best = value;
  return best;
}

/** Re-exported for the webhook and the analytics adapter. */
export { isObject };
