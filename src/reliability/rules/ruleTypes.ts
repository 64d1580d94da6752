/**
 * Prometheus rule files as Pave writes them: groups of recording and alerting rules, in a plain
 * rule file or in a prometheus-operator `PrometheusRule` (for Sloth Kubernetes input).
 */

import type { SloSpec } from '../model.js';
import type { MwmbAlerts } from './alertWindows.js';

/** One recording (`record`) or alerting (`alert`) rule, fields in Prometheus `rulefmt` order. */
export interface PromRule {
  record?: string;
  alert?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  rules: PromRule[];
}

/** One output YAML document. */
export type RulesDocument =
  | { kind: 'rules'; groups: RuleGroup[] }
  | {
      kind: 'PrometheusRule';
      metadata: {
        name: string;
        namespace?: string;
        labels: Record<string, string>;
        annotations: Record<string, string>;
      };
      groups: RuleGroup[];
    };

/** Options of `pave slo rules` that change rule expressions. */
export interface ExpressionOptions {
  /** Windows without traffic give no sample instead of NaN (`--zero-traffic-ok`). */
  zeroTrafficOk: boolean;
  /** The period error ratio is weighted by traffic (`--weighted-period`). */
  weightedPeriod: boolean;
}

/** Everything the per-SLO generators need, computed once per SLO. */
export interface SloRuleContext {
  slo: SloSpec;
  /** The SLO's labels with `--label` extra labels merged over them. */
  labels: Record<string, string>;
  /** `sloth_id`, `sloth_service`, `sloth_slo`. */
  idLabels: Record<string, string>;
  /** `{sloth_id="...", sloth_service="...", sloth_slo="..."}`. */
  filter: string;
  /** The SLO period in seconds. */
  period: number;
  alerts: MwmbAlerts;
  /** The distinct alert windows in seconds, shortest first. */
  windows: number[];
  options: ExpressionOptions;
}
