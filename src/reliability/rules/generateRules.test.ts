import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSloSpecs } from '../ingest/readSloSpecs.js';
import type { SloSpec } from '../model.js';
import { OPENSLO, SLOTH, SLOTH_TESTDATA } from '../testing/slothCases.js';
import { generateRules, type RulesOptions } from './generateRules.js';
import type { PromRule } from './ruleTypes.js';

function slosOf(...files: string[]): SloSpec[] {
  const read = readSloSpecs(files.map((file) => ({ file, text: readFileSync(file, 'utf8') })));
  expect(read.problems.filter((p) => p.severity === 'error')).toEqual([]);
  return read.slos;
}

function slosFromText(text: string): SloSpec[] {
  const read = readSloSpecs([{ file: 'spec.yaml', text }]);
  expect(read.problems.filter((p) => p.severity === 'error')).toEqual([]);
  return read.slos;
}

function rulesOf(slos: SloSpec[], options: RulesOptions = {}): PromRule[] {
  return generateRules(slos, options).documents.flatMap((d) => d.groups.flatMap((g) => g.rules));
}

const record = (rules: PromRule[], name: string, id?: string) =>
  rules.find((r) => r.record === name && (id === undefined || r.labels?.sloth_id === id));

const OPENSLO_SPEC = `apiVersion: openslo/v1
kind: SLO
metadata: { name: checkout-availability }
spec:
  service: checkout
  budgetingMethod: Occurrences
  timeWindow: [{ duration: 28d, isRolling: true }]
  indicator:
    metadata: { name: checkout-requests }
    spec:
      ratioMetric:
        counter: true
        good: { metricSource: { type: Prometheus, spec: { query: 'sum(rate(http_requests_total{code!~"5.."}[{{.window}}]))' } } }
        total: { metricSource: { type: Prometheus, spec: { query: 'sum(rate(http_requests_total[{{.window}}]))' } } }
  objectives: [{ target: 0.995 }]
---
apiVersion: openslo/v1
kind: SLO
metadata: { name: queue-lag }
spec:
  service: queue
  budgetingMethod: Timeslices
  timeWindow: [{ duration: 1w, isRolling: false, calendar: { startTime: '2024-01-01 00:00:00', timeZone: Europe/Paris } }]
  indicator:
    metadata: { name: lag }
    spec:
      thresholdMetric: { metricSource: { type: Prometheus, spec: { query: 'max(kafka_consumergroup_lag)' } } }
  objectives: [{ op: lte, value: 500, target: 0.99, timeSliceTarget: 0.95, timeSliceWindow: 1m }]
`;

describe('generateRules', () => {
  it('writes good/total OpenSLO SLIs with the period from their window', () => {
    const rules = rulesOf(slosFromText(OPENSLO_SPEC));
    const ratio5m = record(rules, 'slo:sli_error:ratio_rate5m', 'checkout-availability')!;
    expect(ratio5m.expr.replace(/\s+/g, ' ')).toBe(
      '( 1 - ( ( sum(rate(http_requests_total{code!~"5.."}[5m])) ) / ( sum(rate(http_requests_total[5m])) ) ) )',
    );
    expect(record(rules, 'slo:sli_error:ratio_rate4w', 'checkout-availability')).toBeDefined();
    expect(record(rules, 'slo:time_period:days', 'checkout-availability')!.expr).toBe('vector(28)');
    expect(record(rules, 'sloth_slo_info', 'checkout-availability')!.labels).toMatchObject({
      sloth_spec: 'openslo/v1',
      sloth_mode: 'cli-gen-openslo',
      sloth_objective: '99.5',
    });
  });

  it('writes a threshold SLI as the share of the window the threshold fails, and warns about calendar and timeslices', () => {
    const slos = slosFromText(OPENSLO_SPEC);
    const result = generateRules(slos);
    const rules = result.documents.flatMap((d) => d.groups.flatMap((g) => g.rules));
    expect(record(rules, 'slo:sli_error:ratio_rate1h', 'queue-lag')!.expr).toBe(
      '(1 - avg_over_time((\n  (max(kafka_consumergroup_lag)) <= bool 500\n)[1h:]))',
    );
    expect(record(rules, 'slo:sli_error:ratio_rate1w', 'queue-lag')).toBeDefined();
    expect(result.problems.map((p) => p.message)).toEqual([
      'no alert windows for a 1w period: using the SRE Workbook windows with factors for 1w (page 3.36x and 1.4x, ticket 0.7x and 0.233x); pass --windows to tune them',
      'the calendar window (1w from 2024-01-01 00:00:00) is written as a rolling 1w window: Prometheus rules only roll',
      'budgeting method Timeslices: the burn-rate rules count occurrences (events)',
    ]);
  });

  it('leaves out SLOs it cannot write, with the reason at the SLO', () => {
    const slos = [
      ...slosOf(path.join(OPENSLO, 'go-sdk/pkg/openslo/v1/examples/slos.yaml')),
      ...slosOf(path.join(OPENSLO, 'spec/examples/budgeting-method/occurences-slo.yaml')),
      ...slosOf(path.join(OPENSLO, 'spec/examples/budgeting-method/ratio-timeslices.yaml')),
      ...slosOf(path.join(OPENSLO, 'spec/examples/budgeting-method/timeslices-slo.yaml')),
    ];
    const result = generateRules(slos);
    const errors = result.problems.filter((p) => p.severity === 'error');
    expect(errors.map((p) => `${p.entityRef}: ${p.message}`)).toEqual([
      "SLO web-availability: the good query has no {{.window}} placeholder: Pave puts each alert window there (Sloth's convention), e.g. rate(x[{{.window}}])",
      "SLO web-availability: the total query has no {{.window}} placeholder: Pave puts each alert window there (Sloth's convention), e.g. rate(x[{{.window}}])",
      "SLO search-slo: the threshold metric query's source is Any: Pave writes Prometheus rules for Prometheus sources only",
      "SLO main-page: the good query's source is Any: Pave writes Prometheus rules for Prometheus sources only",
      "SLO main-page: the total query's source is Any: Pave writes Prometheus rules for Prometheus sources only",
      "SLO service-availability-0: the good query's source is Any: Pave writes Prometheus rules for Prometheus sources only",
      "SLO service-availability-0: the total query's source is Any: Pave writes Prometheus rules for Prometheus sources only",
      'SLO service-availability-0: the SLO period 1m is not longer than its longest alert window 3d',
      "SLO service-availability-1: the good query's source is Any: Pave writes Prometheus rules for Prometheus sources only",
      "SLO service-availability-1: the total query's source is Any: Pave writes Prometheus rules for Prometheus sources only",
      'SLO service-availability-1: the SLO period 1m is not longer than its longest alert window 3d',
    ]);
    expect(errors[0]!.location).toMatchObject({ line: 1, column: 3 });
    expect(result.documents).toEqual([{ kind: 'rules', groups: [] }]);
  });

  it('warns when an alert can never fire', () => {
    const slos = slosFromText(`version: prometheus/v1
service: batch
slos:
  - name: jobs
    objective: 90
    sli:
      raw:
        error_ratio_query: avg_over_time(job_failed_ratio[{{.window}}])
    alerting:
      name: BatchJobs
`);
    // 2% of a 90-day budget in 1h is a 43.2x burn: 43.2 times a 10% budget is an error ratio over 100%.
    const result = generateRules(slos, { period: 90 * 86_400 });
    expect(result.problems.map((p) => p.message)).toContain(
      'the pageQuick alert can never fire: factor 43.2 times the error budget 0.1 is at least 1',
    );
  });

  it('puts Kubernetes input in PrometheusRule documents after the plain rules', () => {
    const slos = slosOf(
      path.join(SLOTH, 'examples/k8s-multifile.yml'),
      path.join(SLOTH, 'examples/home-wifi.yml'),
    );
    const { documents } = generateRules(slos);
    expect(
      documents.map((d) => (d.kind === 'PrometheusRule' ? `${d.kind} ${d.metadata.name}` : d.kind)),
    ).toEqual(['rules', 'PrometheusRule sloth-slo-my-service', 'PrometheusRule sloth-slo-my-service2']);
  });
});

describe('--zero-traffic-ok', () => {
  const slos = () => slosOf(path.join(SLOTH_TESTDATA, 'in-base.yaml'));

  it('guards the events denominator so zero traffic is no sample, not NaN', () => {
    const plain = record(rulesOf(slos()), 'slo:sli_error:ratio_rate5m', 'svc01-slo1')!.expr;
    const guarded = record(
      rulesOf(slos(), { zeroTrafficOk: true }),
      'slo:sli_error:ratio_rate5m',
      'svc01-slo1',
    )!.expr;
    expect(plain).toBe(
      '(sum(rate(http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}[5m])))\n/\n(sum(rate(http_request_duration_seconds_count{job="myservice"}[5m])))\n',
    );
    expect(guarded).toBe(
      '(sum(rate(http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}[5m])))\n/\n((sum(rate(http_request_duration_seconds_count{job="myservice"}[5m]))) > 0)\n',
    );
  });

  it('guards good/total SLIs too, leaves raw SLIs and says so', () => {
    const checkout = record(
      rulesOf(slosFromText(OPENSLO_SPEC), { zeroTrafficOk: true }),
      'slo:sli_error:ratio_rate5m',
      'checkout-availability',
    )!;
    expect(checkout.expr.replace(/\s+/g, ' ')).toContain('/ (( sum(rate(http_requests_total[5m])) ) > 0)');
    const result = generateRules(slos(), { zeroTrafficOk: true });
    const raw = record(
      result.documents[0]!.groups.flatMap((g) => g.rules),
      'slo:sli_error:ratio_rate5m',
      'svc01-slo02',
    )!;
    expect(raw.expr).toBe(record(rulesOf(slos()), 'slo:sli_error:ratio_rate5m', 'svc01-slo02')!.expr);
    expect(result.problems.map((p) => `${p.entityRef}: ${p.message}`)).toEqual([
      'SLO svc01-slo02: --zero-traffic-ok does not change a raw SLI: its query computes the ratio itself',
    ]);
  });
});

describe('--weighted-period', () => {
  const slos = () => slosOf(path.join(SLOTH_TESTDATA, 'in-base.yaml'));

  it("replaces Sloth's mean of 5m ratios by errors over total events across the period", () => {
    const sloth = record(rulesOf(slos()), 'slo:sli_error:ratio_rate30d', 'svc01-slo1')!;
    expect(sloth.expr).toContain('count_over_time(slo:sli_error:ratio_rate5m');
    const rules = rulesOf(slos(), { weightedPeriod: true });
    expect(record(rules, 'slo:sli_error_events:rate5m', 'svc01-slo1')).toMatchObject({
      expr: 'sum(rate(http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}[5m]))\n',
      labels: { sloth_window: '5m' },
    });
    expect(record(rules, 'slo:sli_total_events:rate5m', 'svc01-slo1')!.expr).toBe(
      'sum(rate(http_request_duration_seconds_count{job="myservice"}[5m]))\n',
    );
    const filter = '{sloth_id="svc01-slo1", sloth_service="svc01", sloth_slo="slo1"}';
    expect(record(rules, 'slo:sli_error:ratio_rate30d', 'svc01-slo1')!.expr).toBe(
      `sum_over_time(slo:sli_error_events:rate5m${filter}[30d])\n/ ignoring (sloth_window)\nsum_over_time(slo:sli_total_events:rate5m${filter}[30d])\n`,
    );
    const both = record(
      rulesOf(slos(), { weightedPeriod: true, zeroTrafficOk: true }),
      'slo:sli_error:ratio_rate30d',
      'svc01-slo1',
    )!;
    expect(both.expr).toContain(`(sum_over_time(slo:sli_total_events:rate5m${filter}[30d]) > 0)`);
  });

  it('counts good/total SLI errors as total minus good, and leaves raw SLIs with a warning', () => {
    const checkout = rulesOf(slosFromText(OPENSLO_SPEC), { weightedPeriod: true });
    expect(record(checkout, 'slo:sli_error_events:rate5m', 'checkout-availability')!.expr).toBe(
      '(sum(rate(http_requests_total[5m]))) - (sum(rate(http_requests_total{code!~"5.."}[5m])))\n',
    );
    const result = generateRules(slos(), { weightedPeriod: true });
    expect(result.problems.map((p) => p.message)).toEqual([
      '--weighted-period does not change a raw SLI: there are no event counts to weight by',
    ]);
    const raw = record(
      result.documents[0]!.groups.flatMap((g) => g.rules),
      'slo:sli_error:ratio_rate30d',
      'svc01-slo02',
    )!;
    expect(raw.expr).toContain('count_over_time');
  });
});
