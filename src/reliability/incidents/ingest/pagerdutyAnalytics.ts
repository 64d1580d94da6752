/**
 * PagerDuty's analytics raw incident export (`POST /analytics/raw/incidents`, documented at
 * https://developer.pagerduty.com/api-reference/c2d493e995071-get-raw-data-multiple-incidents):
 * `{ "data": [ ... ], "more": ..., "time_zone": ... }` or an array of its rows.
 *
 * Each row: `id`, `description` (the title), `created_at`, `resolved_at`, `seconds_to_first_ack`,
 * `seconds_to_resolve`, `urgency`, `major`, `priority_name`, `service_id`/`service_name`,
 * `team_id`/`team_name`, `incident_number`, interruption counts. The incident id is PagerDuty's, so
 * rows merge with the same incidents imported from the REST API or the webhook.
 *
 * - acknowledged = created + `seconds_to_first_ack`; resolved = `resolved_at`, else created +
 *   `seconds_to_resolve`.
 * - The export has no notification times: a high-urgency row gets one synthetic page at its
 *   creation, for its team (PagerDuty's own interruption counts are per user and not re-derivable).
 */
import type { Problem } from '../../../core/errors.js';
import type { IncidentBatch, IncidentDraft, TimestampField } from '../model.js';
import { parseSeverity, severityFromPagerDuty } from '../severity.js';
import { describe, isObject, RecordReader } from './inputReader.js';
import { latestOf } from './pagerduty.js';
import { checkOrder } from './paveInput.js';

const plusSeconds = (time: string, seconds: number) =>
  new Date(Date.parse(time) + seconds * 1000).toISOString();

/** Reads the analytics raw incident export (already parsed). */
export function readPagerDutyAnalytics(value: unknown, options: { file?: string } = {}): IncidentBatch {
  const problems: Problem[] = [];
  const batch: IncidentBatch = { incidents: [], notifications: [], problems, read: 0, rejected: 0 };
  const file = options.file;
  let rows: unknown[];
  let base: (string | number)[];
  if (Array.isArray(value)) [rows, base] = [value, []];
  else if (isObject(value) && Array.isArray(value.data)) [rows, base] = [value.data, ['data']];
  else {
    new RecordReader(problems, { ...(file ? { file } : {}), base: [] }).error(
      [],
      `expected the analytics export ({ "data": [...] }) or an array of its rows, not ${describe(value)}`,
    );
    return batch;
  }
  rows.forEach((row, index) => {
    batch.read++;
    const reader = new RecordReader(problems, { ...(file ? { file } : {}), base: [...base, index] });
    const draft = readRow(row, reader);
    if (!draft) {
      batch.rejected++;
      return;
    }
    batch.incidents.push(draft);
    if (draft.urgency !== 'low') {
      batch.notifications.push({
        id: `${draft.id}:trigger`,
        incidentId: draft.id,
        sentAt: draft.startedAt,
        channel: 'other',
        urgency: 'high',
        synthetic: true,
        ...(draft.teamHints[0] ? { teamHint: draft.teamHints[0] } : {}),
      });
    }
  });
  return batch;
}

function readRow(row: unknown, reader: RecordReader): IncidentDraft | undefined {
  if (!isObject(row)) {
    reader.error([], `a row must be an object, not ${describe(row)}`);
    return undefined;
  }
  const sourceId = reader.string(row.id, ['id'], true);
  if (sourceId === undefined) return undefined;
  const id = `pagerduty:${sourceId}`;
  reader.id = id;
  const title = reader.string(row.description ?? row.title, ['description'], true);
  const createdAt = reader.time(row.created_at, ['created_at'], true);
  const resolvedAt = reader.time(row.resolved_at, ['resolved_at']);
  const toAck = reader.number(row.seconds_to_first_ack, ['seconds_to_first_ack']);
  const toResolve = reader.number(row.seconds_to_resolve, ['seconds_to_resolve']);
  const urgency = reader.oneOf(row.urgency, ['urgency'], ['high', 'low'] as const);
  const major = reader.boolean(row.major, ['major']);
  const priority = reader.string(row.priority_name, ['priority_name']);
  if (priority !== undefined && parseSeverity(priority) === undefined) {
    reader.warn(
      ['priority_name'],
      `priority "${priority}" is not P1-P5 or SEV1-SEV5; severity follows major and urgency`,
    );
  }
  if (reader.errors > 0 || title === undefined || createdAt === undefined) return undefined;
  const times: Partial<Record<TimestampField, string>> = { startedAt: createdAt, detectedAt: createdAt };
  const paths: Partial<Record<TimestampField, (string | number)[]>> = {};
  if (toAck !== undefined) {
    times.acknowledgedAt = plusSeconds(createdAt, toAck);
    paths.acknowledgedAt = ['seconds_to_first_ack'];
  }
  if (resolvedAt !== undefined) {
    times.resolvedAt = resolvedAt;
    paths.resolvedAt = ['resolved_at'];
  } else if (toResolve !== undefined) {
    times.resolvedAt = plusSeconds(createdAt, toResolve);
    paths.resolvedAt = ['seconds_to_resolve'];
  }
  checkOrder(reader, times, (field) => paths[field] ?? ['created_at']);
  if (reader.errors > 0) return undefined;
  const severity = severityFromPagerDuty({ priority, major, urgency });
  const serviceId = reader.string(row.service_id, ['service_id']);
  const serviceName = reader.string(row.service_name, ['service_name']);
  const teamName = reader.string(row.team_name, ['team_name']);
  const number = typeof row.incident_number === 'number' ? row.incident_number : undefined;
  return {
    id,
    source: 'pagerduty',
    title,
    ...(number !== undefined ? { description: `PagerDuty incident #${number}` } : {}),
    ...(severity ? { severity } : {}),
    ...(urgency ? { urgency } : {}),
    startedAt: createdAt,
    ...times,
    serviceHints:
      serviceId || serviceName
        ? [
            {
              ...(serviceId ? { pagerDutyId: serviceId } : {}),
              ...(serviceName ? { name: serviceName } : {}),
            },
          ]
        : [],
    teamHints: teamName ? [{ name: teamName }] : [],
    deploymentIds: [],
    shas: [],
    timeline: [],
    actionItems: [],
    // The export has no update time: its latest timestamp stands in, older than a live REST record.
    updatedAt: latestOf(Object.values(times)) ?? createdAt,
    location: reader.location([]),
  };
}
