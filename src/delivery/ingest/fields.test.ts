import { describe, expect, it } from 'vitest';
import { parseTimestamp } from '../../core/timestamp.js';
import { normaliseSha } from './fields.js';
import { locateJsonError, parseJsonText } from './jsonText.js';

describe('parseTimestamp', () => {
  it('reads RFC 3339 and GitLab timestamps into UTC', () => {
    const cases: [string, string | undefined][] = [
      ['2024-05-01T12:00:00.000Z', '2024-05-01T12:00:00.000Z'],
      ['2023-03-20T14:27:05.315384Z', '2023-03-20T14:27:05.315Z'],
      ['2024-05-01T12:00:00Z', '2024-05-01T12:00:00.000Z'],
      ['2024-05-01t12:00:00z', '2024-05-01T12:00:00.000Z'],
      ['2024-05-01T14:00:00+02:00', '2024-05-01T12:00:00.000Z'],
      ['2024-05-01T08:30:00-03:30', '2024-05-01T12:00:00.000Z'],
      ['2021-04-28 21:50:00 +0200', '2021-04-28T19:50:00.000Z'],
      ['2016-08-12 15:23:28 UTC', '2016-08-12T15:23:28.000Z'],
      ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
      ['2023-02-29T00:00:00Z', undefined],
      ['2023-02-30T00:00:00.000Z', undefined],
      ['2024-13-01T00:00:00Z', undefined],
      ['2024-05-01T25:00:00Z', undefined],
      ['2024-05-01', undefined],
      ['yesterday', undefined],
    ];
    for (const [text, expected] of cases) expect([text, parseTimestamp(text)]).toEqual([text, expected]);
    expect(parseTimestamp(1714564800)).toBeUndefined();
  });

  it('reads a zone-less time as UTC unless a zone is required', () => {
    expect(parseTimestamp('2024-05-01T12:00:00')).toBe('2024-05-01T12:00:00.000Z');
    expect(parseTimestamp('2024-05-01T12:00:00', { requireZone: true })).toBeUndefined();
  });
});

describe('normaliseSha', () => {
  it('accepts 7 to 64 hex digits, lower-cased', () => {
    expect(normaliseSha('ABCDEF1')).toBe('abcdef1');
    expect(normaliseSha('abcdef')).toBeUndefined();
    expect(normaliseSha('g'.repeat(40))).toBeUndefined();
    expect(normaliseSha(42)).toBeUndefined();
  });
});

describe('JSON syntax errors', () => {
  it('are located by line and column', () => {
    const cases: [string, string, number, number][] = [
      ['{"a": 1,}', "unexpected '}': expected a double-quoted property name", 1, 9],
      ['{\n  "a" 1\n}', "unexpected '1': expected ':'", 2, 7],
      ['[1, 2', "unexpected end of input: expected ',' or ']'", 1, 6],
      ['{"a": "x\ny"}', 'control character in a string', 1, 9],
      ['{"a": tru}', "unexpected 't': expected a JSON value", 1, 7],
      ['{} {}', 'unexpected text after the JSON value', 1, 4],
      ['"\\q"', 'invalid escape', 1, 2],
      ['  ', 'empty input: expected a JSON value', 1, 3],
    ];
    for (const [text, message, line, column] of cases) {
      const parsed = parseJsonText(text);
      expect(parsed.ok).toBe(false);
      expect(locateJsonError(text)).toMatchObject({ message, line, column });
    }
  });

  it('does not overflow on deep nesting', () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(19_999)}`;
    expect(locateJsonError(deep)).toMatchObject({ message: 'nested deeper than 1000 levels', column: 1002 });
  });
});
