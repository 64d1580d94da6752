/**
 * Pave's own incident input: the body of `POST /api/v1/incidents`, `pave incident create --file`,
 * and what each CSV row is mapped to. Field names are the model's (docs/incidents.md,
 * "Pave incident JSON"); severities may use any accepted form (P1, SEV-1, critical, ...).
 */
import type { Problem } from '../../../core/errors.js';
import {
  ACTION_ITEM_PRIORITIES,
  ACTION_ITEM_STATUSES,
  type ActionItem,
  INCIDENT_SOURCES,
  type IncidentBatch,
  type IncidentDraft,
  type IncidentSource,
  NOTIFICATION_CHANNELS,
  type NotificationDraft,
  POSTMORTEM_STATUSES,
  type Postmortem,
  TIMESTAMP_FIELDS,
  type TimelineEvent,
  type TimestampField,
} from '../model.js';
import { parseSeverity, SEVERITY_FORMS } from '../severity.js';
import { timestampOrderViolations } from '../timestampOrder.js';
import { describe, isObject, RecordReader } from './inputReader.js';

const ID_PREFIX = /^([a-z][a-z0-9-]*):(.+)$/;

/** The source-qualified id: kept when it starts with a known source (`pagerduty:Q1`), else prefixed. */
export function qualifiedId(id: string, source: IncidentSource): string {
  const match = ID_PREFIX.exec(id);
  if (match && (INCIDENT_SOURCES as readonly string[]).includes(match[1]!)) return id;
  return `${source}:${id}`;
}

/** Options of `readPaveIncident`. */
export interface PaveInputOptions {
  source: IncidentSource;
  /** Used when the input has no `id` (the API generates one). */
  generateId?: () => string;
  /** `updatedAt` when the input has none; default: the latest timestamp of the incident. */
  updatedAt?: string;
}

/**
 * Reads one incident object. Returns the draft and its pages, or `undefined` after reporting an
 * error (an unknown severity, out-of-order timestamps, a missing title...).
 */
export function readPaveIncident(
  value: unknown,
  reader: RecordReader,
  options: PaveInputOptions,
): { incident: IncidentDraft; pages: NotificationDraft[] } | undefined {
  if (!isObject(value)) {
    reader.error([], `an incident must be an object, not ${describe(value)}`);
    return undefined;
  }
  const rawId = reader.string(value.id, ['id']);
  const id = rawId !== undefined ? qualifiedId(rawId.trim(), options.source) : options.generateId?.();
  if (id === undefined) {
    reader.error(['id'], 'required');
    return undefined;
  }
  reader.id = id;
  const title = reader.string(value.title, ['title'], true);
  const severityText = reader.string(value.severity, ['severity']);
  const severity = severityText === undefined ? undefined : parseSeverity(severityText);
  if (severityText !== undefined && severity === undefined) {
    reader.error(['severity'], `unknown severity "${severityText}": use ${SEVERITY_FORMS}`);
  }
  const times: Partial<Record<TimestampField, string>> = {};
  for (const field of TIMESTAMP_FIELDS) {
    const time = reader.time(value[field], [field], field === 'startedAt');
    if (time !== undefined) times[field] = time;
  }
  checkOrder(reader, times);
  const urgency = reader.oneOf(value.urgency, ['urgency'], ['high', 'low'] as const);
  const services = reader.list(value.services, ['services']);
  const teams = reader.list(value.teams, ['teams']);
  const deploymentIds = reader.list(value.deploymentIds, ['deploymentIds']);
  const shas = reader.list(value.shas, ['shas']).map((sha) => sha.toLowerCase());
  shas.forEach((sha, index) => {
    if (!/^[0-9a-f]{7,64}$/.test(sha)) reader.error(['shas', index], `"${sha}" is not a commit sha`);
  });
  const causeCategory = reader.string(value.causeCategory, ['causeCategory'])?.trim().toLowerCase();
  const platformCaused = reader.boolean(value.platformCaused, ['platformCaused']);
  const description = reader.string(value.description, ['description']);
  const url = reader.string(value.url, ['url']);
  const timeline = readTimeline(value.timeline, reader);
  const postmortem = readPostmortem(value.postmortem, reader);
  const actionItems = readActionItems(value.actionItems, reader);
  const pages = readPages(value.pages, reader, id);
  const updatedAt =
    reader.time(value.updatedAt, ['updatedAt']) ??
    options.updatedAt ??
    latest(times, postmortem, actionItems);
  if (reader.errors > 0 || title === undefined || times.startedAt === undefined || updatedAt === undefined) {
    return undefined;
  }
  const incident: IncidentDraft = {
    id,
    source: options.source,
    title,
    ...(description ? { description } : {}),
    ...(severity ? { severity } : {}),
    ...(urgency ? { urgency } : {}),
    startedAt: times.startedAt,
    ...times,
    serviceHints: services.map((ref) => ({ ref })),
    teamHints: teams.map((ref) => ({ ref })),
    ...(causeCategory ? { causeCategory } : {}),
    ...(platformCaused !== undefined ? { platformCaused } : {}),
    deploymentIds,
    shas,
    timeline,
    ...(postmortem ? { postmortem } : {}),
    actionItems,
    ...(url ? { url } : {}),
    updatedAt,
    location: reader.location([]),
  };
  return { incident, pages };
}

/** Reports each out-of-order timestamp at its own field. */
export function checkOrder(
  reader: RecordReader,
  times: Partial<Record<TimestampField, string>>,
  pathOf: (field: TimestampField) => (string | number)[] = (field) => [field],
): void {
  for (const violation of timestampOrderViolations(times))
    reader.error(pathOf(violation.field), violation.message);
}

function latest(
  times: Partial<Record<TimestampField, string>>,
  postmortem: Postmortem | undefined,
  items: readonly ActionItem[],
): string | undefined {
  const all = [
    ...Object.values(times),
    postmortem?.completedAt,
    ...items.map((item) => item.completedAt),
  ].filter((value): value is string => value !== undefined);
  if (all.length === 0) return undefined;
  return all.reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b));
}

function readTimeline(value: unknown, reader: RecordReader): TimelineEvent[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    reader.error(['timeline'], `must be a list of events, not ${describe(value)}`);
    return [];
  }
  const events: TimelineEvent[] = [];
  value.forEach((event, index) => {
    const path = ['timeline', index];
    if (!isObject(event)) {
      reader.error(path, `an event must be an object, not ${describe(event)}`);
      return;
    }
    const at = reader.time(event.at, [...path, 'at'], true);
    const type = reader.string(event.type, [...path, 'type']) ?? 'note';
    const message = reader.string(event.message, [...path, 'message']);
    const actor = reader.string(event.actor, [...path, 'actor']);
    if (at === undefined) return;
    events.push({
      id: reader.string(event.id, [...path, 'id']) ?? `${type}:${at}:${index}`,
      at,
      type,
      ...(message ? { message } : {}),
      ...(actor ? { actor } : {}),
    });
  });
  return events;
}

/** Reads a postmortem object; its status defaults from what it has (completed, linked, or neither). */
export function readPostmortem(
  value: unknown,
  reader: RecordReader,
  path: (string | number)[] = ['postmortem'],
): Postmortem | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) {
    reader.error(path, `must be an object, not ${describe(value)}`);
    return undefined;
  }
  const url = reader.string(value.url, [...path, 'url']);
  const dueDate = reader.day(value.dueDate, [...path, 'dueDate']);
  const completedAt = reader.time(value.completedAt, [...path, 'completedAt']);
  const status =
    reader.oneOf(value.status, [...path, 'status'], POSTMORTEM_STATUSES) ??
    (completedAt ? 'complete' : url ? 'draft' : 'not_started');
  if (status === 'complete' && completedAt === undefined) {
    reader.warn(
      [...path, 'completedAt'],
      'a complete postmortem without completedAt counts as completed late',
    );
  }
  if (status !== 'complete' && completedAt !== undefined) {
    reader.error([...path, 'status'], `status is ${status} but completedAt is set; use status complete`);
  }
  return {
    ...(url ? { url } : {}),
    status,
    ...(dueDate ? { dueDate } : {}),
    ...(completedAt ? { completedAt } : {}),
  };
}

function readActionItems(value: unknown, reader: RecordReader): ActionItem[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    reader.error(['actionItems'], `must be a list, not ${describe(value)}`);
    return [];
  }
  const items: ActionItem[] = [];
  value.forEach((item, index) => {
    const read = readActionItem(item, reader, ['actionItems', index], `ai-${index + 1}`);
    if (read) items.push(read);
  });
  return items;
}

/** Reads one action item; `fallbackId` when it has no id. */
export function readActionItem(
  item: unknown,
  reader: RecordReader,
  path: (string | number)[],
  fallbackId: string,
): ActionItem | undefined {
  if (!isObject(item)) {
    reader.error(path, `an action item must be an object, not ${describe(item)}`);
    return undefined;
  }
  const title = reader.string(item.title, [...path, 'title'], true);
  const ownerTeam = reader.string(item.ownerTeam, [...path, 'ownerTeam']);
  const priority = reader.oneOf(item.priority, [...path, 'priority'], ACTION_ITEM_PRIORITIES);
  const dueDate = reader.day(item.dueDate, [...path, 'dueDate']);
  const completedAt = reader.time(item.completedAt, [...path, 'completedAt']);
  const status =
    reader.oneOf(item.status, [...path, 'status'], ACTION_ITEM_STATUSES) ?? (completedAt ? 'done' : 'open');
  if (completedAt !== undefined && status !== 'done') {
    reader.error([...path, 'status'], `status is ${status} but completedAt is set; use status done`);
  }
  if (title === undefined) return undefined;
  return {
    id: reader.string(item.id, [...path, 'id']) ?? fallbackId,
    title,
    ...(ownerTeam
      ? {
          ownerTeam: ownerTeam.includes(':')
            ? ownerTeam.toLowerCase()
            : `group:default/${ownerTeam.toLowerCase()}`,
        }
      : {}),
    ...(priority ? { priority } : {}),
    ...(dueDate ? { dueDate } : {}),
    status,
    ...(completedAt ? { completedAt } : {}),
  };
}

function readPages(value: unknown, reader: RecordReader, incidentId: string): NotificationDraft[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    reader.error(['pages'], `must be a list, not ${describe(value)}`);
    return [];
  }
  const pages: NotificationDraft[] = [];
  value.forEach((page, index) => {
    const path = ['pages', index];
    if (!isObject(page)) {
      reader.error(path, `a page must be an object, not ${describe(page)}`);
      return;
    }
    const sentAt = reader.time(page.sentAt, [...path, 'sentAt'], true);
    const responder = reader.string(page.responder, [...path, 'responder']);
    const timezone = reader.string(page.timezone, [...path, 'timezone']);
    if (timezone !== undefined && !isTimeZone(timezone))
      reader.error([...path, 'timezone'], `"${timezone}" is not an IANA time zone`);
    const team = reader.string(page.team, [...path, 'team']);
    const channel = reader.oneOf(page.channel, [...path, 'channel'], NOTIFICATION_CHANNELS) ?? 'other';
    const urgency = reader.oneOf(page.urgency, [...path, 'urgency'], ['high', 'low'] as const) ?? 'high';
    if (sentAt === undefined) return;
    pages.push({
      // Without an id, the time and responder name the page: importing it again changes nothing.
      id: `${incidentId}:page:${reader.string(page.id, [...path, 'id']) ?? `${sentAt}${responder ? `:${responder}` : ''}`}`,
      incidentId,
      sentAt,
      ...(responder ? { responder } : {}),
      ...(timezone ? { timezone } : {}),
      ...(team ? { teamHint: { ref: team } } : {}),
      channel,
      urgency,
      synthetic: false,
    });
  });
  return pages;
}

/** Whether `Intl` knows the IANA time zone. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Reads Pave incident JSON: one incident, an array, or `{ "incidents": [...] }`. */
export function readPaveIncidents(
  value: unknown,
  options: PaveInputOptions & { file?: string },
): IncidentBatch {
  const problems: Problem[] = [];
  const batch: IncidentBatch = { incidents: [], notifications: [], problems, read: 0, rejected: 0 };
  const file = options.file;
  let list: unknown[];
  let base: (string | number)[];
  if (Array.isArray(value)) [list, base] = [value, []];
  else if (isObject(value) && Array.isArray(value.incidents)) [list, base] = [value.incidents, ['incidents']];
  else [list, base] = [[value], []];
  list.forEach((item, index) => {
    batch.read++;
    const path = list.length === 1 && base.length === 0 && !Array.isArray(value) ? base : [...base, index];
    const reader = new RecordReader(problems, { ...(file ? { file } : {}), base: path });
    const read = readPaveIncident(item, reader, options);
    if (!read) {
      batch.rejected++;
      return;
    }
    batch.incidents.push(read.incident);
    batch.notifications.push(...read.pages);
  });
  return batch;
}
