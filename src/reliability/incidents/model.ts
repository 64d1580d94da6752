/**
 * The incident model: one shape for every source (PagerDuty, Opsgenie, CDEvents, CSV, the API and
 * the demo), the records the delivery domain attributes to deployments, and the pages (on-call
 * notifications) on-call load is computed from.
 *
 * Timestamps are ISO 8601 strings in UTC; durations are seconds; due dates are calendar days
 * (`YYYY-MM-DD`). Service and team references are lower-case catalog keys
 * (`component:default/checkout`, `group:default/payments`). Every rule is in docs/incidents.md.
 */
import { z } from 'zod';
import type { Problem } from '../../core/errors.js';

const time = (description: string) => z.iso.datetime({ offset: true }).meta({ description });
const day = (description: string) => z.iso.date().meta({ description });

/** Severities, most severe first. P1-P5, PagerDuty priorities and urgencies map onto them. */
export const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4', 'SEV5'] as const;
export const SeveritySchema = z.enum(SEVERITIES).meta({
  id: 'IncidentSeverity',
  description: 'SEV1 (most severe) to SEV5. P1-P5 and PagerDuty priorities/urgencies are mapped onto it.',
});
export type Severity = z.infer<typeof SeveritySchema>;

/** Where an incident came from; the prefix of its id. */
export const INCIDENT_SOURCES = ['pagerduty', 'opsgenie', 'cdevents', 'csv', 'pave', 'demo'] as const;
export const IncidentSourceSchema = z.enum(INCIDENT_SOURCES).meta({ id: 'IncidentSource' });
export type IncidentSource = z.infer<typeof IncidentSourceSchema>;

/** The life of an incident, in order; `status` is the last stage with a timestamp. */
export const INCIDENT_STATUSES = ['triggered', 'acknowledged', 'mitigated', 'resolved', 'closed'] as const;
export const IncidentStatusSchema = z.enum(INCIDENT_STATUSES).meta({ id: 'IncidentStatus' });
export type IncidentStatus = z.infer<typeof IncidentStatusSchema>;

/** The timestamp fields, in the order an incident normally passes them. */
export const TIMESTAMP_FIELDS = [
  'startedAt',
  'detectedAt',
  'acknowledgedAt',
  'mitigatedAt',
  'resolvedAt',
  'closedAt',
] as const;
export type TimestampField = (typeof TIMESTAMP_FIELDS)[number];

/** One thing that happened during an incident. */
export const TimelineEventSchema = z
  .object({
    id: z
      .string()
      .min(1)
      .meta({ description: 'Unique within the incident (the source event id where there is one).' }),
    at: time('When it happened.'),
    type: z.string().min(1).meta({
      description: '`triggered`, `acknowledged`, `escalated`, `note`, `resolved`, `priority_updated`, ...',
    }),
    message: z.string().optional(),
    actor: z.string().optional().meta({ description: 'Who or what did it, as the source names it.' }),
  })
  .meta({ id: 'IncidentTimelineEvent' });
export type TimelineEvent = z.infer<typeof TimelineEventSchema>;

export const POSTMORTEM_STATUSES = ['not_started', 'draft', 'in_review', 'complete'] as const;
export const PostmortemStatusSchema = z.enum(POSTMORTEM_STATUSES).meta({ id: 'PostmortemStatus' });
export type PostmortemStatus = z.infer<typeof PostmortemStatusSchema>;

/** The postmortem (post-incident review) of an incident. */
export const PostmortemSchema = z
  .object({
    url: z.string().min(1).optional().meta({ description: 'Link to the document.' }),
    status: PostmortemStatusSchema,
    dueDate: day('The day it is due, as the team set it.').optional(),
    completedAt: time('When it was completed (published and approved).').optional(),
  })
  .meta({ id: 'Postmortem' });
export type Postmortem = z.infer<typeof PostmortemSchema>;

export const ACTION_ITEM_STATUSES = ['open', 'in_progress', 'done', 'cancelled'] as const;
export const ActionItemStatusSchema = z.enum(ACTION_ITEM_STATUSES).meta({ id: 'ActionItemStatus' });
export type ActionItemStatus = z.infer<typeof ActionItemStatusSchema>;

/** P0 is the SRE Workbook's "must fix before anything else" priority. */
export const ACTION_ITEM_PRIORITIES = ['P0', 'P1', 'P2', 'P3', 'P4'] as const;
export const ActionItemPrioritySchema = z.enum(ACTION_ITEM_PRIORITIES).meta({ id: 'ActionItemPriority' });
export type ActionItemPriority = z.infer<typeof ActionItemPrioritySchema>;

/** A follow-up from the postmortem. */
export const ActionItemSchema = z
  .object({
    id: z.string().min(1).meta({ description: 'Unique within the incident.' }),
    title: z.string().min(1),
    ownerTeam: z.string().min(1).optional().meta({ description: 'Group ref of the team that owns it.' }),
    priority: ActionItemPrioritySchema.optional(),
    dueDate: day('The day it is due.').optional(),
    status: ActionItemStatusSchema,
    completedAt: time('When it was done.').optional(),
  })
  .meta({ id: 'ActionItem' });
export type ActionItem = z.infer<typeof ActionItemSchema>;

/** An incident as Pave stores and serves it. */
export const IncidentSchema = z
  .object({
    id: z
      .string()
      .min(1)
      .meta({ description: 'Source-qualified: `pagerduty:Q1XYZ`, `opsgenie:<alert id>`, `pave:<id>`.' }),
    source: IncidentSourceSchema,
    title: z.string().min(1),
    description: z.string().optional(),
    severity: SeveritySchema.optional(),
    urgency: z
      .enum(['high', 'low'])
      .optional()
      .meta({ description: 'Whether it pages (PagerDuty urgency).' }),
    status: IncidentStatusSchema,
    startedAt: time('When the impact started (PagerDuty: created).'),
    detectedAt: time('When an alert or a person noticed it.').optional(),
    acknowledgedAt: time('First acknowledgement by a responder.').optional(),
    mitigatedAt: time('When the impact ended (a rollback, a failover), before the fix.').optional(),
    resolvedAt: time('When it was resolved.').optional(),
    closedAt: time('When the incident record was closed (after the review).').optional(),
    services: z.array(z.string()).meta({ description: 'Affected catalog components, lower-case refs.' }),
    unresolvedServices: z
      .array(z.string())
      .optional()
      .meta({ description: 'Services named by the source that the catalog does not know.' }),
    teams: z.array(z.string()).meta({ description: 'Responding teams, lower-case group refs.' }),
    causeCategory: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'e.g. deployment, config, capacity, dependency, platform.' }),
    platformCaused: z
      .boolean()
      .optional()
      .meta({ description: 'Stated explicitly by the source; when absent the configured rules decide.' }),
    deploymentIds: z.array(z.string()).meta({ description: 'Linked deployments (delivery ids).' }),
    shas: z.array(z.string()).meta({ description: 'Linked commits.' }),
    timeline: z.array(TimelineEventSchema),
    postmortem: PostmortemSchema.optional(),
    actionItems: z.array(ActionItemSchema),
    url: z.string().optional().meta({ description: 'The incident in its source tool.' }),
    estimatedFields: z.array(z.string()).optional().meta({
      description:
        'Fields the source did not give and Pave estimated (e.g. startedAt of an incident only seen resolved); a real value replaces them whatever its age.',
    }),
    updatedAt: time('When the source last changed it: a newer update replaces older fields.'),
  })
  .meta({ id: 'Incident' });
export type Incident = z.infer<typeof IncidentSchema>;

export const NOTIFICATION_CHANNELS = ['phone', 'sms', 'push', 'email', 'chat', 'other'] as const;
export const NotificationChannelSchema = z.enum(NOTIFICATION_CHANNELS).meta({ id: 'NotificationChannel' });
export type NotificationChannel = z.infer<typeof NotificationChannelSchema>;

/**
 * A notification to a responder. A *page* is one with urgency `high` on a channel that interrupts
 * (phone, SMS, push, or `other`); on-call load counts pages, and interruptions of either urgency.
 */
export const NotificationSchema = z
  .object({
    id: z.string().min(1),
    incidentId: z.string().min(1),
    sentAt: time('When it was sent.'),
    responder: z
      .string()
      .optional()
      .meta({ description: 'User ref, e-mail or source user id; only used to find the time zone.' }),
    timezone: z
      .string()
      .optional()
      .meta({ description: 'IANA time zone of the responder, when the source gives it.' }),
    team: z.string().optional().meta({ description: 'Group ref of the team paged.' }),
    channel: NotificationChannelSchema,
    urgency: z.enum(['high', 'low']),
    synthetic: z.boolean().meta({
      description: 'Derived from the incident (the source lists no notifications); replaced by real ones.',
    }),
  })
  .meta({ id: 'Notification' });
export type Notification = z.infer<typeof NotificationSchema>;

/** How a source names a service before the catalog resolves it. */
export interface ServiceHint {
  /** An entity ref or a bare component name. */
  ref?: string;
  /** A PagerDuty service id, matched against the `pagerduty.com/service-id` annotation. */
  pagerDutyId?: string;
  /** A display name (PagerDuty service summary), matched against names and titles. */
  name?: string;
}

/** How a source names a team. */
export interface TeamHint {
  ref?: string;
  name?: string;
}

/** An incident as an adapter reads it: services and teams not yet resolved against the catalog. */
export interface IncidentDraft
  extends Omit<Incident, 'services' | 'teams' | 'unresolvedServices' | 'status'> {
  serviceHints: ServiceHint[];
  teamHints: TeamHint[];
  /** Where the incident is in its input, for problems found later (when stored). */
  location?: { file?: string; pointer?: string; row?: number };
}

/** A notification as an adapter reads it: its team not yet resolved. */
export interface NotificationDraft extends Omit<Notification, 'team'> {
  teamHint?: TeamHint;
}

/** What an adapter returns: drafts, and the problems of the input (errors dropped the incident). */
export interface IncidentBatch {
  incidents: IncidentDraft[];
  notifications: NotificationDraft[];
  problems: Problem[];
  /** How many incidents (or alerts, events, rows) the input held. */
  read: number;
  /** How many of them were dropped for an error. */
  rejected: number;
}
