import { describe, expect, it } from 'vitest';
import type { PaveError } from './errors.js';
import { parseWindowBound, reportWindow } from './reportWindow.js';

const iso = (window: { from: Date; to: Date }) => [window.from.toISOString(), window.to.toISOString()];

describe('reportWindow', () => {
  it('includes a day given as --to and excludes a timestamp', () => {
    expect(iso(reportWindow({ from: '2024-05-01', to: '2024-05-31' }))).toEqual([
      '2024-05-01T00:00:00.000Z',
      '2024-06-01T00:00:00.000Z',
    ]);
    expect(iso(reportWindow({ from: '2024-05-01', to: '2024-05-31T12:00:00Z' }))).toEqual([
      '2024-05-01T00:00:00.000Z',
      '2024-05-31T12:00:00.000Z',
    ]);
  });

  it('reads days at midnight in the report time zone, across a DST change', () => {
    // Paris is UTC+1 in March until the 31st, UTC+2 from then on.
    expect(iso(reportWindow({ from: '2024-03-01', to: '2024-03-31', timezone: 'Europe/Paris' }))).toEqual([
      '2024-02-29T23:00:00.000Z',
      '2024-03-31T22:00:00.000Z',
    ]);
  });

  it('defaults to the 90 days up to now', () => {
    const now = new Date('2026-11-22T10:00:00Z');
    expect(iso(reportWindow({}, now))).toEqual(['2026-08-24T10:00:00.000Z', '2026-11-22T10:00:00.000Z']);
  });

  it('rejects impossible days, zone-less times and an empty window, naming the parameter', () => {
    const failure = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return error as PaveError;
      }
      throw new Error('expected an error');
    };
    const february = failure(() => parseWindowBound('2023-02-29', 'to', 'UTC'));
    expect(february.message).toBe('--to "2023-02-29" is not a real day');
    expect(february.problems[0]?.location).toEqual({ pointer: '/to' });
    expect(failure(() => parseWindowBound('2024-05-01T12:00:00', 'from', 'UTC')).message).toContain(
      '--from "2024-05-01T12:00:00" is not a day (2024-03-01) or an RFC 3339 timestamp with a time zone',
    );
    expect(failure(() => reportWindow({ from: '2024-05-02', to: '2024-05-01' })).message).toBe(
      '--from (2024-05-02T00:00:00.000Z) must be before --to (2024-05-02T00:00:00.000Z)',
    );
  });
});
