/**
 * Instants as `--at`, `--from`, `--to` and the `at` query parameter take them: an ISO-8601 time
 * with a time zone (`2026-01-31T12:00:00Z`), a day (`2026-01-31`, midnight UTC), `now`, or
 * `now-<duration>` (`now-7d`, Prometheus notation).
 */
import { parseDuration } from '../../core/duration.js';
import { InputError } from '../../core/errors.js';

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Parses an instant; `name` names the option or parameter in the error. */
export function parseInstant(text: string, name: string, now: Date = new Date()): Date {
  const value = text.trim();
  if (value === 'now') return now;
  const relative = /^now-(.+)$/.exec(value);
  if (relative) {
    try {
      return new Date(now.getTime() - parseDuration(relative[1]!) * 1000);
    } catch (error) {
      throw new InputError(`${name}: ${(error as Error).message}`);
    }
  }
  let date: Date | undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) date = new Date(`${value}T00:00:00Z`);
  else if (ISO_WITH_ZONE.test(value)) date = new Date(value);
  if (!date || Number.isNaN(date.getTime())) {
    throw new InputError(
      `${name} must be an ISO-8601 time with a time zone (2026-01-31T12:00:00Z), a day (2026-01-31), now or now-<duration> (now-7d), not "${text}"`,
    );
  }
  return date;
}
