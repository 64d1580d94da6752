/**
 * Turns SLOs into Prometheus rule groups with Sloth's structure: per SLO an SLI recordings group,
 * a metadata recordings group and an alerts group. Pure: no I/O, problems returned, never thrown.
 */
import { formatDuration } from '../../core/duration.js';
import type { Problem } from '../../core/errors.js';
import type { SloSpec } from '../model.js';
import { hasWindowPlaceholder, labelFilter } from '../promql.js';
import { alertRules } from './alertRules.js';
import {
  type AlertWindows,
  alertWindowList,
  DEFAULT_WINDOWS,
  type MwmbAlerts,
  mwmbAlerts,
  windowsForPeriod,
} from './alertWindows.js';
import { formatGoFloat } from './goFormat.js';
import { metadataRecordingRules } from './metadataRules.js';
import type { RuleGroup, RulesDocument, SloRuleContext } from './ruleTypes.js';
import { hasEventCounts, sliQueries, sliRecordingRules } from './sliRules.js';

/** Options of `pave slo rules`, named after Sloth's where Sloth has them. */
export interface RulesOptions {
  /** Seconds; the period of SLOs whose spec has none (Sloth specs). Sloth `--default-slo-period`, default 30d. */
  period?: number;
  /** Alert windows for some periods (Sloth `--slo-period-windows-path`); they win over the defaults. */
  windows?: readonly AlertWindows[];
  /** Labels added to every recording rule (Sloth `-l/--extra-labels`). */
  extraLabels?: Readonly<Record<string, string>>;
  disableAlerts?: boolean;
  disableRecordings?: boolean;
  /** No NaN on zero traffic: a window without events gives no sample. */
  zeroTrafficOk?: boolean;
  /** The period error ratio weighted by traffic instead of Sloth's mean of short-window ratios. */
  weightedPeriod?: boolean;
  /** The `sloth_version` info label. */
  version?: string;
}

/** The generated documents (see `writeRulesYaml`) and what is wrong with the SLOs that have none. */
export interface RulesResult {
  documents: RulesDocument[];
  problems: Problem[];
}

const DEFAULT_PERIOD = 30 * 86_400;
/** Metric sources Pave writes PromQL for: OpenSLO's `Prometheus`, Sloth's `prometheus` and `sloth`. */
const PROMETHEUS_SOURCES = new Set(['prometheus', 'sloth']);

/**
 * Generates the rules of every SLO. Non-Kubernetes SLOs share one rule-file document (Prometheus
 * reads only the first YAML document of a rule file); each Kubernetes `PrometheusServiceLevel`
 * becomes its own `PrometheusRule` document, as Sloth writes it. An SLO that cannot be generated
 * is left out with an error.
 */
export function generateRules(slos: readonly SloSpec[], options: RulesOptions = {}): RulesResult {
  const problems: Problem[] = [];
  const catalog = [...DEFAULT_WINDOWS, ...(options.windows ?? [])];
  const version = options.version ?? 'pave';
  const expressionOptions = {
    zeroTrafficOk: options.zeroTrafficOk ?? false,
    weightedPeriod: options.weightedPeriod ?? false,
  };
  const scaledPeriods = new Set<number>();
  const plans = new Map<number, WindowPlan>();
  const plain: RuleGroup[] = [];
  const kubernetes = new Map<string, Extract<RulesDocument, { kind: 'PrometheusRule' }>>();
  let hasPlain = false;

  for (const slo of slos) {
    const context = sloContext(slo, options, catalog, expressionOptions, problems, scaledPeriods, plans);
    let groups: RuleGroup[] = [];
    if (context) {
      if (!options.disableRecordings) {
        groups.push({ name: `sloth-slo-sli-recordings-${slo.id}`, rules: sliRecordingRules(context) });
        groups.push({
          name: `sloth-slo-meta-recordings-${slo.id}`,
          rules: metadataRecordingRules(context, version),
        });
      }
      if (!options.disableAlerts)
        groups.push({ name: `sloth-slo-alerts-${slo.id}`, rules: alertRules(context) });
      groups = groups.filter((group) => group.rules.length > 0);
    }
    const k8s = slo.source.kubernetes;
    if (k8s) {
      const key = `${slo.source.file ?? ''}#${slo.source.document}`;
      let document = kubernetes.get(key);
      if (!document) {
        document = {
          kind: 'PrometheusRule',
          metadata: {
            name: k8s.name,
            ...(k8s.namespace ? { namespace: k8s.namespace } : {}),
            labels: {
              'app.kubernetes.io/component': 'SLO',
              'app.kubernetes.io/managed-by': 'sloth',
              ...k8s.labels,
            },
            annotations: k8s.annotations,
          },
          groups: [],
        };
        kubernetes.set(key, document);
      }
      document.groups.push(...groups);
    } else {
      hasPlain = true;
      plain.push(...groups);
    }
  }
  const documents: RulesDocument[] = [];
  if (hasPlain) documents.push({ kind: 'rules', groups: plain });
  documents.push(...kubernetes.values());
  return { documents, problems };
}

/** The alerts of one period, computed once per period. */
interface WindowPlan {
  scaled: boolean;
  alerts: MwmbAlerts;
  windowList: number[];
}

function sloProblem(slo: SloSpec, severity: 'error' | 'warning', message: string): Problem {
  return {
    severity,
    message,
    location: {
      ...(slo.source.file ? { file: slo.source.file } : {}),
      ...(slo.source.line !== undefined ? { line: slo.source.line, column: slo.source.column } : {}),
    },
    entityRef: `SLO ${slo.id}`,
  };
}

/** Checks an SLO can be written as Prometheus rules and computes what its generators share. */
function sloContext(
  slo: SloSpec,
  options: RulesOptions,
  catalog: readonly AlertWindows[],
  expressionOptions: SloRuleContext['options'],
  problems: Problem[],
  scaledPeriods: Set<number>,
  plans: Map<number, WindowPlan>,
): SloRuleContext | undefined {
  let ok = true;
  for (const { role, query } of sliQueries(slo.sli)) {
    if (!PROMETHEUS_SOURCES.has(query.sourceType.toLowerCase())) {
      problems.push(
        sloProblem(
          slo,
          'error',
          `the ${role} query's source is ${query.sourceType}: Pave writes Prometheus rules for Prometheus sources only`,
        ),
      );
      ok = false;
    } else if (slo.sli.type !== 'threshold' && !hasWindowPlaceholder(query.query)) {
      problems.push(
        sloProblem(
          slo,
          'error',
          `the ${role} query has no {{.window}} placeholder: Pave puts each alert window there (Sloth's convention), e.g. rate(x[{{.window}}])`,
        ),
      );
      ok = false;
    }
  }
  const period = slo.timeWindow?.seconds ?? options.period ?? DEFAULT_PERIOD;
  let plan = plans.get(period);
  if (!plan) {
    const { windows, scaled } = windowsForPeriod(period, catalog);
    const alerts = mwmbAlerts(windows);
    plan = { scaled, alerts, windowList: alertWindowList(alerts) };
    plans.set(period, plan);
  }
  const { scaled, alerts, windowList } = plan;
  const longest = windowList[windowList.length - 1]!;
  if (period <= longest) {
    problems.push(
      sloProblem(
        slo,
        'error',
        `the SLO period ${formatDuration(period)} is not longer than its longest alert window ${formatDuration(longest)}`,
      ),
    );
    ok = false;
  }
  if (!ok) return undefined;

  if (scaled && !scaledPeriods.has(period)) {
    scaledPeriods.add(period);
    problems.push(
      sloProblem(
        slo,
        'warning',
        `no alert windows for a ${formatDuration(period)} period: using the SRE Workbook windows with factors for ${formatDuration(period)} (${describeFactors(alerts)}); pass --windows to tune them`,
      ),
    );
  }
  checkFactors(slo, alerts, scaled, problems);
  if (slo.timeWindow?.type === 'calendar') {
    problems.push(
      sloProblem(
        slo,
        'warning',
        `the calendar window (${slo.timeWindow.duration} from ${slo.timeWindow.startTime}) is written as a rolling ${formatDuration(period)} window: Prometheus rules only roll`,
      ),
    );
  }
  if (slo.budgetingMethod !== 'Occurrences') {
    problems.push(
      sloProblem(
        slo,
        'warning',
        `budgeting method ${slo.budgetingMethod}: the burn-rate rules count occurrences (events)`,
      ),
    );
  }
  if (expressionOptions.weightedPeriod && !hasEventCounts(slo.sli)) {
    problems.push(
      sloProblem(
        slo,
        'warning',
        `--weighted-period does not change a ${slo.sli.type} SLI: there are no event counts to weight by`,
      ),
    );
  }
  if (expressionOptions.zeroTrafficOk && slo.sli.type === 'raw') {
    problems.push(
      sloProblem(
        slo,
        'warning',
        '--zero-traffic-ok does not change a raw SLI: its query computes the ratio itself',
      ),
    );
  }
  const idLabels = { sloth_id: slo.id, sloth_service: slo.service, sloth_slo: slo.name };
  return {
    slo,
    labels: { ...slo.labels, ...options.extraLabels },
    idLabels,
    filter: labelFilter(idLabels),
    period,
    alerts,
    windows: windowList,
    options: expressionOptions,
  };
}

function describeFactors(alerts: MwmbAlerts): string {
  const f = (a: MwmbAlerts[keyof MwmbAlerts]) => `${formatGoFloat(Number(a.burnRateFactor.toPrecision(3)))}x`;
  return `page ${f(alerts.pageQuick)} and ${f(alerts.pageSlow)}, ticket ${f(alerts.ticketQuick)} and ${f(alerts.ticketSlow)}`;
}

/**
 * Warns about alerts that can never fire (factor times budget at least 1) and, for windows Pave
 * scaled itself, about factors below 1 (firing while the budget is on track). Catalog windows
 * below 1 are a deliberate choice (Sloth's 28d ticket alert: 0.93x over 3d).
 */
function checkFactors(slo: SloSpec, alerts: MwmbAlerts, scaled: boolean, problems: Problem[]): void {
  const budget = (100 - slo.objective) / 100;
  for (const [name, alert] of Object.entries(alerts)) {
    const enabled = alert.severity === 'page' ? !slo.alerting.page.disabled : !slo.alerting.ticket.disabled;
    if (!enabled) continue;
    const factor = () => formatGoFloat(Number(alert.burnRateFactor.toPrecision(3)));
    if (scaled && alert.burnRateFactor < 1) {
      problems.push(
        sloProblem(
          slo,
          'warning',
          `the ${name} alert's burn-rate factor ${factor()} is below 1: it fires while the budget is on track`,
        ),
      );
    } else if (alert.burnRateFactor * budget >= 1) {
      problems.push(
        sloProblem(
          slo,
          'warning',
          `the ${name} alert can never fire: factor ${factor()} times the error budget ${formatGoFloat(budget)} is at least 1`,
        ),
      );
    }
  }
}
