/**
 * SLI recording rules: the error ratio of the SLO over each alert window
 * (`slo:sli_error:ratio_rate<window>`) and over the whole period, as Sloth's
 * `sloth.dev/core/sli_rules/v1` plugin writes them, plus the two Pave options that change them.
 */
import { formatDuration } from '../../core/duration.js';
import type { MetricQuery, Sli } from '../model.js';
import { renderWindow } from '../promql.js';
import { formatGoFloat } from './goFormat.js';
import type { ExpressionOptions, PromRule, SloRuleContext } from './ruleTypes.js';

const durations = new Map<number, string>();

/** A Prometheus duration (`5m`, `1w`), cached: a few distinct windows are written thousands of times. */
export function promDuration(seconds: number): string {
  let text = durations.get(seconds);
  if (text === undefined) {
    text = formatDuration(seconds);
    durations.set(seconds, text);
  }
  return text;
}

/** `slo:sli_error:ratio_rate5m`: Sloth's name for the error ratio over a window. */
export function sliErrorMetric(window: number): string {
  return `slo:sli_error:ratio_rate${promDuration(window)}`;
}

/** Pave's `--weighted-period` recordings: error and total event rates over the short window. */
export function sliEventsMetric(which: 'error' | 'total', window: number): string {
  return `slo:sli_${which}_events:rate${promDuration(window)}`;
}

const OP_SYMBOL = { lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

/** The denominator of a ratio: Sloth's `(total)`, or `((total) > 0)` so zero traffic is no sample. */
function denominator(total: string, options: ExpressionOptions): string {
  return options.zeroTrafficOk ? `((${total}) > 0)` : `(${total})`;
}

/**
 * The error-ratio expression template of an SLI, with `{{.window}}` still in it:
 * - bad/total (Sloth events): `(bad) / (total)`;
 * - good/total (OpenSLO, Sloth's `openslo/v1alpha` mapping): `1 - ((good) / (total))`;
 * - raw: the query (`failure`) or `1 - (query)` (`success`);
 * - threshold: the share of the window, sampled by a subquery, in which `metric <op> value` fails.
 */
export function sliErrorExpression(sli: Sli, options: ExpressionOptions): string {
  switch (sli.type) {
    case 'ratio':
      if (sli.bad) return `(${sli.bad.query})\n/\n${denominator(sli.total.query, options)}\n`;
      // Sloth's text for OpenSLO good/total (internal/storage/io/openslo.go), wrapped in `(...)` as raw SLIs are.
      return `(\n  1 - (\n    (\n      ${sli.good!.query}\n    )\n    /\n    ${
        options.zeroTrafficOk
          ? `((\n      ${sli.total.query}\n    ) > 0)`
          : `(\n      ${sli.total.query}\n    )`
      }\n  )\n)`;
    case 'raw':
      return sli.rawType === 'failure' ? `(${sli.query.query})` : `(1 - (${sli.query.query}))`;
    case 'threshold':
      return `(1 - avg_over_time((\n  (${sli.metric.query}) ${OP_SYMBOL[sli.op]} bool ${formatGoFloat(sli.value)}\n)[{{.window}}:]))`;
  }
}

/** The queries of an SLI, with what each is, for checks before generation. */
export function sliQueries(sli: Sli): { role: string; query: MetricQuery }[] {
  switch (sli.type) {
    case 'ratio':
      return [
        sli.good ? { role: 'good', query: sli.good } : { role: 'bad', query: sli.bad! },
        { role: 'total', query: sli.total },
      ];
    case 'raw':
      return [{ role: 'raw', query: sli.query }];
    case 'threshold':
      return [{ role: 'threshold metric', query: sli.metric }];
  }
}

/** Whether `--weighted-period` can weight this SLI by traffic: only when it counts events. */
export function hasEventCounts(sli: Sli): sli is Extract<Sli, { type: 'ratio' }> {
  return sli.type === 'ratio';
}

function ruleLabels(context: SloRuleContext, window: number): Record<string, string> {
  return { ...context.idLabels, sloth_window: promDuration(window), ...context.labels };
}

/** The SLI recording rules of one SLO: one per alert window, then the period. */
export function sliRecordingRules(context: SloRuleContext): PromRule[] {
  const { slo, options, period } = context;
  const template = sliErrorExpression(slo.sli, options);
  const rules: PromRule[] = context.windows.map((window) => ({
    record: sliErrorMetric(window),
    expr: renderWindow(template, promDuration(window)),
    labels: ruleLabels(context, window),
  }));
  const short = context.alerts.pageQuick.shortWindow;
  if (options.weightedPeriod && hasEventCounts(slo.sli)) {
    const sli = slo.sli;
    const errors = sli.bad ? sli.bad.query : `(${sli.total.query}) - (${sli.good!.query})`;
    rules.push(
      {
        record: sliEventsMetric('error', short),
        expr: `${renderWindow(errors, promDuration(short))}\n`,
        labels: ruleLabels(context, short),
      },
      {
        record: sliEventsMetric('total', short),
        expr: `${renderWindow(sli.total.query, promDuration(short))}\n`,
        labels: ruleLabels(context, short),
      },
    );
    rules.push({
      record: sliErrorMetric(period),
      expr: weightedPeriodExpression(context),
      labels: ruleLabels(context, period),
    });
  } else {
    rules.push({
      record: sliErrorMetric(period),
      expr: averagedPeriodExpression(context),
      labels: ruleLabels(context, period),
    });
  }
  return rules;
}

/**
 * Sloth's period ratio: the mean of the short-window ratios over the period. Every short window
 * weighs the same, however much traffic it had (slok/sloth#241).
 */
function averagedPeriodExpression(context: SloRuleContext): string {
  const metric = sliErrorMetric(context.alerts.pageQuick.shortWindow) + context.filter;
  const range = `[${promDuration(context.period)}]`;
  return `sum_over_time(${metric}${range})\n/ ignoring (sloth_window)\ncount_over_time(${metric}${range})\n`;
}

/**
 * Pave's `--weighted-period` ratio: errors over total events across the period, from the
 * short-window event rates, so each window weighs by its traffic.
 */
function weightedPeriodExpression(context: SloRuleContext): string {
  const short = context.alerts.pageQuick.shortWindow;
  const range = `[${promDuration(context.period)}]`;
  const errors = `sum_over_time(${sliEventsMetric('error', short)}${context.filter}${range})`;
  const total = `sum_over_time(${sliEventsMetric('total', short)}${context.filter}${range})`;
  const denominator = context.options.zeroTrafficOk ? `(${total} > 0)` : total;
  return `${errors}\n/ ignoring (sloth_window)\n${denominator}\n`;
}
