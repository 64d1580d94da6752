import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { RulesDocument } from './ruleTypes.js';
import { writeRulesYaml } from './writeRulesYaml.js';

const awkward = [
  'true',
  'No',
  '1.5',
  '0x1F',
  '1:30',
  '2024-01-01',
  '',
  ' leading space',
  'a: b',
  '#not a comment',
  '{{$labels.sloth_service}} burns',
  'ünïcødé',
  'tab\tinside',
  'multi\nline\n',
  'no trailing newline\nhere',
  '  indented first line\nsecond\n',
  '\n  indented after an empty line\n',
  'only spaces\n   \nline\n',
  'two trailing\n\n',
  'carriage\r\nreturn',
  'bell\u0007',
  'slo:sli_error:ratio_rate5m',
  'ends with colon:',
  '-dash',
];

describe('writeRulesYaml', () => {
  it('writes values that YAML reads back exactly', () => {
    const documents: RulesDocument[] = [
      {
        kind: 'rules',
        groups: [
          {
            name: 'g',
            rules: awkward.map((value, i) => ({
              record: `r${i}`,
              expr: value,
              labels: { value, 'weird key': value },
              annotations: { value },
            })),
          },
        ],
      },
      {
        kind: 'PrometheusRule',
        metadata: {
          name: 'x',
          namespace: 'ns',
          labels: { 'app.kubernetes.io/component': 'SLO' },
          annotations: {},
        },
        groups: [{ name: 'empty', rules: [] }],
      },
    ];
    const docs = parseAllDocuments(writeRulesYaml(documents, ['header line']));
    expect(docs.map((doc) => doc.errors)).toEqual([[], []]);
    const [rules, operator] = docs.map((doc) => doc.toJS());
    expect(rules.groups[0].rules).toEqual(
      awkward.map((value, i) => ({
        record: `r${i}`,
        expr: value,
        labels: { value, 'weird key': value },
        annotations: { value },
      })),
    );
    expect(operator).toEqual({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'x', namespace: 'ns', labels: { 'app.kubernetes.io/component': 'SLO' } },
      spec: { groups: [{ name: 'empty', rules: [] }] },
    });
  });

  it('writes multi-line expressions as literal blocks and sorts labels', () => {
    const text = writeRulesYaml([
      {
        kind: 'rules',
        groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'a\n/\nb\n', labels: { z: '1x', a: 'b' } }] }],
      },
    ]);
    expect(text).toBe(
      '---\ngroups:\n- name: g\n  rules:\n  - alert: A\n    expr: |\n      a\n      /\n      b\n    labels:\n      a: b\n      z: 1x\n',
    );
  });
});
