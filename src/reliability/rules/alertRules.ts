/**
 * Multi-window multi-burn-rate alerts (SRE Workbook ch. 5, "6: Multiwindow, Multi-Burn-Rate
 * Alerts"): one page and one ticket alert per SLO, each firing when both windows of either of its
 * window pairs burn faster than the pair's factor, as Sloth's `sloth.dev/core/alert_rules/v1` writes them.
 */

import type { SloAlert } from '../model.js';
import type { MwmbAlert } from './alertWindows.js';
import { formatGoFloat } from './goFormat.js';
import type { PromRule, SloRuleContext } from './ruleTypes.js';
import { sliErrorMetric } from './sliRules.js';

function condition(metric: string, filter: string, factor: number, budget: string): string {
  return `max(${metric}${filter} > (${formatGoFloat(factor)} * ${budget})) without (sloth_window)`;
}

function alertRule(context: SloRuleContext, alert: SloAlert, quick: MwmbAlert, slow: MwmbAlert): PromRule {
  const { filter } = context;
  // Sloth's error budget ratio: (100 - objective) / 100, written with Go's %v.
  const budget = formatGoFloat((100 - context.slo.objective) / 100);
  const pair = (window: MwmbAlert) =>
    `(\n    ${condition(sliErrorMetric(window.shortWindow), filter, window.burnRateFactor, budget)}\n    and\n    ${condition(
      sliErrorMetric(window.longWindow),
      filter,
      window.burnRateFactor,
      budget,
    )}\n)`;
  const severity = quick.severity;
  return {
    alert: alert.name ?? '',
    expr: `${pair(quick)}\nor\n${pair(slow)}\n`,
    labels: { sloth_severity: severity, ...alert.labels },
    annotations: {
      title: `(${severity}) {{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is too fast.`,
      summary: '{{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is over expected.',
      ...alert.annotations,
    },
  };
}

/** The page and ticket alerts of one SLO, leaving out disabled ones. */
export function alertRules(context: SloRuleContext): PromRule[] {
  const { alerting } = context.slo;
  const { alerts } = context;
  const rules: PromRule[] = [];
  if (!alerting.page.disabled)
    rules.push(alertRule(context, alerting.page, alerts.pageQuick, alerts.pageSlow));
  if (!alerting.ticket.disabled)
    rules.push(alertRule(context, alerting.ticket, alerts.ticketQuick, alerts.ticketSlow));
  return rules;
}
