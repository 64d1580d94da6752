/**
 * Wall-clock time in an IANA time zone, with `Intl` only (no dependency): the local weekday and
 * hour of an instant (for business, off and sleep hours), and the instant a local day starts (for
 * business-day deadlines). Daylight-saving changes are handled by asking `Intl` for the offset at
 * the instant itself.
 *
 * `Intl` is slow (microseconds per call), and reports of 100,000 pages ask it often: offsets are
 * cached per zone and UTC hour. An hour whose start and end have the same offset has that offset
 * throughout (a zone changes offset at most once an hour); an hour with a change inside it (DST at
 * 02:30 UTC in Adelaide, say) is asked of `Intl` at the exact instant.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The local calendar fields of an instant in `timeZone`; `weekday` is ISO (Monday 1 .. Sunday 7). */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

/** The offset `Intl` reports at `instant` (whole seconds), in milliseconds. */
function intlOffset(instant: number, timeZone: string): number {
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) parts[part.type] = part.value;
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

const HOUR_MS = 3_600_000;
/** Per zone: UTC hour -> its offset, or `null` when the offset changes inside that hour. */
const hourOffsets = new Map<string, Map<number, number | null>>();

/** The offset of `timeZone` from UTC at `instant`, in milliseconds (positive east of Greenwich). */
export function offsetAt(instant: number, timeZone: string): number {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 0;
  let cache = hourOffsets.get(timeZone);
  if (!cache) {
    cache = new Map();
    hourOffsets.set(timeZone, cache);
  }
  const hour = Math.floor(instant / HOUR_MS);
  let offset = cache.get(hour);
  if (offset === undefined) {
    const start = intlOffset(hour * HOUR_MS, timeZone);
    offset = start === intlOffset(hour * HOUR_MS + HOUR_MS - 1000, timeZone) ? start : null;
    cache.set(hour, offset);
  }
  return offset ?? intlOffset(instant, timeZone);
}

/** The wall-clock time of `instant` (epoch milliseconds) in `timeZone`. */
export function localTime(instant: number, timeZone: string): LocalTime {
  const local = new Date(instant + offsetAt(instant, timeZone));
  const weekday = local.getUTCDay();
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    weekday: weekday === 0 ? 7 : weekday,
  };
}

/** The instant local midnight starts the day `year-month-day` in `timeZone`. */
export function startOfLocalDay(year: number, month: number, day: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day);
  let instant = guess - offsetAt(guess, timeZone);
  // Across a DST change the offset at the guess and at the result differ: correct once.
  const corrected = guess - offsetAt(instant, timeZone);
  if (corrected !== instant) instant = corrected;
  return instant;
}

/** The calendar day after `year-month-day`. */
export function nextDay(
  year: number,
  month: number,
  day: number,
): { year: number; month: number; day: number } {
  const next = new Date(Date.UTC(year, month - 1, day + 1));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}

/** ISO weekday (Monday 1 .. Sunday 7) of a calendar day. */
export function weekdayOf(year: number, month: number, day: number): number {
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}
