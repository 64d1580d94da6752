/**
 * RFC 3339 timestamps as producers write them. Hand-written rather than `Date.parse` because that
 * accepts impossible days and zone-less local times, and this runs once per event on ingest.
 */

// RFC 3339 date-time (`T` or a space), or GitLab's `2016-08-12 15:23:28 UTC` / `... +0200`.
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:([Zz])|\s?([+-])(\d{2}):?(\d{2})|\s?UTC)?$/;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Parses an RFC 3339 timestamp (also GitLab's `YYYY-MM-DD HH:MM:SS UTC` and `... +0200`) and
 * returns it in UTC as `toISOString()` writes it; `undefined` when it is not one. A timestamp
 * without a zone is read as UTC unless `requireZone` is set (JUnit files carry local times with no
 * zone; there is nothing better to read them as).
 */
export function parseTimestamp(value: unknown, options: { requireZone?: boolean } = {}): string | undefined {
  if (typeof value !== 'string') return undefined;
  // Fast path for what most producers write: `2024-05-01T12:00:00.000Z`, returned as it is.
  if (CANONICAL.test(value)) {
    const time = Date.parse(value);
    if (Number.isNaN(time) || !isRealDate(digits(value, 0, 4), digits(value, 5, 2), digits(value, 8, 2))) {
      return undefined;
    }
    return value.length === 24 ? value : new Date(time).toISOString();
  }
  const match = TIMESTAMP.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zulu, sign, offsetHours, offsetMinutes] = match;
  const m = Number(month);
  const d = Number(day);
  if (!isRealDate(Number(year), m, d)) return undefined;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 60) return undefined;
  const hasZone = zulu !== undefined || sign !== undefined || value.endsWith('UTC');
  if (!hasZone && options.requireZone) return undefined;
  const millis = fraction ? Math.floor(Number(`0${fraction}`) * 1000) : 0;
  let time = Date.UTC(
    Number(year),
    m - 1,
    d,
    Number(hour),
    Number(minute),
    Math.min(Number(second), 59),
    millis,
  );
  if (sign !== undefined) {
    const offset = (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60_000;
    time += sign === '+' ? -offset : offset;
  }
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;

function digits(text: string, start: number, length: number): number {
  let n = 0;
  for (let i = start; i < start + length; i++) n = n * 10 + text.charCodeAt(i) - 48;
  return n;
}

// Date.UTC and Date.parse would roll 30 February over into March: reject impossible dates instead.
function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return false;
  return !(month === 2 && day === 29 && !isLeapYear(year));
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
