import { describe, expect, it } from 'vitest';
import type { SloTimeWindow } from '../model.js';
import { DEFAULT_SLO_WINDOW, sloTimeWindow, windowBounds, zonedToUtc } from './sloWindow.js';

const iso = (date: Date) => date.toISOString();

function calendar(duration: string, startTime: string, timeZone: string, seconds = 86_400): SloTimeWindow {
  return { type: 'calendar', duration, seconds, startTime, timeZone };
}

describe('windowBounds', () => {
  it('rolls back the window length from the instant', () => {
    const at = new Date('2026-03-10T12:00:00Z');
    const bounds = windowBounds({ type: 'rolling', duration: '30d', seconds: 30 * 86_400 }, at);
    expect(iso(bounds.from)).toBe('2026-02-08T12:00:00.000Z');
    expect(bounds.to).toBe(at);
    expect(bounds.end).toBe(at);
    expect(bounds.lengthSeconds).toBe(2_592_000);
  });

  it("gives Sloth specs Sloth's default 30-day period", () => {
    expect(sloTimeWindow({})).toEqual(DEFAULT_SLO_WINDOW);
  });

  it('counts calendar weeks from the start time in its time zone (the OpenSLO example)', () => {
    // 2022-01-01 12:00 in New York is 17:00 UTC; a week later is 2022-01-08 17:00 UTC.
    const window = calendar('1w', '2022-01-01 12:00:00', 'America/New_York', 7 * 86_400);
    const bounds = windowBounds(window, new Date('2022-01-10T09:00:00Z'));
    expect(iso(bounds.from)).toBe('2022-01-08T17:00:00.000Z');
    expect(iso(bounds.end)).toBe('2022-01-15T17:00:00.000Z');
    // Just before the next period starts, still the same period; at its start, the next.
    expect(iso(windowBounds(window, new Date('2022-01-15T16:59:59Z')).from)).toBe('2022-01-08T17:00:00.000Z');
    expect(iso(windowBounds(window, new Date('2022-01-15T17:00:00Z')).from)).toBe('2022-01-15T17:00:00.000Z');
  });

  it('keeps local noon across a DST change: that week is an hour shorter', () => {
    // US DST starts on 2022-03-13: noon is 17:00 UTC before and 16:00 UTC after.
    const window = calendar('1w', '2022-01-01 12:00:00', 'America/New_York', 7 * 86_400);
    const bounds = windowBounds(window, new Date('2022-03-15T00:00:00Z'));
    expect(iso(bounds.from)).toBe('2022-03-12T17:00:00.000Z');
    expect(iso(bounds.end)).toBe('2022-03-19T16:00:00.000Z');
    expect(bounds.lengthSeconds).toBe(7 * 86_400 - 3600);
  });

  it('counts calendar months, with the last day for shorter months', () => {
    const window = calendar('1M', '2024-01-31 00:00:00', 'UTC', 30 * 86_400);
    const feb = windowBounds(window, new Date('2024-03-01T00:00:00Z'));
    expect(iso(feb.from)).toBe('2024-02-29T00:00:00.000Z');
    expect(iso(feb.end)).toBe('2024-03-31T00:00:00.000Z');
    const jan = windowBounds(window, new Date('2024-02-10T00:00:00Z'));
    expect(iso(jan.from)).toBe('2024-01-31T00:00:00.000Z');
    expect(jan.lengthSeconds).toBe(29 * 86_400);
  });

  it('counts quarters and works before the start time too', () => {
    const window = calendar('1Q', '2025-01-01 00:00:00', 'Europe/Berlin', 90 * 86_400);
    const q2 = windowBounds(window, new Date('2025-05-20T10:00:00Z'));
    expect(iso(q2.from)).toBe('2025-03-31T22:00:00.000Z');
    expect(iso(q2.end)).toBe('2025-06-30T22:00:00.000Z');
    const before = windowBounds(window, new Date('2024-12-01T00:00:00Z'));
    expect(iso(before.from)).toBe('2024-09-30T22:00:00.000Z');
  });

  it('steps hours as fixed lengths', () => {
    const window = calendar('6h', '2025-01-01 00:00:00', 'UTC', 6 * 3600);
    const bounds = windowBounds(window, new Date('2025-01-02T13:30:00Z'));
    expect(iso(bounds.from)).toBe('2025-01-02T12:00:00.000Z');
    expect(iso(bounds.end)).toBe('2025-01-02T18:00:00.000Z');
  });
});

describe('zonedToUtc', () => {
  it('moves a time skipped by DST forward and takes the first of a repeated time', () => {
    const skipped = { year: 2022, month: 3, day: 13, hour: 2, minute: 30, second: 0 };
    expect(new Date(zonedToUtc(skipped, 'America/New_York')).toISOString()).toBe('2022-03-13T07:30:00.000Z');
    const repeated = { year: 2022, month: 11, day: 6, hour: 1, minute: 30, second: 0 };
    expect(new Date(zonedToUtc(repeated, 'America/New_York')).toISOString()).toBe('2022-11-06T05:30:00.000Z');
  });
});
