/**
 * The shapes of registered SLOs, SLI data and SLO status: zod schemas that validate input, describe
 * the API (OpenAPI) and document the stable JSON of `pave slo ...` (docs/slo-evaluation.md).
 */
import { z } from 'zod';
import { BudgetingMethod } from '../model.js';

/** One SLI data point: the good and total events of the interval [start, end). */
export const SliPointSchema = z
  .object({
    start: z.iso
      .datetime({ offset: true })
      .meta({ description: 'ISO-8601 with a time zone: 2026-01-31T10:00:00Z' }),
    end: z.iso.datetime({ offset: true }).meta({ description: 'After start.' }),
    good: z.number().min(0).meta({ description: 'Good events (or good time slices), 0 <= good <= total.' }),
    total: z.number().min(0).meta({ description: 'All events; 0 is no traffic: no data, not a failure.' }),
  })
  .superRefine((point, context) => {
    if (Date.parse(point.end) <= Date.parse(point.start)) {
      context.addIssue({
        code: 'custom',
        path: ['end'],
        message: `end must be after start (${point.start})`,
      });
    }
    if (point.good > point.total) {
      context.addIssue({
        code: 'custom',
        path: ['good'],
        message: `good (${point.good}) must not exceed total (${point.total})`,
      });
    }
  })
  .meta({ id: 'SliPoint' });

/** The body of `POST /api/v1/slos/{id}/sli` and of a JSON file for `pave slo push`. */
export const SliPointsBodySchema = z
  .object({ points: z.array(SliPointSchema).min(1) })
  .meta({ id: 'SliPoints' });

/** An SLI point once validated. */
export interface SliPoint {
  start: Date;
  end: Date;
  good: number;
  total: number;
}

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
  .meta({ id: 'SloProblem' });

/** What writing SLI points changed. */
export const SliWriteReportSchema = z
  .object({
    slo: z.string(),
    received: z.number().int(),
    added: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    replaced: z
      .number()
      .int()
      .meta({ description: 'Stored points removed because a pull re-read their range.' }),
  })
  .meta({ id: 'SliWriteReport' });
export type SliWriteReport = z.infer<typeof SliWriteReportSchema>;

/** The window of a registered SLO, as the spec gives it (Sloth specs: 30d rolling). */
export const SloWindowSchema = z.object({
  type: z.enum(['rolling', 'calendar']),
  duration: z.string(),
  seconds: z.number(),
  startTime: z.string().optional(),
  timeZone: z.string().optional(),
});

/** A registered SLO as lists show it. */
export const SloSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    displayName: z.string().optional(),
    service: z.string(),
    component: z.string().meta({ description: 'Catalog component ref (lower case).' }),
    componentInCatalog: z.boolean(),
    objective: z.number().meta({ description: 'Target in percent: 99.9.' }),
    budgetingMethod: BudgetingMethod,
    timeSliceTarget: z.number().optional(),
    timeSliceWindow: z.string().optional(),
    window: SloWindowSchema,
    format: z.string().meta({ description: 'The spec format: openslo/v1, sloth/prometheus/v1, ...' }),
    source: z.string().meta({ description: 'How it was registered: cli, api or demo.' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'SloSummary' });
export type SloSummary = z.infer<typeof SloSummarySchema>;

/** One SLO with its spec and the extent of its SLI data. */
export const SloDetailSchema = SloSummarySchema.extend({
  spec: z.record(z.string(), z.unknown()).meta({ description: "Pave's SLO model (docs/slo.md)." }),
  sli: z.object({
    points: z.number().int(),
    firstStart: z.string().nullable(),
    lastEnd: z.string().nullable(),
    longestPointSeconds: z.number().nullable(),
  }),
}).meta({ id: 'SloDetail' });
export type SloDetail = z.infer<typeof SloDetailSchema>;

/** What registering specs changed. */
export const SloRegisterReportSchema = z
  .object({
    added: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    slos: z.array(
      z.object({ id: z.string(), component: z.string(), change: z.enum(['added', 'updated', 'unchanged']) }),
    ),
    errors: z.number().int(),
    warnings: z.number().int(),
    problems: z.array(ProblemJsonSchema),
  })
  .meta({ id: 'SloRegisterReport' });

/** The burn-rate windows of the status, after the SRE Workbook's multiwindow alerts. */
export const BURN_RATE_WINDOWS = ['1h', '6h', '1d', '3d'] as const;
export type BurnRateWindow = (typeof BURN_RATE_WINDOWS)[number];

/** Error-budget policy states, least to most severe. */
export const PolicyState = z.enum(['no_data', 'ok', 'postmortem_required', 'release_freeze']);
export type PolicyState = z.infer<typeof PolicyState>;

const nullableNumber = z.number().nullable();

/** An incident whose burn the policy looked at. */
export const IncidentBurnSchema = z.object({
  id: z.string(),
  title: z.string(),
  severity: z.string().nullable(),
  startedAt: z.string(),
  resolvedAt: z.string().nullable(),
  budgetBurned: z
    .number()
    .nullable()
    .meta({ description: 'Percent of the four-week error budget its bad events spent; null without data.' }),
  postmortemRequired: z.boolean().meta({ description: 'It spent more than 20% of the four-week budget.' }),
  postmortem: z
    .string()
    .nullable()
    .meta({ description: "The postmortem's status, when the incident has one." }),
  p0ActionItems: z.number().int(),
});
export type IncidentBurn = z.infer<typeof IncidentBurnSchema>;

/** One SLO's evaluation: the stable JSON of `pave slo status` and `GET /api/v1/slos/status`. */
export const SloStatusSchema = z
  .object({
    slo: z.string(),
    name: z.string(),
    displayName: z.string().nullable(),
    service: z.string(),
    component: z.string(),
    owner: z.string().nullable().meta({ description: "The component's owner in the catalog." }),
    objective: z.number().meta({ description: 'Percent.' }),
    budgetingMethod: BudgetingMethod,
    window: z.object({
      type: z.enum(['rolling', 'calendar']),
      duration: z.string(),
      from: z.string(),
      to: z.string(),
      end: z.string().meta({ description: 'End of the calendar period; `to` for rolling windows.' }),
    }),
    status: z.enum(['ok', 'no_data']),
    sample: z.object({
      unit: z.enum(['events', 'slices']),
      total: z.number(),
      bad: z.number(),
      firstDataEnd: z.string().nullable(),
      lastDataEnd: z.string().nullable(),
    }),
    attainment: nullableNumber.meta({ description: 'Percent of good events (or slices) in the window.' }),
    errorBudgetRemaining: nullableNumber.meta({
      description: "Percent of the window's error budget left: 100 unspent, 0 exhausted, negative overspent.",
    }),
    burnRates: z.object({
      '1h': nullableNumber,
      '6h': nullableNumber,
      '1d': nullableNumber,
      '3d': nullableNumber,
    }),
    exhaustionForecast: z.object({
      status: z.enum(['exhausted', 'forecast', 'not_exhausting', 'no_data']),
      at: z.string().nullable(),
      inSeconds: nullableNumber,
      burnRateWindow: z.enum(BURN_RATE_WINDOWS),
    }),
    policyState: PolicyState,
    policy: z.object({
      windowDays: z.number(),
      errorBudgetRemaining: nullableNumber.meta({ description: 'Percent, over the last four weeks.' }),
      releaseFreeze: z.boolean(),
      exceptions: z.array(z.string()),
      postmortemRequired: z.boolean(),
      incidents: z.array(IncidentBurnSchema),
      incidentData: z.enum(['available', 'unavailable']),
    }),
    warnings: z.array(z.string()),
  })
  .meta({ id: 'SloStatus' });
export type SloStatus = z.infer<typeof SloStatusSchema>;
