/**
 * Splitting a whole number into parts: how many teams each department gets, how many components
 * each system gets, how many teams are elite. Largest-remainder rounding, so the parts always add
 * up to the total (unless the minimums alone exceed it).
 */
import type { Random } from './random.js';

/**
 * Splits `total` into parts proportional to `weights`, each at least its `minimum` (default 0).
 * Ties in the remainders go to the earlier part.
 */
export function allocate(total: number, weights: readonly number[], minimums?: readonly number[]): number[] {
  const counts = weights.map((_, i) => minimums?.[i] ?? 0);
  let rest = total - counts.reduce((sum, n) => sum + n, 0);
  const weightSum = weights.reduce((sum, w) => sum + w, 0);
  if (rest <= 0 || weightSum <= 0) return counts;
  const shares = weights.map((w) => (rest * w) / weightSum);
  for (const [i, share] of shares.entries()) {
    const whole = Math.floor(share);
    counts[i]! += whole;
    rest -= whole;
  }
  const byRemainder = shares
    .map((share, i) => ({ i, remainder: share - Math.floor(share) }))
    .sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (const { i } of byRemainder) {
    if (rest <= 0) break;
    counts[i]! += 1;
    rest -= 1;
  }
  return counts;
}

/**
 * `count` values drawn so that each appears in (close to) its share, in random order. With
 * `everyOne`, every value appears at least once when `count` allows it.
 */
export function exactMix<T>(
  random: Random,
  count: number,
  mix: readonly (readonly [T, number])[],
  everyOne = false,
): T[] {
  const minimums = mix.map(() => (everyOne && count >= mix.length ? 1 : 0));
  const counts = allocate(
    count,
    mix.map(([, share]) => share),
    minimums,
  );
  const values: T[] = [];
  for (const [i, [value]] of mix.entries()) {
    for (let n = 0; n < counts[i]!; n++) values.push(value);
  }
  return random.shuffle(values);
}

/** Up to `count` distinct items of `items`, each drawn with probability proportional to its weight. */
export function weightedSample<T>(
  random: Random,
  items: readonly T[],
  weight: (item: T) => number,
  count: number,
): T[] {
  const pool = items.map((item) => ({ item, weight: weight(item) })).filter((entry) => entry.weight > 0);
  const chosen: T[] = [];
  while (chosen.length < count && pool.length > 0) {
    const index = random.weighted(pool.map((entry, i) => [i, entry.weight] as const));
    chosen.push(pool[index]!.item);
    pool.splice(index, 1);
  }
  return chosen;
}

/**
 * Like `allocate`, but no part goes above its maximum while another still has room: the excess
 * flows to the parts below their maximum. Only when every part is full do parts exceed it.
 */
export function allocateCapped(
  total: number,
  weights: readonly number[],
  minimums: readonly number[],
  maximums: readonly number[],
): number[] {
  const counts = allocate(total, weights, minimums);
  const capped = new Set<number>();
  for (let round = 0; round < weights.length; round++) {
    let excess = 0;
    for (const [i, count] of counts.entries()) {
      const max = Math.max(maximums[i] ?? Number.POSITIVE_INFINITY, minimums[i] ?? 0);
      if (count > max) {
        excess += count - max;
        counts[i] = max;
        capped.add(i);
      }
    }
    if (excess === 0) break;
    const open = weights.map((w, i) => (capped.has(i) || counts[i]! >= (maximums[i] ?? 0) ? 0 : w));
    const target = open.some((w) => w > 0) ? open : weights;
    const extra = allocate(excess, target);
    for (const [i, n] of extra.entries()) counts[i]! += n;
    if (target === weights) break;
  }
  return counts;
}
