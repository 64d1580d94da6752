import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SLOTH } from '../testing/slothCases.js';
import {
  burnRateFactor,
  DEFAULT_WINDOWS,
  mwmbAlerts,
  parseAlertWindows,
  windowsForPeriod,
} from './alertWindows.js';
import { formatGoFloat } from './goFormat.js';

const DAY = 86_400;
const factors = (windows: Parameters<typeof mwmbAlerts>[0]) =>
  Object.values(mwmbAlerts(windows)).map((alert) => formatGoFloat(alert.burnRateFactor));

describe('burn-rate factors', () => {
  it('are the SRE Workbook factors for 30 days: 14.4, 6, 3 and 1', () => {
    expect(factors(windowsForPeriod(30 * DAY, DEFAULT_WINDOWS).windows)).toEqual(['14.4', '6', '3', '1']);
  });

  it("are Sloth's for 28 days, to the last bit", () => {
    expect(factors(windowsForPeriod(28 * DAY, DEFAULT_WINDOWS).windows)).toEqual([
      '13.44',
      '5.6000000000000005',
      '2.8000000000000003',
      '0.9333333333333333',
    ]);
  });

  it('scale the Workbook windows to a period without a catalog entry', () => {
    const { windows, scaled } = windowsForPeriod(14 * DAY, DEFAULT_WINDOWS);
    expect(scaled).toBe(true);
    expect(windows.pageQuick).toEqual({ errorBudgetPercent: 2, shortWindow: 300, longWindow: 3600 });
    expect(burnRateFactor(14 * DAY, 2, 3600)).toBeCloseTo(6.72, 12);
  });
});

describe('Sloth AlertWindows files', () => {
  it("reads Sloth's 7d windows and gives its factors", () => {
    const file = path.join(SLOTH, 'test/integration/prometheus/windows/7d.yaml');
    const { windows, problems } = parseAlertWindows(readFileSync(file, 'utf8'), file);
    expect(problems).toEqual([]);
    expect(windows).toMatchObject({
      sloPeriod: 7 * DAY,
      ticketSlow: { errorBudgetPercent: 42, shortWindow: 6 * 3600, longWindow: 72 * 3600 },
    });
    expect(factors(windows!)).toEqual(['13.44', '3.5', '1.4000000000000001', '0.98']);
    expect(windowsForPeriod(7 * DAY, [...DEFAULT_WINDOWS, windows!])).toEqual({ windows, scaled: false });
  });

  it('rejects what cannot be windows, with locations', () => {
    const file = path.join(SLOTH, 'examples/windows/custom-30d.yaml');
    const text = readFileSync(file, 'utf8');
    const broken = text
      .replace('shortWindow: 2m', 'shortWindow: 2 minutes')
      .replace('longWindow: 12h', 'longWindow: 30m');
    const { windows, problems } = parseAlertWindows(broken, 'w.yaml');
    expect(windows).toBeUndefined();
    expect(problems.map((p) => [p.message, p.location?.line])).toEqual([
      ['"2 minutes" is not a duration; write it like 30d, 6h, 1h30m or 5m', 8],
      ['shortWindow 1h must be shorter than longWindow 30m', 17],
    ]);
    expect(parseAlertWindows('kind: SLO\n', 'x.yaml').problems[0]!.message).toContain(
      'not a Sloth AlertWindows file',
    );
  });
});
