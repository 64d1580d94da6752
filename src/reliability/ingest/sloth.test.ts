import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../core/errors.js';
import { SloSpec } from '../model.js';
import { SLOTH, SLOTH_TESTDATA } from '../testing/slothCases.js';
import { readSloSpecs } from './readSloSpecs.js';

function read(...files: string[]) {
  return readSloSpecs(files.map((file) => ({ file, text: readFileSync(file, 'utf8') })));
}

function readText(text: string, file = 'spec.yaml') {
  return readSloSpecs([{ file, text }]);
}

const errors = (result: ReturnType<typeof read>) => result.problems.filter((p) => p.severity === 'error');

const GOOD = path.join(SLOTH_TESTDATA, 'validate/good');
const BAD = path.join(SLOTH_TESTDATA, 'validate/bad');
const DUPLICATES = path.join(SLOTH_TESTDATA, 'validate_with_duplicates');

describe('Sloth validate/good', () => {
  const expectedCounts: Record<string, number> = {
    'good-aa.yaml': 2,
    'good-ab.yaml': 2,
    'good-ba.yaml': 2,
    'good-k8s.yaml': 2,
    'good-multi-k8s.yaml': 4,
    'good-multi.yaml': 4,
    'good-openslo.yaml': 1,
  };

  it('holds the files this test knows', () => {
    expect(readdirSync(GOOD).sort()).toEqual(Object.keys(expectedCounts).sort());
  });

  for (const [name, count] of Object.entries(expectedCounts)) {
    it(`accepts ${name} with ${count} SLOs that fit the model`, () => {
      const result = read(path.join(GOOD, name));
      expect(errors(result)).toEqual([]);
      expect(result.slos).toHaveLength(count);
      for (const slo of result.slos) expect(SloSpec.safeParse(slo).success).toBe(true);
    });
  }

  it('warns, as Sloth silently ignores them, about camel-case alert keys in a prometheus/v1 spec', () => {
    const file = path.join(GOOD, 'good-aa.yaml');
    const result = read(file);
    expect(result.problems).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        message: 'unknown key pageAlert is ignored (Sloth prometheus/v1); did you mean page_alert?',
        location: expect.objectContaining({ file, line: 21, column: 7 }),
      }),
    );
    // Ignored as Sloth ignores it: the page alert keeps only the shared labels.
    expect(result.slos[0]!.alerting.page).toEqual({
      disabled: false,
      name: 'myServiceAlert',
      labels: { alert01k1: 'alert01v1' },
      annotations: { alert02k1: 'alert02k2' },
    });
  });

  it('maps a Sloth spec into the model', () => {
    const [slo1, slo2] = read(path.join(SLOTH_TESTDATA, 'in-base.yaml')).slos;
    expect(slo1).toMatchObject({
      id: 'svc01-slo1',
      name: 'slo1',
      service: 'svc01',
      component: 'component:default/svc01',
      componentSource: 'service',
      objective: 99.9,
      budgetingMethod: 'Occurrences',
      labels: { global01k1: 'global01v1', global02k1: 'global02v1' },
      sli: { type: 'ratio', bad: { sourceType: 'prometheus' }, total: { sourceType: 'prometheus' } },
      alerting: {
        page: {
          disabled: false,
          name: 'myServiceAlert',
          labels: { alert01k1: 'alert01v1', alert03k1: 'alert03v1' },
        },
        ticket: {
          disabled: false,
          name: 'myServiceAlert',
          labels: { alert01k1: 'alert01v1', alert04k1: 'alert04v1' },
        },
      },
      source: { format: 'sloth/prometheus/v1', document: 0, line: 6, column: 5 },
    });
    expect(slo1!.timeWindow).toBeUndefined();
    expect(slo2).toMatchObject({ id: 'svc01-slo02', sli: { type: 'raw', rawType: 'failure' } });
    expect(slo2!.alerting.page.disabled && slo2!.alerting.ticket.disabled).toBe(true);
  });

  it("maps Sloth's openslo/v1alpha input as Sloth does: one SLO per objective, id suffixed with its index", () => {
    const [slo] = read(path.join(SLOTH_TESTDATA, 'in-openslo.yaml')).slos;
    expect(slo).toMatchObject({
      id: 'svc01-slo1-0',
      name: 'slo1-0',
      service: 'svc01',
      objective: 99.9,
      timeWindow: { type: 'rolling', duration: '30d', seconds: 2_592_000 },
      sli: { type: 'ratio', good: { sourceType: 'prometheus' } },
      source: { format: 'sloth/openslo/v1alpha' },
    });
  });

  it('keeps the Kubernetes metadata for the PrometheusRule output', () => {
    const result = read(path.join(SLOTH, 'examples/k8s-home-wifi.yml'));
    expect(result.slos[0]!.source).toMatchObject({
      format: 'sloth/kubernetes/v1',
      kubernetes: {
        name: 'sloth-slo-home-wifi',
        namespace: 'monitoring',
        labels: { app: 'sloth', role: 'alert-rules' },
      },
    });
  });
});

describe('Sloth validate/bad', () => {
  const expected: Record<string, { line: number; column: number; message: string }> = {
    'bad-aa.yaml': { line: 28, column: 16, message: 'objective must be >0 and <=100 (it is 101)' },
    'bad-ab.yaml': { line: 28, column: 16, message: 'objective must be >0 and <=100 (it is 101)' },
    'bad-ba.yaml': { line: 28, column: 16, message: 'objective must be >0 and <=100 (it is 101)' },
    'bad-k8s.yaml': { line: 7, column: 12, message: 'spec.service is required' },
    'bad-multi-k8s.yaml': {
      line: 22,
      column: 15,
      message:
        'invalid alert: alert name is required: pageAlert and ticketAlert are enabled (set pageAlert.disable: true and ticketAlert.disable: true to turn them off)',
    },
    'bad-multi.yaml': {
      line: 77,
      column: 10,
      message: 'invalid SLI: at least one SLI type is required (events, raw or plugin)',
    },
    'bad-openslo.yaml': {
      line: 22,
      column: 14,
      message:
        'invalid SLO time windows: only 30 day time window is supported (it is 28); write other windows as openslo/v1',
    },
  };

  it('holds the files this test knows', () => {
    expect(readdirSync(BAD).sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [name, problem] of Object.entries(expected)) {
    it(`rejects ${name} at ${problem.line}:${problem.column}`, () => {
      const file = path.join(BAD, name);
      const result = read(file);
      expect(errors(result)).toEqual([
        expect.objectContaining({
          message: problem.message,
          location: expect.objectContaining({ file, line: problem.line, column: problem.column }),
        }),
      ]);
      // The document with the error contributes no SLO.
      const goodTwin = read(path.join(GOOD, name.replace('bad-', 'good-')));
      expect(result.slos.length).toBeLessThan(goodTwin.slos.length);
    });
  }

  it('formats a problem as file:line:col', () => {
    const file = path.join(BAD, 'bad-aa.yaml');
    expect(formatProblem(errors(read(file))[0]!)).toBe(
      `${file}:28:16: error: /slos/1/objective: objective must be >0 and <=100 (it is 101) [SLO svc01-slo02]`,
    );
  });
});

describe('Sloth validate_with_duplicates', () => {
  for (const kind of ['prom', 'k8s', 'openslo']) {
    it(`rejects the ${kind} duplicate SLO ids across files`, () => {
      const dir = path.join(DUPLICATES, kind);
      const files = readdirSync(dir)
        .sort()
        .map((name) => path.join(dir, name));
      // Each file alone is valid.
      for (const file of files) expect(errors(read(file))).toEqual([]);
      const together = read(...files);
      const duplicated = errors(together);
      expect(duplicated.length).toBeGreaterThan(0);
      for (const problem of duplicated) {
        expect(problem.message).toMatch(
          /^SLO duplicated: SLO\{service=svc01, name=\S+\} ID=\S+ already exists at .+:\d+:\d+$/,
        );
        expect(problem.location?.line).toBeGreaterThan(0);
      }
      expect(new Set(together.slos.map((slo) => slo.id)).size).toBe(together.slos.length);
    });
  }

  it('rejects duplicates within one multi-document file', () => {
    const file = path.join(DUPLICATES, 'bad-prom-multi-duplicates.yaml');
    const result = read(file);
    expect(errors(result).map((p) => [p.location?.line, p.entityRef])).toEqual([
      [51, 'SLO svc01-slo1'],
      [72, 'SLO svc01-slo02'],
    ]);
  });
});

describe('Sloth rules Pave checks on its own', () => {
  const spec = (sli: string, extra = '') => `version: prometheus/v1
service: svc
${extra}slos:
  - name: slo
    objective: 99
    sli:
${sli}
    alerting:
      page_alert: { disable: true }
      ticket_alert: { disable: true }
`;

  it('rejects an SLI plugin: Pave cannot run Go plugins', () => {
    const result = read(path.join(SLOTH_TESTDATA, 'in-sli-plugin.yaml'));
    expect(errors(result)[0]!.message).toContain('Pave does not run SLI plugins');
    expect(result.slos).toEqual([]);
  });

  it('warns that SLO plugins beyond the core ones are not run', () => {
    const result = read(path.join(SLOTH_TESTDATA, 'in-slo-plugin.yaml'));
    expect(errors(result)).toEqual([]);
    expect(
      result.problems.filter((p) => p.message.includes('"integration-tests/plugin1" is not run by Pave')),
    ).toHaveLength(4);
  });

  it('needs {{.window}} in every query, as Sloth does', () => {
    const result = readText(
      spec(
        '      events:\n        error_query: sum(rate(a[5m]))\n        total_query: sum(rate(b[{{ .window }}]))',
      ),
    );
    expect(errors(result)).toEqual([
      expect.objectContaining({
        message: 'invalid SLI: sli error query template must contain the {{ .window }} variable',
        location: expect.objectContaining({ line: 8, column: 22 }),
      }),
    ]);
  });

  it('rejects the same error and total query', () => {
    const q = 'sum(rate(a[{{.window}}]))';
    const result = readText(spec(`      events:\n        error_query: ${q}\n        total_query: ${q}`));
    expect(errors(result)[0]!.message).toBe("invalid SLI: both error and total queries can't be the same");
  });

  it('rejects unbalanced brackets and template actions other than {{.window}}', () => {
    const unbalanced = readText(spec('      raw:\n        error_ratio_query: sum(rate(a[{{.window}}])'));
    expect(errors(unbalanced)[0]!.message).toBe('invalid SLI: sli raw query expression: unclosed (');
    const action = readText(
      spec('      raw:\n        error_ratio_query: sum(rate(a{x="{{.job}}"}[{{.window}}]))'),
    );
    expect(errors(action)[0]!.message).toContain('template action {{.job}} is not supported');
  });

  it('rejects two SLI types and bad names and labels', () => {
    const two = readText(
      spec(
        '      raw: { error_ratio_query: "a[{{.window}}]" }\n      events: { error_query: "b[{{.window}}]", total_query: "c[{{.window}}]" }',
      ),
    );
    expect(errors(two)[0]!.message).toBe('invalid SLI: only one SLI type is allowed, found events and raw');
    const labels = readText(
      spec('      raw: { error_ratio_query: "a[{{.window}}]" }', 'labels:\n  __name__: x\n  empty: ""\n'),
    );
    expect(errors(labels).map((p) => p.message)).toEqual([
      'invalid SLO label key "__name__"',
      'invalid SLO label value for "empty": the label value is required',
    ]);
    const badName = readText(
      spec('      raw: { error_ratio_query: "a[{{.window}}]" }').replace('name: slo', 'name: -slo'),
    );
    expect(errors(badName)[0]!.message).toContain('invalid SLO name "-slo"');
  });

  it('reads label values as their source text, as Sloth does (0.2, true)', () => {
    const [slo] = read(path.join(SLOTH, 'examples/victoria-metrics.yml')).slos;
    expect(slo!.labels).toMatchObject({ generated: 'true', actual_le: '0.2' });
    expect(slo!.alerting.page.labels).toMatchObject({ objective: '90', objective_reversed: '10' });
  });

  it('takes the component from pave.dev/component, else from the service name', () => {
    const annotated = readText(
      spec(
        '      raw: { error_ratio_query: "a[{{.window}}]" }',
        'annotations:\n  pave.dev/component: component:payments/checkout\n',
      ),
    );
    expect(annotated.slos[0]).toMatchObject({
      component: 'component:payments/checkout',
      componentSource: 'annotation',
    });
    const wrongKind = readText(
      spec(
        '      raw: { error_ratio_query: "a[{{.window}}]" }',
        'annotations:\n  pave.dev/component: group:default/x\n',
      ),
    );
    expect(errors(wrongKind)[0]!.message).toBe(
      'pave.dev/component must name a Component, not a group ("group:default/x")',
    );
  });

  it('reports YAML syntax errors with their position and unknown spec types', () => {
    const broken = readText('version: prometheus/v1\nslos: [\n', 'broken.yaml');
    expect(errors(broken)[0]).toMatchObject({ location: { file: 'broken.yaml', line: 3 } });
    expect(errors(broken)[0]!.message).toMatch(/^YAML: /);
    const unknown = readText('apiVersion: v1\nkind: ConfigMap\n');
    expect(errors(unknown)[0]!.message).toMatch(/^unknown spec type v1 ConfigMap/);
    const windows = readText(readFileSync(path.join(SLOTH, 'examples/windows/7d.yaml'), 'utf8'));
    expect(errors(windows)[0]!.message).toContain('pass it with --windows');
  });
});
