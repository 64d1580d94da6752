/**
 * Pave's internal SLO model: the one shape that OpenSLO v1, Sloth `prometheus/v1`, Sloth's
 * Kubernetes `PrometheusServiceLevel` and Sloth's `openslo/v1alpha` input all map into, and that
 * the rule generators (`rules/`) and, later, SLO evaluation read. Every rule written here is
 * documented in docs/slo.md.
 */
import { z } from 'zod';

/** The spec formats Pave reads SLOs from. */
export const SloSpecFormat = z.enum([
  'sloth/prometheus/v1',
  'sloth/kubernetes/v1',
  'sloth/openslo/v1alpha',
  'openslo/v1',
]);
export type SloSpecFormat = z.infer<typeof SloSpecFormat>;

/** One query of an SLI, with where its data comes from (`prometheus` for every Sloth spec). */
export const MetricQuery = z.object({
  /** The query text; Prometheus queries may hold Sloth's `{{.window}}` placeholder. */
  query: z.string(),
  /** The metric source type as written (`prometheus`, `Prometheus`, `Datadog`, ...). */
  sourceType: z.string(),
  /** OpenSLO `metricSourceRef`: the name of a DataSource. */
  sourceRef: z.string().optional(),
  /** OpenSLO `metricSource.spec` as written, for sources whose query is not one `query` field. */
  spec: z.record(z.string(), z.unknown()).optional(),
});
export type MetricQuery = z.infer<typeof MetricQuery>;

/**
 * The service level indicator.
 * - `ratio`: events; `bad`/`total` (Sloth `events`, OpenSLO `bad`) or `good`/`total` (OpenSLO).
 * - `raw`: a query that already is a ratio; `failure` is an error ratio (Sloth `raw`), `success`
 *   a success ratio (OpenSLO `rawType: success`).
 * - `threshold`: OpenSLO `thresholdMetric`, good while `metric <op> value` holds.
 */
export const Sli = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('ratio'),
      good: MetricQuery.optional(),
      bad: MetricQuery.optional(),
      total: MetricQuery,
      /** OpenSLO `counter`: the queries return monotonic counters. */
      counter: z.boolean().optional(),
    })
    .refine((sli) => (sli.good === undefined) !== (sli.bad === undefined), {
      message: 'a ratio SLI has exactly one of good and bad',
    }),
  z.object({
    type: z.literal('raw'),
    rawType: z.enum(['failure', 'success']),
    query: MetricQuery,
  }),
  z.object({
    type: z.literal('threshold'),
    metric: MetricQuery,
    op: z.enum(['lt', 'lte', 'gt', 'gte']),
    value: z.number(),
  }),
]);
export type Sli = z.infer<typeof Sli>;

/** The SLO's time window: rolling, or calendar-aligned from a start time in a time zone. */
export const SloTimeWindow = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('rolling'),
    /** As written (`30d`, `2w`, OpenSLO `1M`). */
    duration: z.string(),
    seconds: z.number().positive(),
  }),
  z.object({
    type: z.literal('calendar'),
    duration: z.string(),
    seconds: z.number().positive(),
    /** `YYYY-MM-DD hh:mm:ss` in `timeZone` (OpenSLO `calendar.startTime`). */
    startTime: z.string(),
    /** IANA time zone name. */
    timeZone: z.string(),
  }),
]);
export type SloTimeWindow = z.infer<typeof SloTimeWindow>;

/** OpenSLO budgeting methods. Sloth specs are always `Occurrences`. */
export const BudgetingMethod = z.enum(['Occurrences', 'Timeslices', 'RatioTimeslices']);
export type BudgetingMethod = z.infer<typeof BudgetingMethod>;

/** One of the two alerts (page, ticket) of an SLO. */
export const SloAlert = z.object({
  disabled: z.boolean(),
  /** The Prometheus alert name; required when the alert is enabled. */
  name: z.string().optional(),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
});
export type SloAlert = z.infer<typeof SloAlert>;

/** The multi-window multi-burn-rate alerts of an SLO. */
export const SloAlerting = z.object({ page: SloAlert, ticket: SloAlert });
export type SloAlerting = z.infer<typeof SloAlerting>;

/** An OpenSLO burn-rate alert condition, resolved from a reference or written inline. */
export const AlertConditionSpec = z.object({
  name: z.string().optional(),
  severity: z.string(),
  op: z.enum(['lt', 'lte', 'gt', 'gte']),
  threshold: z.number(),
  lookbackWindow: z.string(),
  alertAfter: z.string().optional(),
  description: z.string().optional(),
});
export type AlertConditionSpec = z.infer<typeof AlertConditionSpec>;

/** An OpenSLO alert policy attached to an SLO, with its condition and notification targets. */
export const AlertPolicySpec = z.object({
  name: z.string(),
  description: z.string().optional(),
  alertWhenBreaching: z.boolean(),
  alertWhenResolved: z.boolean(),
  alertWhenNoData: z.boolean(),
  conditions: z.array(AlertConditionSpec),
  /** Targets by name (`targetRef`) or inline; `target` is e.g. `email`, `pagerduty`, `slack`. */
  notificationTargets: z.array(z.object({ name: z.string(), target: z.string().optional() })),
});
export type AlertPolicySpec = z.infer<typeof AlertPolicySpec>;

/** Where an SLO was read from. */
export const SloSource = z.object({
  format: SloSpecFormat,
  file: z.string().optional(),
  /** 0-based index of the YAML document in the file. */
  document: z.number().int().nonnegative(),
  line: z.number().int().positive().optional(),
  column: z.number().int().positive().optional(),
  /** The Kubernetes object's metadata (Sloth `PrometheusServiceLevel`), for `PrometheusRule` output. */
  kubernetes: z
    .object({
      name: z.string(),
      namespace: z.string().optional(),
      labels: z.record(z.string(), z.string()),
      annotations: z.record(z.string(), z.string()),
    })
    .optional(),
});
export type SloSource = z.infer<typeof SloSource>;

/** Characters Sloth allows in ids, names and services: alphanumeric at both ends, `-_.` inside. */
export const SLO_NAME_PATTERN = /^[A-Za-z0-9][-A-Za-z0-9_.]*[A-Za-z0-9]$/;

/** One SLO: one objective over one SLI and one time window. */
export const SloSpec = z.object({
  /** OpenSLO `metadata.name` (with `-<i>` per objective when there are several), or `<service>-<name>`. */
  id: z.string().min(1),
  /** The SLO name within its service (Sloth `name`; the id for OpenSLO v1). */
  name: z.string().min(1),
  /** The service name as written in the spec. */
  service: z.string().min(1),
  /** The catalog component the SLO belongs to, as an entity ref: `component:default/<service>`. */
  component: z.string(),
  /** Whether `component` came from the `pave.dev/component` annotation or from the service name. */
  componentSource: z.enum(['annotation', 'service']),
  displayName: z.string().optional(),
  description: z.string().optional(),
  /** Target in percent, in (0, 100]: `99.9`. */
  objective: z.number().gt(0).lte(100),
  sli: Sli,
  /** Absent for Sloth specs: their period comes from `--period` (default 30d) at generation. */
  timeWindow: SloTimeWindow.optional(),
  budgetingMethod: BudgetingMethod,
  /** Timeslices: the ratio a slice must reach to be good, in (0, 1]. */
  timeSliceTarget: z.number().gt(0).lte(1).optional(),
  /** Timeslices and RatioTimeslices: the slice length as written (`1m`). */
  timeSliceWindow: z.string().optional(),
  /** Prometheus labels put on every recording rule of the SLO. */
  labels: z.record(z.string(), z.string()),
  /** The spec's own annotations (OpenSLO `metadata.annotations`, Kubernetes annotations). */
  annotations: z.record(z.string(), z.string()),
  alerting: SloAlerting,
  alertPolicies: z.array(AlertPolicySpec),
  source: SloSource,
});
export type SloSpec = z.infer<typeof SloSpec>;

/** The annotation that names an SLO's catalog component explicitly. */
export const COMPONENT_ANNOTATION = 'pave.dev/component';
