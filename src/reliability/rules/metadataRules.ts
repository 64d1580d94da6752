/**
 * Metadata recording rules of an SLO (objective, error budget, period, current and period burn
 * rates, budget remaining, info), as Sloth's `sloth.dev/core/metadata_rules/v1` plugin writes them.
 */
import type { SloSpecFormat } from '../model.js';
import { formatGoFixed, formatGoFloat, goHours } from './goFormat.js';
import type { PromRule, SloRuleContext } from './ruleTypes.js';
import { sliErrorMetric } from './sliRules.js';

/** What Sloth's info rule says about the input: `sloth_spec` and `sloth_mode` per format. */
export const SPEC_INFO: Record<SloSpecFormat, { spec: string; mode: string }> = {
  'sloth/prometheus/v1': { spec: 'prometheus/v1', mode: 'cli-gen-prom' },
  'sloth/kubernetes/v1': { spec: 'sloth.slok.dev/v1', mode: 'cli-gen-k8s' },
  'sloth/openslo/v1alpha': { spec: 'openslo/v1alpha', mode: 'cli-gen-openslo' },
  'openslo/v1': { spec: 'openslo/v1', mode: 'cli-gen-openslo' },
};

function burnRateExpression(metric: string, filter: string): string {
  return `${metric}${filter}\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio${filter}\n`;
}

/** The metadata rules of one SLO; `version` fills the `sloth_version` info label. */
export function metadataRecordingRules(context: SloRuleContext, version: string): PromRule[] {
  const { slo, filter } = context;
  const labels = { ...context.idLabels, ...context.labels };
  const objectiveRatio = formatGoFloat(slo.objective / 100);
  const info = SPEC_INFO[slo.source.format];
  return [
    { record: 'slo:objective:ratio', expr: `vector(${objectiveRatio})`, labels },
    { record: 'slo:error_budget:ratio', expr: `vector(1-${objectiveRatio})`, labels },
    {
      record: 'slo:time_period:days',
      expr: `vector(${formatGoFloat(goHours(context.period) / 24)})`,
      labels,
    },
    {
      record: 'slo:current_burn_rate:ratio',
      expr: burnRateExpression(sliErrorMetric(context.alerts.pageQuick.shortWindow), filter),
      labels,
    },
    {
      record: 'slo:period_burn_rate:ratio',
      expr: burnRateExpression(sliErrorMetric(context.period), filter),
      labels,
    },
    {
      record: 'slo:period_error_budget_remaining:ratio',
      expr: `1 - slo:period_burn_rate:ratio${filter}`,
      labels,
    },
    {
      record: 'sloth_slo_info',
      expr: 'vector(1)',
      labels: {
        ...labels,
        sloth_version: version,
        sloth_mode: info.mode,
        sloth_spec: info.spec,
        sloth_objective: formatGoFixed(slo.objective),
      },
    },
  ];
}
