/**
 * An SLO's time window at an instant: where the current window starts and ends.
 *
 * - Rolling: the `seconds` before the instant (OpenSLO `1M` is 30 days, `1Q` 90, `1Y` 365).
 * - Calendar (OpenSLO `calendar`): consecutive periods of `duration` starting at `startTime` in
 *   `timeZone`, counted on the local calendar: days and weeks are local days (23 or 25 hours
 *   across a DST change), months, quarters and years are calendar months (a period starting on the
 *   31st starts on the last day of shorter months); minutes and hours are fixed lengths.
 * Sloth specs have no window: they get Sloth's default period, 30 days rolling.
 */
import type { SloSpec, SloTimeWindow } from '../model.js';

/** The window Sloth uses when a spec names none (`--default-slo-period`). */
export const DEFAULT_SLO_WINDOW: SloTimeWindow = { type: 'rolling', duration: '30d', seconds: 30 * 86_400 };

/** The current window of an SLO at an instant. */
export interface WindowBounds {
  /** Start of the window (inclusive of data that ends after it). */
  from: Date;
  /** The evaluation instant: the window's figures cover (from, to]. */
  to: Date;
  /** End of the calendar period (`to` for rolling windows). */
  end: Date;
  /** The full window's length in seconds (a calendar period's own length, e.g. 31 days for January). */
  lengthSeconds: number;
}

/** The window of a spec, Sloth's default when it has none. */
export function sloTimeWindow(spec: Pick<SloSpec, 'timeWindow'>): SloTimeWindow {
  return spec.timeWindow ?? DEFAULT_SLO_WINDOW;
}

/** Where the window holding `at` starts and ends. */
export function windowBounds(window: SloTimeWindow, at: Date): WindowBounds {
  if (window.type === 'rolling') {
    return {
      from: new Date(at.getTime() - window.seconds * 1000),
      to: at,
      end: at,
      lengthSeconds: window.seconds,
    };
  }
  const { from, end } = calendarPeriod(window, at);
  return { from, to: at, end, lengthSeconds: (end.getTime() - from.getTime()) / 1000 };
}

interface LocalTime {
  year: number;
  /** 1-12. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const CALENDAR_DURATION = /^(\d+)([mhdwMQY])$/;

/** The calendar period holding `at`: [from, end). */
export function calendarPeriod(
  window: Extract<SloTimeWindow, { type: 'calendar' }>,
  at: Date,
): { from: Date; end: Date } {
  const match = CALENDAR_DURATION.exec(window.duration);
  const start = parseStartTime(window.startTime);
  const zone = window.timeZone;
  if (!match || !start) {
    // Not OpenSLO notation (the readers only let OpenSLO calendars through): fixed-length periods.
    return fixedPeriods(zonedToUtc(start ?? epochLocal(), zone), window.seconds * 1000, at.getTime());
  }
  const count = Number(match[1]);
  const unit = match[2]!;
  const startMs = zonedToUtc(start, zone);
  if (unit === 'm' || unit === 'h') {
    return fixedPeriods(startMs, count * (unit === 'm' ? 60_000 : 3_600_000), at.getTime());
  }
  // Local-calendar steps: `step(k)` is the start of the k-th period after the first.
  const step =
    unit === 'd' || unit === 'w'
      ? (k: number) => zonedToUtc(addDays(start, k * count * (unit === 'w' ? 7 : 1)), zone)
      : (k: number) => zonedToUtc(addMonths(start, k * count * { M: 1, Q: 3, Y: 12 }[unit]!), zone);
  const local = utcToZoned(at.getTime(), zone);
  const elapsed =
    unit === 'd' || unit === 'w'
      ? (Date.UTC(local.year, local.month - 1, local.day) -
          Date.UTC(start.year, start.month - 1, start.day)) /
        86_400_000 /
        (count * (unit === 'w' ? 7 : 1))
      : ((local.year - start.year) * 12 + (local.month - start.month)) /
        (count * { M: 1, Q: 3, Y: 12 }[unit]!);
  let k = Math.floor(elapsed);
  // The estimate from calendar dates can be one off around the period's start time of day.
  while (step(k) > at.getTime()) k--;
  while (step(k + 1) <= at.getTime()) k++;
  return { from: new Date(step(k)), end: new Date(step(k + 1)) };
}

function fixedPeriods(startMs: number, lengthMs: number, atMs: number): { from: Date; end: Date } {
  const k = Math.floor((atMs - startMs) / lengthMs);
  return { from: new Date(startMs + k * lengthMs), end: new Date(startMs + (k + 1) * lengthMs) };
}

function epochLocal(): LocalTime {
  return { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
}

/** `YYYY-MM-DD hh:mm:ss` (OpenSLO `calendar.startTime`) as local time fields. */
function parseStartTime(text: string): LocalTime | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return { year, month, day, hour, minute, second };
}

function addDays(time: LocalTime, days: number): LocalTime {
  const date = new Date(Date.UTC(time.year, time.month - 1, time.day + days));
  return { ...time, year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** Adds calendar months, keeping the day of month or the month's last day when it is shorter. */
function addMonths(time: LocalTime, months: number): LocalTime {
  const index = time.year * 12 + (time.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { ...time, year, month, day: Math.min(time.day, lastDay) };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Local wall-clock fields of an instant in an IANA time zone. */
export function utcToZoned(ms: number, timeZone: string): LocalTime {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(ms))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

function localAsUtc(time: LocalTime): number {
  return Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);
}

/**
 * The instant a local wall-clock time names in a time zone. A time skipped by a DST change moves
 * forward by the gap; a repeated time is its first occurrence.
 */
export function zonedToUtc(time: LocalTime, timeZone: string): number {
  const wanted = localAsUtc(time);
  const offsetAt = (ms: number) => localAsUtc(utcToZoned(ms, timeZone)) - ms;
  // The offsets in force half a day before and after: a DST change in between gives two.
  const before = wanted - offsetAt(wanted - 43_200_000);
  const after = wanted - offsetAt(wanted + 43_200_000);
  const valid = [before, after].filter((ms) => localAsUtc(utcToZoned(ms, timeZone)) === wanted);
  // Both valid: a repeated hour, take the first. Neither: a skipped hour, the old offset moves it past the gap.
  return valid.length > 0 ? Math.min(...valid) : before;
}
