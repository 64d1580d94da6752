import { describe, expect, it } from 'vitest';
import { formatProblem, type Problem } from './errors.js';

const error = (location: Problem['location'], entityRef?: string): Problem => ({
  severity: 'error',
  message: 'bad',
  ...(location ? { location } : {}),
  ...(entityRef ? { entityRef } : {}),
});

describe('formatProblem: one format for every input', () => {
  it('puts file:line:col first, then the severity, then the place inside and the message', () => {
    expect(formatProblem(error({ file: 'pave.yaml', line: 3, column: 9 }))).toBe('pave.yaml:3:9: error: bad');
    expect(formatProblem(error({ file: 'spec.yaml', line: 1, column: 10, pointer: '/version' }))).toBe(
      'spec.yaml:1:10: error: /version: bad',
    );
    expect(formatProblem({ ...error({ file: 'a.yaml' }, 'component:default/x'), severity: 'warning' })).toBe(
      'a.yaml: warning: bad [component:default/x]',
    );
    expect(formatProblem(error(undefined))).toBe('error: bad');
  });

  it('shows an NDJSON line as a line, with the pointer into its event', () => {
    expect(formatProblem(error({ file: 'bad.ndjson', line: 2, column: 467 }))).toBe(
      'bad.ndjson:2:467: error: bad',
    );
    expect(
      formatProblem(error({ file: 'bad.ndjson', line: 3, pointer: '/subject/content/environment' })),
    ).toBe('bad.ndjson:3: error: /subject/content/environment: bad');
  });

  it('shows a CSV row as its file line (the header is line 1) and its pointer as the column', () => {
    expect(formatProblem(error({ file: 'inc.csv', row: 2, pointer: '/resolved_at' }))).toBe(
      'inc.csv:3: error: column resolved_at: bad',
    );
    expect(formatProblem(error({ file: 'inc.csv', row: 0 }))).toBe('inc.csv:1: error: bad');
  });

  it('shows a JSON pointer alone for a JSON document without lines', () => {
    expect(formatProblem(error({ file: 'request body', pointer: '/events/0/id' }))).toBe(
      'request body: error: /events/0/id: bad',
    );
    expect(formatProblem(error({ pointer: '/startedAt' }))).toBe('error: /startedAt: bad');
  });
});
