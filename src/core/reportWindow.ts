/**
 * The `--from` and `--to` of every report and list (delivery and incident metrics, on-call load,
 * deployment and incident lists), on the CLI and the API alike: a day (`2024-03-01`, midnight in
 * the report's time zone; a day given as `--to` is included, so the window ends at the next
 * midnight) or an RFC 3339 timestamp (used as is, `--to` exclusive). Defaults: the 90 days up to now.
 */
import { InputError, type Problem } from './errors.js';
import { parseTimestamp } from './timestamp.js';

const DAY_MS = 86_400_000;
export const DEFAULT_WINDOW_DAYS = 90;

/** The window `[from, to)` the options describe. */
export function reportWindow(
  options: { from?: string | undefined; to?: string | undefined; timezone?: string | undefined },
  now = new Date(),
): { from: Date; to: Date } {
  const timezone = options.timezone ?? 'UTC';
  const to = options.to === undefined ? now : parseWindowBound(options.to, 'to', timezone);
  const from =
    options.from === undefined
      ? new Date(to.getTime() - DEFAULT_WINDOW_DAYS * DAY_MS)
      : parseWindowBound(options.from, 'from', timezone);
  if (!(from.getTime() < to.getTime())) {
    throw new InputError(`--from (${from.toISOString()}) must be before --to (${to.toISOString()})`);
  }
  return { from, to };
}

/** One bound: a day at midnight in `timezone` (the next midnight for `to`), or a timestamp. */
export function parseWindowBound(text: string, which: 'from' | 'to', timezone: string): Date {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (day) {
    const [, y, m, d] = day;
    const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
    if (date.getUTCDate() !== Number(d) || date.getUTCMonth() !== Number(m) - 1) {
      throw new InputError(`--${which} "${text}" is not a real day`, [boundProblem(which, text)]);
    }
    const next = which === 'to' ? new Date(date.getTime() + DAY_MS) : date;
    return zonedMidnight(next.getUTCFullYear(), next.getUTCMonth(), next.getUTCDate(), timezone);
  }
  const time = parseTimestamp(text.trim(), { requireZone: true });
  if (time === undefined) {
    throw new InputError(
      `--${which} "${text}" is not a day (2024-03-01) or an RFC 3339 timestamp with a time zone`,
      [boundProblem(which, text)],
    );
  }
  return new Date(time);
}

/** Where a bad bound is, for the API's problem details: the query parameter. */
function boundProblem(which: 'from' | 'to', text: string): Problem {
  return {
    severity: 'error',
    message: `not a day or a timestamp: "${text}"`,
    location: { pointer: `/${which}` },
  };
}

/** The instant of midnight starting a day in a time zone. */
export function zonedMidnight(year: number, month: number, day: number, timezone: string): Date {
  const guess = Date.UTC(year, month, day);
  let instant = guess - offsetMs(guess, timezone);
  // Across a DST change the offset at the guess and at the answer differ: correct once more.
  instant = guess - offsetMs(instant, timezone);
  return new Date(instant);
}

/** The offset of `timezone` from UTC at an instant, in milliseconds (east positive). */
function offsetMs(instant: number, timezone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const local = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return local - Math.floor(instant / 1000) * 1000;
}
