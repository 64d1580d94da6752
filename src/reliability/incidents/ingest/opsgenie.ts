/**
 * Opsgenie alerts (Alert API v2, https://docs.opsgenie.com/docs/alert-api): the Get Alert response
 * `{ "data": {...} }`, the List Alerts response `{ "data": [...] }`, an array of alerts, or one.
 *
 * - started = detected = `createdAt`; acknowledged = `createdAt` + `report.ackTime`; resolved (an
 *   alert is closed when the problem is over) = `createdAt` + `report.closeTime`, else `updatedAt`
 *   when `status` is `closed`. `ackTime` and `closeTime` are milliseconds since creation.
 * - severity from `priority` (P1-P5; Opsgenie's default is P3). P1-P3 alerts are high urgency (they
 *   page), P4-P5 low.
 * - services from `details["pave.dev/service"]` or `details.service`, then tags `service:<name>`,
 *   else `entity` when it names a catalog component; cause from `details.cause` or a `cause:<x>`
 *   tag; `platform-caused` tag or `details["pave.dev/platform-caused"]`; deployments from
 *   `deployment:<id>` tags or `details.deployment`.
 * - responders of type team are the responding teams; without notification records, a
 *   high-urgency alert gets one synthetic page per user responder (or per team) at its creation.
 */
import type { Problem } from '../../../core/errors.js';
import type {
  IncidentBatch,
  IncidentDraft,
  NotificationDraft,
  ServiceHint,
  TimelineEvent,
  TimestampField,
} from '../model.js';
import { parseSeverity } from '../severity.js';
import { describe, isObject, RecordReader } from './inputReader.js';
import { latestOf } from './pagerduty.js';
import { checkOrder } from './paveInput.js';

const PRIORITIES = ['P1', 'P2', 'P3', 'P4', 'P5'] as const;

const plusMillis = (time: string, millis: number) => new Date(Date.parse(time) + millis).toISOString();

/** Reads Opsgenie alert JSON (already parsed). */
export function readOpsgenieAlerts(value: unknown, options: { file?: string } = {}): IncidentBatch {
  const problems: Problem[] = [];
  const batch: IncidentBatch = { incidents: [], notifications: [], problems, read: 0, rejected: 0 };
  const file = options.file;
  let alerts: unknown[];
  let base: (string | number)[] | undefined;
  if (Array.isArray(value)) [alerts, base] = [value, []];
  else if (isObject(value) && Array.isArray(value.data)) [alerts, base] = [value.data, ['data']];
  else if (isObject(value) && isObject(value.data)) [alerts, base] = [[value.data], undefined];
  else if (isObject(value) && value.id !== undefined) [alerts, base] = [[value], undefined];
  else {
    // Neither a response nor an alert (often another tool's export given the wrong --source).
    const keys = isObject(value) ? ` with keys ${Object.keys(value).slice(0, 5).join(', ')}` : '';
    new RecordReader(problems, { ...(file ? { file } : {}), base: [] }).error(
      [],
      `expected Opsgenie alerts ({ "data": [...] }, { "data": {...} }, an array or one alert), not ${describe(value)}${keys}`,
    );
    return batch;
  }
  alerts.forEach((alert, index) => {
    batch.read++;
    const path =
      base === undefined ? (isObject(value) && isObject(value.data) ? ['data'] : []) : [...base, index];
    const reader = new RecordReader(problems, { ...(file ? { file } : {}), base: path });
    const read = readAlert(alert, reader);
    if (!read) {
      batch.rejected++;
      return;
    }
    batch.incidents.push(read.incident);
    batch.notifications.push(...read.pages);
  });
  return batch;
}

function readAlert(
  alert: unknown,
  reader: RecordReader,
): { incident: IncidentDraft; pages: NotificationDraft[] } | undefined {
  if (!isObject(alert)) {
    reader.error([], `an alert must be an object, not ${describe(alert)}`);
    return undefined;
  }
  const sourceId = reader.string(alert.id, ['id'], true);
  if (sourceId === undefined) return undefined;
  const id = `opsgenie:${sourceId}`;
  reader.id = id;
  const title = reader.string(alert.message, ['message'], true);
  const createdAt = reader.time(alert.createdAt, ['createdAt'], true);
  const updatedAt = reader.time(alert.updatedAt, ['updatedAt']);
  const status = reader.oneOf(alert.status, ['status'], ['open', 'closed'] as const);
  const priority = reader.oneOf(alert.priority, ['priority'], PRIORITIES) ?? 'P3';
  const tags = reader.list(alert.tags, ['tags']);
  const details = isObject(alert.details) ? alert.details : {};
  const report = isObject(alert.report) ? alert.report : {};
  const ackTime = reader.number(report.ackTime, ['report', 'ackTime']);
  const closeTime = reader.number(report.closeTime, ['report', 'closeTime']);
  if (reader.errors > 0 || title === undefined || createdAt === undefined) return undefined;

  const times: Partial<Record<TimestampField, string>> = { startedAt: createdAt, detectedAt: createdAt };
  const paths: Partial<Record<TimestampField, (string | number)[]>> = {};
  if (ackTime !== undefined) {
    times.acknowledgedAt = plusMillis(createdAt, ackTime);
    paths.acknowledgedAt = ['report', 'ackTime'];
  }
  if (closeTime !== undefined) {
    times.resolvedAt = plusMillis(createdAt, closeTime);
    paths.resolvedAt = ['report', 'closeTime'];
  } else if (status === 'closed' && updatedAt !== undefined) {
    times.resolvedAt = updatedAt;
    paths.resolvedAt = ['updatedAt'];
  }
  checkOrder(reader, times, (field) => paths[field] ?? ['createdAt']);
  if (reader.errors > 0) return undefined;

  const tagged = (prefix: string) =>
    tags.filter((tag) => tag.toLowerCase().startsWith(prefix)).map((tag) => tag.slice(prefix.length).trim());
  const detail = (...keys: string[]) => {
    for (const key of keys)
      if (typeof details[key] === 'string' && details[key]) return details[key] as string;
    return undefined;
  };
  const serviceNames = [detail('pave.dev/service', 'service'), ...tagged('service:')].filter(
    (name): name is string => name !== undefined && name !== '',
  );
  const entity = typeof alert.entity === 'string' && alert.entity ? alert.entity : undefined;
  const serviceHints: ServiceHint[] =
    serviceNames.length > 0 ? serviceNames.map((ref) => ({ ref })) : entity ? [{ name: entity }] : [];
  const cause = detail('pave.dev/cause', 'cause') ?? tagged('cause:')[0];
  const platformTag = tags.some((tag) => tag.toLowerCase() === 'platform-caused');
  const platformDetail = detail('pave.dev/platform-caused');
  const platformCaused =
    platformTag || platformDetail === 'true' ? true : platformDetail === 'false' ? false : undefined;
  const deploymentIds = [detail('pave.dev/deployment', 'deployment'), ...tagged('deployment:')].filter(
    (value): value is string => value !== undefined && value !== '',
  );

  const responders = (Array.isArray(alert.responders) ? alert.responders : []).filter(isObject);
  const teamHints = responders
    .filter((responder) => responder.type === 'team')
    .map((responder) => ({ ...(typeof responder.name === 'string' ? { name: responder.name } : {}) }))
    .filter((hint) => hint.name !== undefined);
  const urgency = priority === 'P4' || priority === 'P5' ? 'low' : 'high';
  const severity = parseSeverity(priority);

  const timeline: TimelineEvent[] = [{ id: 'opsgenie:created', at: createdAt, type: 'triggered' }];
  const actor = (key: string) =>
    typeof report[key] === 'string' && report[key] ? { actor: report[key] as string } : {};
  if (times.acknowledgedAt)
    timeline.push({
      id: 'opsgenie:acknowledged',
      at: times.acknowledgedAt,
      type: 'acknowledged',
      ...actor('acknowledgedBy'),
    });
  if (times.resolvedAt)
    timeline.push({ id: 'opsgenie:closed', at: times.resolvedAt, type: 'resolved', ...actor('closedBy') });

  const pages: NotificationDraft[] = [];
  if (urgency === 'high') {
    const users = responders.filter(
      (r) => r.type === 'user' && typeof (r.username ?? r.name ?? r.id) === 'string',
    );
    const targets =
      users.length > 0
        ? users.map((user) => ({ responder: String(user.username ?? user.name ?? user.id) }))
        : teamHints.length > 0
          ? teamHints.map((team) => ({ teamHint: team }))
          : [{}];
    targets.forEach((target, index) => {
      pages.push({
        id: `${id}:created:${index}`,
        incidentId: id,
        sentAt: createdAt,
        channel: 'other',
        urgency: 'high',
        synthetic: true,
        ...target,
        ...(!('teamHint' in target) && teamHints[0] ? { teamHint: teamHints[0] } : {}),
      });
    });
  }
  const description =
    typeof alert.description === 'string' && alert.description ? alert.description : undefined;
  const incident: IncidentDraft = {
    id,
    source: 'opsgenie',
    title,
    ...(description ? { description } : {}),
    ...(severity ? { severity } : {}),
    urgency,
    startedAt: createdAt,
    ...times,
    serviceHints,
    teamHints,
    ...(cause ? { causeCategory: cause.toLowerCase() } : {}),
    ...(platformCaused !== undefined ? { platformCaused } : {}),
    deploymentIds,
    shas: [],
    timeline,
    actionItems: [],
    updatedAt: updatedAt ?? latestOf(Object.values(times)) ?? createdAt,
    location: reader.location([]),
  };
  return { incident, pages };
}
