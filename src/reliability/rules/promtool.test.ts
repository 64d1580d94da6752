import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSloSpecs } from '../ingest/readSloSpecs.js';
import { type SlothCase, slothExampleCases, slothGenerateCases } from '../testing/slothCases.js';
import { generateRules, type RulesOptions } from './generateRules.js';
import type { RulesDocument } from './ruleTypes.js';
import { writeRulesYaml } from './writeRulesYaml.js';

/** `$PROMTOOL`, else `promtool` from PATH (Debian's `prometheus` package installs /usr/bin/promtool). */
function findPromtool(): string | undefined {
  const candidates = process.env.PROMTOOL ? [process.env.PROMTOOL] : ['promtool', '/usr/bin/promtool'];
  for (const candidate of candidates) {
    const run = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    if (run.status === 0) return candidate;
  }
  return undefined;
}

const promtool = findPromtool();
const tmp = mkdtempSync(path.join(os.tmpdir(), 'pave-promtool-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

it('has promtool (required in CI)', () => {
  if (promtool) return;
  if (process.env.CI === 'true')
    expect.fail('promtool is not installed: CI must install the Debian prometheus package');
  console.log('promtool tests skipped: promtool is not on PATH (install the Debian prometheus package)');
});

function generate(specs: { file: string; text: string }[], options: RulesOptions): RulesDocument[] {
  const read = readSloSpecs(specs);
  expect(read.problems.filter((p) => p.severity === 'error')).toEqual([]);
  const result = generateRules(read.slos, { ...options, version: 'pave-test' });
  expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
  return result.documents;
}

/** Writes each document's groups as a plain rule file (a PrometheusRule's `spec.groups` too). */
function ruleFiles(name: string, documents: RulesDocument[]): { file: string; rules: number }[] {
  return documents.map((document, i) => {
    const file = path.join(tmp, `${name.replace(/[^a-z0-9]+/gi, '_')}-${i}.yml`);
    writeFileSync(file, writeRulesYaml([{ kind: 'rules', groups: document.groups }]));
    return { file, rules: document.groups.reduce((n, g) => n + g.rules.length, 0) };
  });
}

function runPromtool(args: string[]) {
  return spawnSync(promtool!, args, { encoding: 'utf8', cwd: tmp });
}

describe.skipIf(!promtool)('promtool check rules', () => {
  const cases: SlothCase[] = [...slothGenerateCases(), ...slothExampleCases()];
  const variants: [string, RulesOptions][] = [
    ['', {}],
    [' --zero-traffic-ok --weighted-period', { zeroTrafficOk: true, weightedPeriod: true }],
  ];
  for (const testCase of cases) {
    // Its queries are MetricsQL (histogram_share), which only VictoriaMetrics parses.
    const metricsQl = testCase.name.includes('victoria-metrics');
    for (const [suffix, extra] of variants) {
      it.skipIf(metricsQl)(`${testCase.name}${suffix}`, () => {
        const specs = testCase.inputs.map((file) => ({ file, text: readFileSync(file, 'utf8') }));
        const documents = generate(specs, { ...testCase.options, ...extra });
        const alertNames = new Set(
          documents.flatMap((d) => d.groups.flatMap((g) => g.rules.map((r) => r.alert))),
        );
        for (const { file, rules } of ruleFiles(`${testCase.name}${suffix}`, documents)) {
          const run = runPromtool(['check', 'rules', file]);
          const output = run.stderr + run.stdout;
          expect(run.status).toBe(0);
          if (output.includes('duplicate rule(s) found')) {
            // The lint (not an error) flags alerts of different SLOs that share a name and static
            // labels (in-multifile gives two services the same alerting block); their instances
            // differ by sloth_id. Recording rules must never be flagged.
            const flagged = [...output.matchAll(/^Metric: (.+)$/gm)].map((m) => m[1]);
            expect(flagged.length).toBeGreaterThan(0);
            for (const name of flagged) expect(alertNames).toContain(name);
            const unlinted = runPromtool(['check', 'rules', '--lint=none', file]);
            expect(unlinted.stderr + unlinted.stdout).toContain(`SUCCESS: ${rules} rules found`);
          } else {
            expect(output).toContain(`SUCCESS: ${rules} rules found`);
          }
        }
      });
    }
  }
  it('skips examples/victoria-metrics.yml: its queries are MetricsQL, not PromQL', () => {
    expect(cases.some((c) => c.name.includes('victoria-metrics'))).toBe(true);
    console.log(
      'promtool check skipped for examples/victoria-metrics.yml: MetricsQL (histogram_share) is not PromQL',
    );
  });
});

/** A 99.9% events SLO with only a page alert (so the page alert is the only `CheckoutErrors`). */
const SPEC = `version: prometheus/v1
service: checkout
labels:
  team: payments
slos:
  - name: requests
    objective: 99.9
    sli:
      events:
        error_query: sum(rate(http_requests_total{code="500"}[{{.window}}]))
        total_query: sum(rate(http_requests_total[{{.window}}]))
    alerting:
      name: CheckoutErrors
      labels:
        route: oncall
      ticket_alert:
        disable: true
`;

const SLO_LABELS = 'sloth_id="checkout-requests", sloth_service="checkout", sloth_slo="requests"';

/** Runs `promtool test rules` on `tests` (unit-test YAML) against the rules generated with `options`. */
function promtoolTest(name: string, options: RulesOptions, tests: string) {
  const documents = generate([{ file: 'checkout.yml', text: SPEC }], options);
  const rules = path.join(tmp, `${name}-rules.yml`);
  writeFileSync(rules, writeRulesYaml(documents));
  const testFile = path.join(tmp, `${name}-test.yml`);
  writeFileSync(
    testFile,
    `rule_files:\n  - ${path.basename(rules)}\nevaluation_interval: 1m\ntests:\n${tests}`,
  );
  return runPromtool(['test', 'rules', testFile]);
}

describe.skipIf(!promtool)('promtool test rules', () => {
  it('fires the page alert on a 14.4x burn and stays silent at 1x', () => {
    // 10,000 requests a minute; 144 failing is a 1.44% error ratio: 14.4 times the 0.1% budget.
    const run = promtoolTest(
      'burn',
      {},
      `  - interval: 1m
    input_series:
      - series: 'http_requests_total{code="200"}'
        values: '0+9856x180'
      - series: 'http_requests_total{code="500"}'
        values: '0+144x180'
    alert_rule_test:
      - eval_time: 90m
        alertname: CheckoutErrors
        exp_alerts:
          - exp_labels:
              sloth_id: checkout-requests
              sloth_service: checkout
              sloth_slo: requests
              sloth_severity: page
              team: payments
              route: oncall
            exp_annotations:
              title: (page) checkout requests SLO error budget burn rate is too fast.
              summary: checkout requests SLO error budget burn rate is over expected.
  - interval: 1m
    input_series:
      - series: 'http_requests_total{code="200"}'
        values: '0+9990x180'
      - series: 'http_requests_total{code="500"}'
        values: '0+10x180'
    alert_rule_test:
      - eval_time: 90m
        alertname: CheckoutErrors
        exp_alerts: []
`,
    );
    expect(run.stdout + run.stderr).toContain('SUCCESS');
    expect(run.status).toBe(0);
  });

  it('the test above can fail: a page at 1x is reported as missing', () => {
    const run = promtoolTest(
      'burn-negative',
      {},
      `  - interval: 1m
    input_series:
      - series: 'http_requests_total{code="200"}'
        values: '0+9990x180'
      - series: 'http_requests_total{code="500"}'
        values: '0+10x180'
    alert_rule_test:
      - eval_time: 90m
        alertname: CheckoutErrors
        exp_alerts:
          - exp_labels: { sloth_id: checkout-requests, sloth_service: checkout, sloth_slo: requests, sloth_severity: page, team: payments, route: oncall }
`,
    );
    expect(run.status).not.toBe(0);
  });

  // One hour of traffic, then an hour without any: the 5m ratios of the quiet hour are 0/0.
  const quietHour = `  - interval: 1m
    input_series:
      - series: 'http_requests_total{code="200"}'
        values: '0+999x60 59940+0x60'
      - series: 'http_requests_total{code="500"}'
        values: '0+1x60 60+0x60'
    promql_expr_test:
      - expr: count(slo:sli_error:ratio_rate30d{${SLO_LABELS}} != slo:sli_error:ratio_rate30d{${SLO_LABELS}})
        eval_time: 115m
        exp_samples: __NAN_SAMPLES__
`;

  it("without --zero-traffic-ok a quiet hour turns the period ratio into NaN (Sloth's behaviour)", () => {
    const run = promtoolTest(
      'nan',
      {},
      quietHour.replace('__NAN_SAMPLES__', "\n          - labels: '{}'\n            value: 1"),
    );
    expect(run.stdout + run.stderr).toContain('SUCCESS');
  });

  it('with --zero-traffic-ok the period ratio stays a number', () => {
    const run = promtoolTest('no-nan', { zeroTrafficOk: true }, quietHour.replace('__NAN_SAMPLES__', '[]'));
    expect(run.stdout + run.stderr).toContain('SUCCESS');
  });

  // An hour of 10,000 req/min at 0.1% errors, then an hour of 10 req/min at 50% errors:
  // by traffic the period ratio is about 0.15%; the mean of 5-minute ratios is about 25%.
  const uneven = `  - interval: 1m
    input_series:
      - series: 'http_requests_total{code="200"}'
        values: '0+9990x60 599400+5x60'
      - series: 'http_requests_total{code="500"}'
        values: '0+10x60 600+5x60'
    promql_expr_test:
      - expr: sum(slo:sli_error:ratio_rate30d{${SLO_LABELS}} < bool 0.01)
        eval_time: 120m
        exp_samples:
          - labels: '{}'
            value: __BELOW_1_PERCENT__
`;

  it("without --weighted-period the quiet hour's errors dominate the period ratio (Sloth's behaviour)", () => {
    const run = promtoolTest('unweighted', {}, uneven.replace('__BELOW_1_PERCENT__', '0'));
    expect(run.stdout + run.stderr).toContain('SUCCESS');
  });

  it('with --weighted-period the period ratio weighs each window by its traffic', () => {
    const run = promtoolTest(
      'weighted',
      { weightedPeriod: true },
      uneven.replace('__BELOW_1_PERCENT__', '1'),
    );
    expect(run.stdout + run.stderr).toContain('SUCCESS');
  });
});
