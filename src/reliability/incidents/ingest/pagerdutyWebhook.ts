/**
 * PagerDuty v3 webhooks (https://developer.pagerduty.com/docs/webhooks-overview): signature
 * verification and the events that change incidents.
 *
 * `X-PagerDuty-Signature` carries one or more comma-separated `v1=<hex>` signatures, each the
 * HMAC-SHA256 of the raw body with one of the subscription's secrets (several during a secret
 * rotation); a delivery is authentic when any of them matches
 * (https://developer.pagerduty.com/docs/verifying-webhook-signatures).
 *
 * Each payload holds one event. `incident.*` events whose `data` is an incident update that
 * incident: `acknowledged` sets the first acknowledgement and `resolved` the resolution to the
 * event's `occurred_at`; `triggered`, `escalated`, `reassigned` and `delegated` page the assignees
 * (synthetic pages, replaced by real notifications from the REST API); every event adds a timeline
 * entry keyed by the event id, so a redelivery changes nothing. Notes, status updates and responder
 * events add to the timeline of the incident they name.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Problem } from '../../../core/errors.js';
import type { IncidentBatch, IncidentDraft, NotificationDraft, TimestampField } from '../model.js';
import { describe, isObject, RecordReader } from './inputReader.js';
import { readPagerDutyIncident } from './pagerduty.js';
import { checkOrder } from './paveInput.js';

/** Whether any `v1=` signature of the header is the HMAC-SHA256 of `rawBody` with `secret`. */
export function verifyPagerDutySignature(
  rawBody: string | Uint8Array,
  header: string | undefined,
  secret: string,
): boolean {
  if (!header) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  let valid = false;
  for (const part of header.split(',')) {
    const signature = part.trim();
    if (!signature.startsWith('v1=')) continue;
    const given = Buffer.from(signature.slice(3), 'hex');
    // Buffer.from(.., 'hex') stops at the first non-hex character: the length check catches it.
    if (given.length === expected.length && timingSafeEqual(given, expected)) valid = true;
  }
  return valid;
}

const PAGING_EVENTS = new Set([
  'incident.triggered',
  'incident.escalated',
  'incident.reassigned',
  'incident.delegated',
]);

/** What a webhook delivery did, besides its incident. */
export interface WebhookEvent {
  id?: string;
  type?: string;
  /** Why the event changes no incident, when it does not. */
  ignored?: string;
}

/** Reads one v3 webhook payload (already parsed). */
export function readPagerDutyWebhook(
  body: unknown,
  options: { file?: string } = {},
): IncidentBatch & { event: WebhookEvent } {
  const problems: Problem[] = [];
  const batch = {
    incidents: [] as IncidentDraft[],
    notifications: [] as NotificationDraft[],
    problems,
    read: 1,
    rejected: 0,
  };
  const file = options.file ?? 'request body';
  const reader = new RecordReader(problems, { file, base: ['event'] });
  const event = isObject(body) ? body.event : undefined;
  if (!isObject(event)) {
    new RecordReader(problems, { file, base: [] }).error(
      ['event'],
      `a v3 webhook payload has an event object, not ${describe(event)}`,
    );
    return { ...batch, rejected: 1, event: {} };
  }
  const eventId = reader.string(event.id, ['id'], true);
  const type = reader.string(event.event_type, ['event_type'], true);
  const occurredAt = reader.time(event.occurred_at, ['occurred_at'], true);
  const info: WebhookEvent = { ...(eventId ? { id: eventId } : {}), ...(type ? { type } : {}) };
  if (eventId === undefined || type === undefined || occurredAt === undefined)
    return { ...batch, rejected: 1, event: info };
  if (!type.startsWith('incident.'))
    return { ...batch, read: 0, event: { ...info, ignored: `${type} events do not change incidents` } };
  const data = event.data;
  if (!isObject(data)) {
    reader.error(['data'], `must be an object, not ${describe(data)}`);
    return { ...batch, rejected: 1, event: info };
  }
  const agent =
    isObject(event.agent) && typeof event.agent.summary === 'string' ? event.agent.summary : undefined;
  const timelineEntry = (message?: string) => ({
    id: `pagerduty-event:${eventId}`,
    at: occurredAt,
    type: type.slice('incident.'.length),
    ...(message ? { message } : {}),
    ...(agent ? { actor: agent } : {}),
  });

  if (data.type === 'incident') {
    const dataReader = reader.at(['event', 'data']);
    const read = readPagerDutyIncident(data, dataReader);
    if (!read) return { ...batch, rejected: 1, event: info };
    const draft = read.incident;
    const paths: Partial<Record<TimestampField, (string | number)[]>> = {};
    if (type === 'incident.acknowledged') {
      draft.acknowledgedAt =
        draft.acknowledgedAt && Date.parse(draft.acknowledgedAt) < Date.parse(occurredAt)
          ? draft.acknowledgedAt
          : occurredAt;
      paths.acknowledgedAt = ['event', 'occurred_at'];
    }
    if (type === 'incident.resolved') {
      draft.resolvedAt = occurredAt;
      paths.resolvedAt = ['event', 'occurred_at'];
    }
    checkOrder(
      reader.at([]),
      draft,
      (field) =>
        paths[field] ?? [
          'event',
          'data',
          field === 'startedAt' || field === 'detectedAt' ? 'created_at' : field,
        ],
    );
    if (reader.errors > 0) return { ...batch, rejected: 1, event: info };
    draft.timeline.push(
      timelineEntry(typeof data.resolve_reason === 'string' ? data.resolve_reason : undefined),
    );
    draft.updatedAt = occurredAt;
    batch.incidents.push(draft);
    if (PAGING_EVENTS.has(type) && draft.urgency !== 'low') {
      const assignees = (Array.isArray(data.assignees) ? data.assignees : []).filter(
        (assignee): assignee is Record<string, unknown> =>
          isObject(assignee) && typeof assignee.id === 'string',
      );
      const team = draft.teamHints[0];
      for (const responder of assignees.length > 0 ? assignees.map((a) => a.id as string) : [undefined]) {
        batch.notifications.push({
          id:
            type === 'incident.triggered'
              ? `${draft.id}:trigger${responder ? `:${responder}` : ''}`
              : `${draft.id}:event:${eventId}${responder ? `:${responder}` : ''}`,
          incidentId: draft.id,
          sentAt: type === 'incident.triggered' ? draft.startedAt : occurredAt,
          ...(responder ? { responder } : {}),
          channel: 'other',
          urgency: 'high',
          synthetic: true,
          ...(team ? { teamHint: team } : {}),
        });
      }
    }
    return { ...batch, event: info };
  }

  // Notes, status updates and responder requests name their incident by reference.
  const incident = isObject(data.incident) ? data.incident : undefined;
  const sourceId = incident && typeof incident.id === 'string' ? incident.id : undefined;
  if (!sourceId) {
    reader.error(['data', 'incident', 'id'], 'required: the incident this event is about');
    return { ...batch, rejected: 1, event: info };
  }
  const message = [data.content, data.message].find((v): v is string => typeof v === 'string');
  const title =
    typeof incident?.summary === 'string' && incident.summary
      ? incident.summary
      : `PagerDuty incident ${sourceId}`;
  batch.incidents.push({
    id: `pagerduty:${sourceId}`,
    source: 'pagerduty',
    title,
    // Known only from the incident's own events: estimated until one of them arrives.
    startedAt: occurredAt,
    estimatedFields: ['startedAt', 'title'],
    serviceHints: [],
    teamHints: [],
    deploymentIds: [],
    shas: [],
    timeline: [timelineEntry(message)],
    actionItems: [],
    updatedAt: occurredAt,
    location: reader.location([]),
  });
  return { ...batch, event: info };
}
