/**
 * Report windows from the CLI and the API: `--from`/`--to` as a day (`2024-05-01`, midnight UTC)
 * or an ISO timestamp with a zone; `to` defaults to now and `from` to 90 days before `to`.
 */
import { InputError } from '../../core/errors.js';

export const DEFAULT_WINDOW_DAYS = 90;

/** Parses one bound, naming the parameter when it is malformed. */
export function parseInstant(value: string, name: string): Date {
  const text = value.trim();
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text)
    ? new Date(`${text}T00:00:00Z`)
    : /^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/i.test(text)
      ? new Date(text)
      : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new InputError(
      `${name} must be a date like 2024-05-01 or a timestamp like 2024-05-01T12:00:00Z, not "${value}"`,
      [
        {
          severity: 'error',
          message: `not a date: "${value}"`,
          location: { file: 'query', pointer: `/${name}` },
        },
      ],
    );
  }
  return date;
}

/** The window `[from, to)` the parameters name. */
export function parseWindow(
  from: string | undefined,
  to: string | undefined,
  now = new Date(),
): { from: Date; to: Date } {
  const end = to ? parseInstant(to, 'to') : now;
  const start = from
    ? parseInstant(from, 'from')
    : new Date(end.getTime() - DEFAULT_WINDOW_DAYS * 86_400_000);
  if (start.getTime() >= end.getTime()) {
    throw new InputError(`from (${start.toISOString()}) must be before to (${end.toISOString()})`);
  }
  return { from: start, to: end };
}
