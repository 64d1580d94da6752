/**
 * The zod schemas of the incident API's bodies and answers, for validation of the envelope and for
 * the OpenAPI document. The precise checks (timestamps in order, severities, CSV rows) are the
 * adapters', which locate every problem.
 */
import { z } from 'zod';
import { IMPORT_FORMATS } from './ingest/readIncidents.js';
import { IncidentSourceSchema, IncidentStatusSchema, SeveritySchema } from './model.js';

const ProblemJsonSchema = z
  .object({
    severity: z.enum(['error', 'warning']),
    message: z.string(),
    file: z.string().optional(),
    line: z.number().int().optional(),
    column: z.number().int().optional(),
    pointer: z.string().optional(),
    row: z.number().int().optional(),
    entityRef: z.string().optional(),
  })
  .meta({ id: 'IncidentProblem' });

/** An RFC 9457 problem document. */
export const IncidentProblemDocumentSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    problems: z.array(ProblemJsonSchema).optional(),
  })
  .loose()
  .meta({ id: 'IncidentProblemDocument', description: 'An RFC 9457 problem document.' });

/** A documented problem response. */
export const problem = (description: string) =>
  ({
    description,
    content: { 'application/problem+json': { schema: IncidentProblemDocumentSchema } },
  }) as const;

const timestamp = z.string().meta({ description: 'ISO 8601 with a zone, e.g. 2024-05-01T10:00:00Z.' });

/** The body of `POST /api/v1/incidents` (and `pave incident create --file`). */
export const IncidentInputSchema = z
  .looseObject({
    id: z.string().optional().meta({
      description:
        'Your id; stored as `pave:<id>` unless it starts with a source (`pagerduty:`). Generated when absent.',
    }),
    title: z.string(),
    description: z.string().optional(),
    severity: z
      .string()
      .optional()
      .meta({ description: 'SEV1-SEV5, P1-P5, 1-5 or critical/high/moderate/low/informational.' }),
    urgency: z.enum(['high', 'low']).optional(),
    startedAt: timestamp,
    detectedAt: timestamp.optional(),
    acknowledgedAt: timestamp.optional(),
    mitigatedAt: timestamp.optional(),
    resolvedAt: timestamp.optional(),
    closedAt: timestamp.optional(),
    services: z.array(z.string()).optional().meta({ description: 'Component refs or names.' }),
    teams: z.array(z.string()).optional(),
    causeCategory: z.string().optional(),
    platformCaused: z.boolean().optional(),
    deploymentIds: z.array(z.string()).optional(),
    shas: z.array(z.string()).optional(),
    timeline: z
      .array(
        z.looseObject({
          id: z.string().optional(),
          at: timestamp,
          type: z.string().optional(),
          message: z.string().optional(),
        }),
      )
      .optional(),
    postmortem: z
      .looseObject({
        url: z.string().optional(),
        status: z.string().optional(),
        dueDate: z.string().optional(),
        completedAt: timestamp.optional(),
      })
      .optional(),
    actionItems: z
      .array(
        z.looseObject({
          id: z.string().optional(),
          title: z.string(),
          ownerTeam: z.string().optional(),
          priority: z.string().optional(),
          dueDate: z.string().optional(),
          status: z.string().optional(),
          completedAt: timestamp.optional(),
        }),
      )
      .optional(),
    pages: z
      .array(
        z.looseObject({
          id: z.string().optional(),
          sentAt: timestamp,
          responder: z.string().optional(),
          timezone: z.string().optional(),
          team: z.string().optional(),
          channel: z.string().optional(),
          urgency: z.string().optional(),
        }),
      )
      .optional(),
    url: z.string().optional(),
    updatedAt: timestamp.optional(),
  })
  .meta({ id: 'IncidentInput', description: 'An incident to create; field rules in docs/formats.md.' });

/** The body of `PATCH /api/v1/incidents/{id}`: a JSON merge patch; `null` clears a field. */
export const IncidentPatchSchema = z
  .record(z.string(), z.unknown())
  .meta({ id: 'IncidentPatch', description: 'A JSON merge patch of IncidentInput fields; null clears one.' });

export const IncidentSummarySchema = z
  .object({
    id: z.string(),
    source: IncidentSourceSchema,
    title: z.string(),
    severity: SeveritySchema.optional(),
    status: IncidentStatusSchema,
    startedAt: z.string(),
    acknowledgedAt: z.string().optional(),
    resolvedAt: z.string().optional(),
    services: z.array(z.string()),
    causeCategory: z.string().optional(),
    postmortemStatus: z.string().optional(),
  })
  .meta({ id: 'IncidentSummary' });

export const IncidentPageSchema = z
  .object({
    items: z.array(IncidentSummarySchema),
    totalItems: z.number().int(),
    nextCursor: z.string().optional().meta({ description: 'Pass as `cursor` for the next page.' }),
  })
  .meta({ id: 'IncidentPage' });

export const ImportReportSchema = z
  .object({
    read: z.number().int(),
    added: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    rejected: z.number().int(),
    notifications: z.number().int(),
    errors: z.number().int(),
    warnings: z.number().int(),
    problems: z.array(ProblemJsonSchema),
  })
  .meta({ id: 'IncidentImport' });

export const ImportQuerySchema = z.object({
  source: z.enum(IMPORT_FORMATS).meta({ description: 'The format of the body.' }),
  atomic: z.enum(['true', 'false']).optional().meta({ description: 'Any error rejects the whole body.' }),
});

const DurationStatsSchema = z
  .object({
    n: z.number().int(),
    p50: z.number().nullable(),
    p90: z.number().nullable(),
    mean: z.number().nullable(),
    status: z.enum(['ok', 'insufficient_data', 'no_data']),
  })
  .meta({ id: 'DurationStats' });

const BreakdownRowSchema = z.looseObject({
  key: z.string(),
  incidents: z.number().int(),
  platformCaused: z.number().int(),
  mttaSeconds: DurationStatsSchema,
  mttrSeconds: DurationStatsSchema,
});

export const IncidentStatsSchema = z
  .looseObject({
    scope: z.string(),
    from: z.string(),
    to: z.string(),
    asOf: z.string(),
    incidents: z.number().int(),
    bySeverity: z.record(z.string(), z.number().int()),
    mttaSeconds: DurationStatsSchema,
    mttrSeconds: DurationStatsSchema,
    platformCaused: z.number().int(),
    platformCausedRate: z.number().nullable(),
    recurrenceRate: z.number().nullable(),
    recurrence: z.looseObject({ eligible: z.number(), recurring: z.number(), rate: z.number().nullable() }),
    postmortemCompletion: z.looseObject({
      due: z.number(),
      completedOnTime: z.number(),
      rate: z.number().nullable(),
    }),
    actionItems: z.object({
      total: z.number().int(),
      open: z.number().int(),
      overdue: z.number().int(),
      done: z.number().int(),
      cancelled: z.number().int(),
    }),
    breakdown: z.object({
      severity: z.array(BreakdownRowSchema),
      service: z.array(BreakdownRowSchema),
      team: z.array(BreakdownRowSchema),
      tier: z.array(BreakdownRowSchema),
    }),
  })
  .meta({ id: 'IncidentStats', description: 'Incident metrics of a scope and window; see docs/metrics.md.' });

const LoadFiguresShape = {
  pages: z.number().int(),
  interruptions: z.number().int(),
  businessHours: z.number().int(),
  offHours: z.number().int(),
  sleepHours: z.number().int(),
  incidents: z.number().int(),
  shifts: z.number(),
  pagesPerShift: z.number(),
  shiftsOverLimit: z.number().int(),
};

export const OnCallLoadSchema = z
  .object({
    scope: z.string(),
    from: z.string(),
    to: z.string(),
    shiftHours: z.number(),
    shiftIncidentLimit: z.number(),
    teams: z.array(
      z.object({
        team: z.string(),
        ...LoadFiguresShape,
        weeks: z.array(z.object({ week: z.string(), ...LoadFiguresShape })),
      }),
    ),
  })
  .meta({ id: 'OnCallLoad', description: 'Pages and interruptions per team and ISO week.' });

export const StatsQuerySchema = z.object({
  scope: z.string().default('org').meta({ description: 'org, team:<group ref> or service:<component ref>.' }),
  from: z
    .string()
    .optional()
    .meta({ description: 'A day (`2024-05-01`) or RFC 3339 time; default 90 days before `to`.' }),
  to: z
    .string()
    .optional()
    .meta({ description: 'A day (included) or RFC 3339 time (excluded); default now.' }),
});
