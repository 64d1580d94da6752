/**
 * Durations written the way Prometheus writes them (`30d`, `1h30m`, `5m`, `250ms`), the notation of
 * Sloth specs, OpenSLO windows and Pave's own options. Parsed to and formatted from seconds.
 */

const UNIT_SECONDS: Record<string, number> = {
  y: 365 * 24 * 3600,
  w: 7 * 24 * 3600,
  d: 24 * 3600,
  h: 3600,
  m: 60,
  s: 1,
  ms: 0.001,
};

const DURATION_PATTERN = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Parses a Prometheus duration (`1d12h`, `30m`) to seconds; throws a `RangeError` if malformed. */
export function parseDuration(text: string): number {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match || text.trim() === '') {
    throw new RangeError(`"${text}" is not a duration; write it like 30d, 6h, 1h30m or 5m`);
  }
  const units = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];
  let seconds = 0;
  for (const [index, unit] of units.entries()) {
    const amount = match[index + 1];
    if (amount !== undefined) seconds += Number(amount) * UNIT_SECONDS[unit]!;
  }
  return seconds;
}

/**
 * Formats seconds the way Prometheus's `model.Duration.String()` does: years and weeks only when
 * they divide the duration exactly, then days, hours, minutes, seconds and milliseconds.
 */
export function formatDuration(seconds: number): string {
  let ms = Math.round(seconds * 1000);
  if (ms === 0) return '0s';
  let text = '';
  const take = (unit: string, unitMs: number, exact: boolean) => {
    if (exact && ms % unitMs !== 0) return;
    const amount = Math.floor(ms / unitMs);
    if (amount > 0) {
      text += `${amount}${unit}`;
      ms -= amount * unitMs;
    }
  };
  take('y', 365 * 86_400_000, true);
  take('w', 7 * 86_400_000, true);
  take('d', 86_400_000, false);
  take('h', 3_600_000, false);
  take('m', 60_000, false);
  take('s', 1000, false);
  take('ms', 1, false);
  return text;
}
