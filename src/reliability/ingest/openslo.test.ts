import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SloSpec } from '../model.js';
import { OPENSLO } from '../testing/slothCases.js';
import { readSloSpecs } from './readSloSpecs.js';

function read(...files: string[]) {
  return readSloSpecs(files.map((file) => ({ file, text: readFileSync(file, 'utf8') })));
}
const errors = (result: ReturnType<typeof read>) => result.problems.filter((p) => p.severity === 'error');
const warnings = (result: ReturnType<typeof read>) => result.problems.filter((p) => p.severity === 'warning');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? walk(file) : name.endsWith('.yaml') ? [file] : [];
  });
}

const EXAMPLES = path.join(OPENSLO, 'go-sdk/pkg/openslo/v1/examples');
const SPEC = path.join(OPENSLO, 'spec/examples');

/** What each fixture gives when read on its own (docs/slo.md lists the same). */
const EXPECTED: Record<string, { slos: string[]; errors: string[] }> = {
  'go-sdk/pkg/openslo/v1/examples/alert_conditions.yaml': { slos: [], errors: [] },
  'go-sdk/pkg/openslo/v1/examples/alert_notification_targets.yaml': { slos: [], errors: [] },
  'go-sdk/pkg/openslo/v1/examples/alert_policies.yaml': {
    slos: [],
    errors: [
      '16:23 conditionRef "cpu-usage-breach" names no AlertCondition in the files read',
      '66:23 conditionRef "cpu-usage-breach" names no AlertCondition in the files read',
    ],
  },
  'go-sdk/pkg/openslo/v1/examples/data_sources.yaml': { slos: [], errors: [] },
  'go-sdk/pkg/openslo/v1/examples/services.yaml': {
    slos: [],
    errors: ['24:11 Service "example-service" is defined twice (first at {dir}/services.yaml:10:11)'],
  },
  'go-sdk/pkg/openslo/v1/examples/slis.yaml': { slos: [], errors: [] },
  'go-sdk/pkg/openslo/v1/examples/slos.yaml': { slos: ['web-availability'], errors: [] },
  'spec/examples/budgeting-method/occurences-slo.yaml': { slos: ['search-slo'], errors: [] },
  'spec/examples/budgeting-method/ratio-timeslices.yaml': { slos: ['main-page'], errors: [] },
  'spec/examples/budgeting-method/timeslices-slo.yaml': {
    slos: ['service-availability-0', 'service-availability-1'],
    errors: [],
  },
  'spec/examples/treat-low-traffic-as-equally-important/timeslices-slo.yaml': {
    slos: ['service-availability'],
    errors: [],
  },
};

describe('every OpenSLO fixture loads or is rejected with a located reason', () => {
  it('covers every fixture', () => {
    expect(
      walk(OPENSLO)
        .map((file) => path.relative(OPENSLO, file))
        .sort(),
    ).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [name, outcome] of Object.entries(EXPECTED)) {
    it(`${name}: ${outcome.errors.length > 0 ? 'rejected' : `${outcome.slos.length} SLOs`}`, () => {
      const file = path.join(OPENSLO, name);
      const result = read(file);
      expect(errors(result).map((p) => `${p.location?.line}:${p.location?.column} ${p.message}`)).toEqual(
        outcome.errors.map((e) => e.replace('{dir}', path.dirname(file))),
      );
      expect(result.slos.map((slo) => slo.id)).toEqual(outcome.slos);
      for (const slo of result.slos) expect(SloSpec.safeParse(slo).success).toBe(true);
    });
  }

  it('resolves references across the go-sdk examples read together', () => {
    const files = readdirSync(EXAMPLES)
      .sort()
      .map((name) => path.join(EXAMPLES, name));
    const result = read(...files);
    // Only the duplicate Service remains wrong; the policies now find their condition.
    expect(errors(result).map((p) => p.message)).toEqual([
      'Service "example-service" is defined twice (first at ' +
        path.join(EXAMPLES, 'services.yaml') +
        ':10:11)',
    ]);
    expect(warnings(result).map((p) => p.message)).toEqual([
      'targetRef "on-call-mail-notification" names no AlertNotificationTarget in the files read',
      'targetRef "on-call-pd-notification" names no AlertNotificationTarget in the files read',
      'metricSourceRef "my-datadog" names no DataSource in the files read',
      'metricSourceRef "my-datadog" names no DataSource in the files read',
      'metricSourceRef "appdynamics" names no DataSource in the files read',
      'metricSourceRef "appdynamics" names no DataSource in the files read',
      'metricSourceRef "my-prometheus" names no DataSource in the files read',
    ]);
    expect(result.slos.map((slo) => slo.id)).toEqual(['web-availability']);
  });
});

describe('OpenSLO v1 mapping', () => {
  it('maps a Timeslices SLO with an inline indicator and a calendar window', () => {
    const [slo] = read(path.join(EXAMPLES, 'slos.yaml')).slos;
    expect(slo).toMatchObject({
      id: 'web-availability',
      name: 'web-availability',
      service: 'web',
      component: 'component:default/web',
      displayName: 'Good',
      objective: 99.5,
      budgetingMethod: 'Timeslices',
      timeSliceTarget: 0.95,
      timeSliceWindow: '1m',
      timeWindow: {
        type: 'calendar',
        duration: '1w',
        seconds: 604_800,
        startTime: '2022-01-01 12:00:00',
        timeZone: 'America/New_York',
      },
      labels: { env: 'prod', team: 'team-a,team-b' },
      sli: {
        type: 'ratio',
        counter: true,
        good: {
          sourceType: 'Prometheus',
          query: 'sum(http_requests{k8s_cluster="prod",component="web",code=~"2xx|4xx"})',
        },
      },
      alerting: { page: { disabled: true }, ticket: { disabled: true } },
      source: { format: 'openslo/v1', line: 1, column: 3 },
    });
  });

  it('maps a threshold SLI with the objective op and value', () => {
    const [slo] = read(path.join(SPEC, 'budgeting-method/occurences-slo.yaml')).slos;
    expect(slo).toMatchObject({
      objective: 99,
      budgetingMethod: 'Occurrences',
      timeWindow: { type: 'rolling', duration: '2w', seconds: 1_209_600 },
      sli: { type: 'threshold', op: 'lt', value: 500, metric: { sourceType: 'Any', query: 'Any' } },
    });
  });

  it('reads 1m as one minute (M is a month) and says so', () => {
    const result = read(path.join(SPEC, 'budgeting-method/timeslices-slo.yaml'));
    expect(result.slos[0]!.timeWindow).toMatchObject({ duration: '1m', seconds: 60 });
    expect(warnings(result)[0]).toMatchObject({
      message: 'time window 1m is 1 minute(s): in OpenSLO m is minutes and M is months',
      location: { line: 27, column: 17 },
    });
    expect(result.slos.map((slo) => slo.objective)).toEqual([99.5, 99]);
  });

  const base = (spec: string, extra = '') => `apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-availability
${extra}spec:
  service: checkout
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 28d
      isRolling: true
${spec}`;

  const sli = `  indicatorRef: checkout-requests
  objectives:
    - target: 0.999
`;
  const sliDoc = `---
apiVersion: openslo/v1
kind: SLI
metadata:
  name: checkout-requests
spec:
  ratioMetric:
    counter: true
    bad:
      metricSource:
        type: Prometheus
        spec:
          query: sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))
    total:
      metricSource:
        type: Prometheus
        spec:
          query: sum(rate(http_requests_total[{{.window}}]))
`;
  const readText = (text: string) => readSloSpecs([{ file: 'slo.yaml', text }]);

  it('resolves indicatorRef and alert policies into page and ticket alerts', () => {
    const text = `${base(`${sli}  alertPolicies:
    - alertPolicyRef: checkout-page
    - kind: AlertPolicy
      metadata: { name: checkout-ticket }
      spec:
        conditions:
          - kind: AlertCondition
            metadata: { name: slow-burn }
            spec: { severity: ticket, condition: { kind: burnrate, op: gt, threshold: 1, lookbackWindow: 3d } }
        notificationTargets:
          - targetRef: team-email
`)}${sliDoc}---
apiVersion: openslo/v1
kind: AlertPolicy
metadata: { name: checkout-page }
spec:
  description: Page the on-call
  conditions:
    - conditionRef: fast-burn
  notificationTargets:
    - targetRef: team-pager
---
apiVersion: openslo/v1
kind: AlertCondition
metadata: { name: fast-burn }
spec: { severity: page, condition: { kind: burnrate, op: gt, threshold: 14.4, lookbackWindow: 1h, alertAfter: 5m } }
---
apiVersion: openslo/v1
kind: AlertNotificationTarget
metadata: { name: team-pager }
spec: { target: pagerduty }
`;
    const result = readText(text);
    expect(errors(result)).toEqual([]);
    expect(warnings(result).map((p) => p.message)).toEqual([
      'targetRef "team-email" names no AlertNotificationTarget in the files read',
    ]);
    const [slo] = result.slos;
    expect(slo).toMatchObject({
      id: 'checkout-availability',
      objective: 99.9,
      sli: { type: 'ratio', bad: { sourceType: 'Prometheus' } },
      alerting: {
        page: { disabled: false, name: 'checkout-page', annotations: { description: 'Page the on-call' } },
        ticket: { disabled: false, name: 'checkout-ticket' },
      },
    });
    expect(slo!.alertPolicies[0]).toEqual({
      name: 'checkout-page',
      description: 'Page the on-call',
      alertWhenBreaching: false,
      alertWhenResolved: false,
      alertWhenNoData: false,
      conditions: [
        {
          name: 'fast-burn',
          severity: 'page',
          op: 'gt',
          threshold: 14.4,
          lookbackWindow: '1h',
          alertAfter: '5m',
        },
      ],
      notificationTargets: [{ name: 'team-pager', target: 'pagerduty' }],
    });
  });

  it('takes the component from the SLO or its Service annotation', () => {
    const service = `---
apiVersion: openslo/v1
kind: Service
metadata:
  name: checkout
  annotations:
    pave.dev/component: payments/checkout-api
`;
    const fromService = readText(`${base(sli)}${sliDoc}${service}`);
    expect(fromService.slos[0]).toMatchObject({
      component: 'component:payments/checkout-api',
      componentSource: 'annotation',
    });
    const fromSlo = readText(
      `${base(sli, '  annotations:\n    pave.dev/component: component:default/other\n')}${sliDoc}${service}`,
    );
    expect(fromSlo.slos[0]).toMatchObject({ component: 'component:default/other' });
  });

  it('rejects what the OpenSLO go-sdk rejects, each at its place', () => {
    const cases: [string, string, number][] = [
      [
        base(sli).replace('name: checkout-availability', 'name: Checkout_Availability'),
        'metadata.name "Checkout_Availability" must be an RFC 1123 DNS label (lower case a-z, 0-9 and -, at most 63)',
        4,
      ],
      [
        base(sli).replace('Occurrences', 'Weekly'),
        'budgetingMethod "Weekly" must be one of Occurrences, Timeslices, RatioTimeslices',
        7,
      ],
      [
        base(sli).replace('isRolling: true', 'isRolling: false'),
        "'calendar' must be set when 'isRolling' is false",
        9,
      ],
      [
        base(sli).replace('28d', '28x'),
        'duration "28x" is not an OpenSLO duration: write [0-9]+ and one of m h d w M Q Y',
        9,
      ],
      [
        base(sli).replace('target: 0.999', 'target: 99.9'),
        'target must be >0 and <1 (it is 99.9); write 0.999 for 99.9%',
        13,
      ],
      [
        base(sli).replace('target: 0.999', 'targetPercent: 99.9\n      target: 0.999'),
        'an objective has exactly one of target and targetPercent, not both',
        13,
      ],
      [base(sli).replace('Occurrences', 'Timeslices'), 'spec.objectives[0].timeSliceWindow is required', 13],
      [base(sli), 'indicatorRef "checkout-requests" names no SLI in the files read', 11],
    ];
    for (const [text, message, line] of cases) {
      const result = readText(
        text.includes('kind: SLI\n') || message.includes('names no SLI') ? text : `${text}${sliDoc}`,
      );
      expect(errors(result).map((p) => [p.message, p.location?.line])).toContainEqual([message, line]);
      expect(result.slos).toEqual([]);
    }
  });
});
