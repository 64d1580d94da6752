/**
 * Multi-window multi-burn-rate alert windows (SRE Workbook ch. 5 "Alerting on SLOs", table 5-8)
 * and Sloth's `AlertWindows` files that tune them per SLO period.
 */
import { formatDuration, parseDuration } from '../../core/duration.js';
import type { Problem } from '../../core/errors.js';
import { FieldReader } from '../ingest/fieldReader.js';
import { YamlFile, type YamlPath } from '../ingest/yamlFile.js';
import { goHours } from './goFormat.js';

/** One window pair: alert when `errorBudgetPercent` of the period's budget burns within `longWindow`. */
export interface AlertWindow {
  errorBudgetPercent: number;
  /** Seconds. The short window stops the alert soon after the burn stops. */
  shortWindow: number;
  /** Seconds. */
  longWindow: number;
}

/** The four window pairs for one SLO period, as in a Sloth `AlertWindows` spec. */
export interface AlertWindows {
  /** Seconds. */
  sloPeriod: number;
  pageQuick: AlertWindow;
  pageSlow: AlertWindow;
  ticketQuick: AlertWindow;
  ticketSlow: AlertWindow;
  /** Where they come from: a file name, or `SRE Workbook`. */
  source: string;
}

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;

/**
 * The SRE Workbook's recommended windows (2% of the budget in 1h, 5% in 6h, 10% in 1d and 3d) for
 * `sloPeriod`; Sloth ships them for 30d and 28d (`internal/alert/windows/google-{30,28}d.yaml`).
 */
export function workbookWindows(sloPeriod: number): AlertWindows {
  return {
    sloPeriod,
    pageQuick: { errorBudgetPercent: 2, shortWindow: 5 * MINUTE, longWindow: HOUR },
    pageSlow: { errorBudgetPercent: 5, shortWindow: 30 * MINUTE, longWindow: 6 * HOUR },
    ticketQuick: { errorBudgetPercent: 10, shortWindow: 2 * HOUR, longWindow: DAY },
    ticketSlow: { errorBudgetPercent: 10, shortWindow: 6 * HOUR, longWindow: 3 * DAY },
    source: 'SRE Workbook',
  };
}

/** The catalog Pave starts with: Sloth's defaults, for 30-day and 28-day periods. */
export const DEFAULT_WINDOWS: readonly AlertWindows[] = [
  workbookWindows(30 * DAY),
  workbookWindows(28 * DAY),
];

/**
 * The burn rate that spends `errorBudgetPercent` of a `period`'s budget in `window`, computed in
 * Sloth's order (`internal/alert/window.go` `getBurnRateFactor`) so factors match to the last bit:
 * 2% of 30d in 1h is 14.4; 10% of 28d in 1d is 2.8000000000000003.
 */
export function burnRateFactor(period: number, errorBudgetPercent: number, window: number): number {
  const hoursRequiredConsumption = (errorBudgetPercent * goHours(period)) / 100;
  return hoursRequiredConsumption / goHours(window);
}

/** The windows for `period`: from `catalog` (later entries win), or the Workbook's scaled to it. */
export function windowsForPeriod(
  period: number,
  catalog: readonly AlertWindows[],
): { windows: AlertWindows; scaled: boolean } {
  for (let i = catalog.length - 1; i >= 0; i--) {
    if (catalog[i]!.sloPeriod === period) return { windows: catalog[i]!, scaled: false };
  }
  return { windows: workbookWindows(period), scaled: true };
}

/** One of the four alerts of an SLO with its burn-rate factor. */
export interface MwmbAlert {
  severity: 'page' | 'ticket';
  shortWindow: number;
  longWindow: number;
  burnRateFactor: number;
}

/** The four alerts, quick and slow, page and ticket (Sloth `MWMBAlertGroup`). */
export interface MwmbAlerts {
  pageQuick: MwmbAlert;
  pageSlow: MwmbAlert;
  ticketQuick: MwmbAlert;
  ticketSlow: MwmbAlert;
}

export function mwmbAlerts(windows: AlertWindows): MwmbAlerts {
  const alert = (severity: 'page' | 'ticket', window: AlertWindow): MwmbAlert => ({
    severity,
    shortWindow: window.shortWindow,
    longWindow: window.longWindow,
    burnRateFactor: burnRateFactor(windows.sloPeriod, window.errorBudgetPercent, window.longWindow),
  });
  return {
    pageQuick: alert('page', windows.pageQuick),
    pageSlow: alert('page', windows.pageSlow),
    ticketQuick: alert('ticket', windows.ticketQuick),
    ticketSlow: alert('ticket', windows.ticketSlow),
  };
}

/** The distinct windows of the alerts, shortest first (Sloth `TimeDurationWindows`). */
export function alertWindowList(alerts: MwmbAlerts): number[] {
  const all = [alerts.pageQuick, alerts.pageSlow, alerts.ticketQuick, alerts.ticketSlow].flatMap((a) => [
    a.shortWindow,
    a.longWindow,
  ]);
  return [...new Set(all)].sort((a, b) => a - b);
}

/**
 * Reads a Sloth `AlertWindows` file (`apiVersion: sloth.slok.dev/v1`, `kind: AlertWindows`,
 * `spec.sloPeriod` and `spec.{page,ticket}.{quick,slow}.{errorBudgetPercent,shortWindow,longWindow}`).
 */
export function parseAlertWindows(
  text: string,
  file: string,
): { windows?: AlertWindows; problems: Problem[] } {
  const yaml = new YamlFile(file, text);
  const problems = [...yaml.problems];
  const doc = yaml.documents[0];
  if (!doc) {
    if (problems.length === 0)
      problems.push({ severity: 'error', message: 'the windows file is empty', location: { file } });
    return { problems };
  }
  const reader = new FieldReader(yaml, doc, problems);
  const apiVersion = reader.string(['apiVersion']);
  const kind = reader.string(['kind']);
  if (apiVersion !== 'sloth.slok.dev/v1' || kind !== 'AlertWindows') {
    reader.error(
      ['kind'],
      `not a Sloth AlertWindows file: expected apiVersion sloth.slok.dev/v1 and kind AlertWindows`,
    );
    return { problems };
  }
  reader.unknownKeys(['spec'], ['sloPeriod', 'page', 'ticket'], 'Sloth AlertWindows');
  const sloPeriod = readDuration(reader, ['spec', 'sloPeriod']);
  const window = (severity: 'page' | 'ticket', speed: 'quick' | 'slow'): AlertWindow | undefined => {
    const path = ['spec', severity, speed];
    reader.map(path, { required: true });
    reader.unknownKeys(path, ['errorBudgetPercent', 'shortWindow', 'longWindow'], 'Sloth AlertWindows');
    const percent = reader.number([...path, 'errorBudgetPercent'], { required: true });
    const shortWindow = readDuration(reader, [...path, 'shortWindow']);
    const longWindow = readDuration(reader, [...path, 'longWindow']);
    if (percent !== undefined && !(percent > 0 && percent <= 100)) {
      reader.error(
        [...path, 'errorBudgetPercent'],
        `errorBudgetPercent must be >0 and <=100 (it is ${percent})`,
      );
    }
    if (shortWindow !== undefined && longWindow !== undefined && shortWindow >= longWindow) {
      reader.error(
        [...path, 'shortWindow'],
        `shortWindow ${formatDuration(shortWindow)} must be shorter than longWindow ${formatDuration(longWindow)}`,
      );
    }
    if (sloPeriod !== undefined && longWindow !== undefined && longWindow >= sloPeriod) {
      reader.error(
        [...path, 'longWindow'],
        `longWindow ${formatDuration(longWindow)} must be shorter than sloPeriod ${formatDuration(sloPeriod)}`,
      );
    }
    if (percent === undefined || shortWindow === undefined || longWindow === undefined) return undefined;
    return { errorBudgetPercent: percent, shortWindow, longWindow };
  };
  const pageQuick = window('page', 'quick');
  const pageSlow = window('page', 'slow');
  const ticketQuick = window('ticket', 'quick');
  const ticketSlow = window('ticket', 'slow');
  if (reader.errorCount > 0 || !sloPeriod || !pageQuick || !pageSlow || !ticketQuick || !ticketSlow)
    return { problems };
  return { windows: { sloPeriod, pageQuick, pageSlow, ticketQuick, ticketSlow, source: file }, problems };
}

function readDuration(reader: FieldReader, path: YamlPath): number | undefined {
  const text = reader.string(path, { required: true });
  if (text === undefined) return undefined;
  try {
    const seconds = parseDuration(text);
    if (seconds > 0) return seconds;
    reader.error(path, `${String(path[path.length - 1])} must be longer than zero`);
  } catch (error) {
    reader.error(path, (error as Error).message);
  }
  return undefined;
}
