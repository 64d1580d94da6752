/**
 * A small seeded pseudo-random generator for the demo organisation.
 *
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, from PractRand), seeded through the
 * cyrb128 string hash. Only 32-bit integer arithmetic (`Math.imul`, shifts) produces the stream, so
 * the same seed yields the same numbers on every platform and Node version; `normal` adds
 * `Math.log` and `Math.sqrt`, which V8 computes with its own fdlibm port, the same everywhere.
 * Never `Math.random` or the clock: the demo must be byte-identical for a seed.
 */
import { InputError } from '../core/errors.js';

/** A seed: an integer, or any text (hashed). */
export type Seed = number | string;

const TWO_POW_32 = 4294967296;

/** cyrb128: hashes text into four 32-bit words, the state sfc32 starts from. */
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** A deterministic random stream. Create one with `createRandom(seed)`. */
export class Random {
  /** The seed text this stream was created from; `fork` derives child seeds from it. */
  readonly seed: string;
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  // The Box-Muller/polar method yields normals in pairs; the second waits here.
  private spareNormal: number | undefined;

  constructor(seed: Seed) {
    this.seed = String(seed);
    [this.a, this.b, this.c, this.d] = cyrb128(this.seed);
    // Discard the first outputs: sfc32's authors advise a few rounds to mix a weak seed.
    for (let i = 0; i < 15; i++) this.uint32();
  }

  /** The next 32-bit unsigned integer. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / TWO_POW_32;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new RangeError(`int(${min}, ${max}): expected integers with min <= max`);
    }
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A float in [min, max). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** True with probability `p` (0..1). */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty list, uniformly. */
  pick<T>(list: readonly T[]): T {
    if (list.length === 0) throw new RangeError('pick() from an empty list');
    return list[Math.floor(this.next() * list.length)] as T;
  }

  /** One value of `[value, weight]` pairs, with probability proportional to its weight (>= 0). */
  weighted<T>(pairs: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of pairs) {
      if (!(weight >= 0) || !Number.isFinite(weight))
        throw new RangeError(`weighted(): bad weight ${weight}`);
      total += weight;
    }
    if (total <= 0) throw new RangeError('weighted() needs at least one positive weight');
    let point = this.next() * total;
    for (const [value, weight] of pairs) {
      if (point < weight) return value;
      point -= weight;
    }
    // Rounding can leave `point` a hair above the last weight: return the last positive one.
    for (let i = pairs.length - 1; i >= 0; i--) {
      const pair = pairs[i]!;
      if (pair[1] > 0) return pair[0];
    }
    throw new RangeError('unreachable');
  }

  /** A shuffled copy of `list` (Fisher-Yates). */
  shuffle<T>(list: readonly T[]): T[] {
    const copy = [...list];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const held = copy[i] as T;
      copy[i] = copy[j] as T;
      copy[j] = held;
    }
    return copy;
  }

  /** `count` distinct elements of `list` in random order (all of them when it has fewer). */
  sample<T>(list: readonly T[], count: number): T[] {
    return this.shuffle(list).slice(0, Math.max(0, count));
  }

  /** A normally distributed float (Marsaglia's polar method). */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== undefined) {
      const spare = this.spareNormal;
      this.spareNormal = undefined;
      return mean + sd * spare;
    }
    let u = 0;
    let v = 0;
    let s = 0;
    do {
      u = this.next() * 2 - 1;
      v = this.next() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * factor;
    return mean + sd * u * factor;
  }

  /** A log-normally distributed float: `exp(normal(mu, sigma))`; its median is `exp(mu)`. */
  lognormal(mu: number, sigma: number): number {
    return Math.exp(this.normal(mu, sigma));
  }

  /** An independent stream named `label`: phases that fork their own stream do not shift others. */
  fork(label: string): Random {
    return new Random(`${this.seed}/${label}`);
  }
}

/** A deterministic random stream for `seed` (an integer or any text). */
export function createRandom(seed: Seed): Random {
  if (typeof seed === 'number' && !Number.isFinite(seed)) {
    throw new InputError(`Random seed must be a finite number or a string, got ${seed}`);
  }
  return new Random(seed);
}
