/**
 * Numbers written the way Sloth's Go code writes them, so generated expressions match Sloth's
 * character for character (`0.0009999999999999432`, `9.999999999990905e-05`, `1.4000000000000001`).
 */

/** Digits and decimal exponent of the shortest representation that round-trips (as Go and JS both find it). */
function shortest(value: number): { negative: boolean; digits: string; exponent: number } {
  const [mantissa, exp] = Math.abs(value).toExponential().split('e') as [string, string];
  return { negative: value < 0, digits: mantissa.replace('.', ''), exponent: Number(exp) };
}

/** Places the decimal point `exponent` digits after the first one, padding with zeros. */
function fixed(digits: string, exponent: number): string {
  if (exponent < 0) return `0.${'0'.repeat(-exponent - 1)}${digits}`;
  if (digits.length <= exponent + 1) return digits + '0'.repeat(exponent + 1 - digits.length);
  return `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}

/**
 * Go's `%v`/`%g` for a float64 (`strconv.FormatFloat(v, 'g', -1, 64)`): shortest digits, exponent
 * form (`1e+06`, `9.5e-05`) when the exponent is below -4 or at least 6.
 */
export function formatGoFloat(value: number): string {
  let text = goFloats.get(value);
  if (text === undefined) {
    // Generated rules repeat a few numbers (factors, budgets) thousands of times.
    if (goFloats.size > 10_000) goFloats.clear();
    text = goFloat(value);
    goFloats.set(value, text);
  }
  return text;
}

const goFloats = new Map<number, string>();

function goFloat(value: number): string {
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf';
  const { negative, digits, exponent } = shortest(value);
  const sign = negative ? '-' : '';
  if (exponent < -4 || exponent >= 6) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const expSign = exponent < 0 ? '-' : '+';
    return `${sign}${mantissa}e${expSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return sign + fixed(digits, exponent);
}

/** Go's `strconv.FormatFloat(v, 'f', -1, 64)`: shortest digits, never an exponent (`99.9`, `0.0000001`). */
export function formatGoFixed(value: number): string {
  if (value === 0) return '0';
  const { negative, digits, exponent } = shortest(value);
  return (negative ? '-' : '') + fixed(digits, exponent);
}

/**
 * Go's `time.Duration.Hours()` for a duration in seconds: whole hours plus the remainder in
 * nanoseconds over 3.6e12, which rounds exactly as Sloth's burn-rate arithmetic does.
 */
export function goHours(seconds: number): number {
  const ms = Math.round(seconds * 1000);
  const hours = Math.trunc(ms / 3_600_000);
  const remainderNs = (ms - hours * 3_600_000) * 1_000_000;
  return hours + remainderNs / 3.6e12;
}
