/**
 * The simulator's only source of randomness: a seeded xoshiro128** generator plus the
 * distributions the simulation needs. Nothing in src/sim may call Math.random or read the
 * clock; every draw comes from an Rng so the same seed always gives the same world.
 *
 * Streams are derived by name, not by position: `rng.fork('listeners')` depends only on the
 * root seed and the label path, never on how many numbers the parent has drawn. Adding a draw
 * to one part of the simulation therefore leaves every other part's output unchanged.
 */

import { hashString } from '../lib/hash.js';

export { hashString };

/** SplitMix32 step: spreads a 32-bit value over the whole range; used to expand seeds. */
function splitmix32(state: number): [next: number, out: number] {
  const next = (state + 0x9e3779b9) >>> 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return [next, (z ^ (z >>> 16)) >>> 0];
}

const TWO_POW_32 = 4294967296;

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | undefined;

  /**
   * @param seed any integer (only its low 32 bits count)
   * @param path the fork labels that led here; part of the stream's identity
   */
  constructor(
    readonly seed: number,
    readonly path: string = '',
  ) {
    let state = hashString(path, (seed >>> 0) ^ 0x811c9dc5);
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [next, out] = splitmix32(state);
      state = next;
      words.push(out);
    }
    // xoshiro's state must not be all zero.
    if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 1;
    [this.s0, this.s1, this.s2, this.s3] = words;
    // Discard a few outputs so close seeds diverge immediately.
    for (let i = 0; i < 8; i++) this.uint32();
  }

  /** An independent stream named `label` under this one; same seed + path gives the same stream. */
  fork(label: string | number): Rng {
    return new Rng(this.seed, `${this.path}/${label}`);
  }

  /** Uniform 32-bit unsigned integer (xoshiro128**). */
  uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.uint32() / TWO_POW_32;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!(n >= 1)) throw new RangeError(`int(n) needs n >= 1, got ${n}`);
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [min, max], both inclusive. */
  intBetween(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** Uniform real in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty array');
    return items[this.int(items.length)];
  }

  /**
   * Index drawn with probability proportional to `weights[i]`, by a linear scan. Right for
   * short or one-off weight lists; build an AliasTable for repeated draws from a long one.
   */
  weightedIndex(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += Math.max(0, weights[i]);
    if (!(total > 0)) throw new RangeError('weightedIndex() needs a positive total weight');
    let r = this.next() * total;
    let last = -1;
    for (let i = 0; i < weights.length; i++) {
      const w = Math.max(0, weights[i]);
      if (w <= 0) continue;
      last = i;
      if (r < w) return i;
      r -= w;
    }
    return last; // floating-point leftovers land on the last positive weight
  }

  weightedPick<T>(items: readonly T[], weights: ArrayLike<number>): T {
    return items[this.weightedIndex(weights)];
  }

  /** Standard normal (Box–Muller; the second value of each pair is kept for the next call). */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== undefined) {
      const z = this.spareNormal;
      this.spareNormal = undefined;
      return mean + sd * z;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return mean + sd * r * Math.cos(2 * Math.PI * v);
  }

  /** exp(N(mu, sigma)): median e^mu. */
  logNormal(mu: number, sigma: number): number {
    return Math.exp(this.normal(mu, sigma));
  }

  exponential(rate = 1): number {
    let u = 0;
    while (u === 0) u = this.next();
    return -Math.log(u) / rate;
  }

  /** Gamma(shape, scale) by Marsaglia–Tsang, with the u^(1/shape) boost for shape < 1. */
  gamma(shape: number, scale = 1): number {
    if (!(shape > 0)) throw new RangeError(`gamma() needs shape > 0, got ${shape}`);
    if (shape < 1) {
      let u = 0;
      while (u === 0) u = this.next();
      return this.gamma(shape + 1, scale) * Math.pow(u, 1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.next();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
      if (u > 0 && Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
    }
  }

  beta(a: number, b: number): number {
    const x = this.gamma(a);
    const y = this.gamma(b);
    return x + y > 0 ? x / (x + y) : 0.5;
  }

  /**
   * Dirichlet(alphas): a probability vector. Small alphas (< 1) give sparse vectors with most
   * mass on a few components — what the listener tastes use.
   */
  dirichlet(alphas: ArrayLike<number>): Float64Array {
    const out = new Float64Array(alphas.length);
    let total = 0;
    for (let i = 0; i < alphas.length; i++) {
      out[i] = alphas[i] > 0 ? this.gamma(alphas[i]) : 0;
      total += out[i];
    }
    if (total > 0) {
      for (let i = 0; i < out.length; i++) out[i] /= total;
    } else {
      // Every draw underflowed (tiny alphas): fall back to one component picked by alpha.
      out[this.weightedIndex(alphas)] = 1;
    }
    return out;
  }

  /** Poisson(lambda): Knuth's product method for small lambda, a rounded normal for large. */
  poisson(lambda: number): number {
    if (!(lambda > 0)) return 0;
    if (lambda < 30) {
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = this.next();
      while (p > limit) {
        k++;
        p *= this.next();
      }
      return k;
    }
    return Math.max(0, Math.round(this.normal(lambda, Math.sqrt(lambda))));
  }

  /** Fisher–Yates, in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** k distinct items in random order (k is capped at the array length). */
  sample<T>(items: readonly T[], k: number): T[] {
    const copy = items.slice();
    const n = Math.min(k, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + this.int(copy.length - i);
      const tmp = copy[i];
      copy[i] = copy[j];
      copy[j] = tmp;
    }
    return copy.slice(0, n);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Walker/Vose alias arrays in plain typed arrays (workers can share them); sample with one uniform. */
export interface AliasArrays {
  n: number;
  prob: Float64Array;
  alias: Int32Array;
}

/**
 * Builds alias arrays in O(n). Weights below zero count as zero; with no positive weight
 * every `prob` is 1 (each index draws itself: uniform).
 */
export function buildAliasArrays(weights: ArrayLike<number>): AliasArrays {
  const n = weights.length;
  const prob = new Float64Array(n);
  const alias = new Int32Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) total += Math.max(0, weights[i]);
  if (n === 0 || !(total > 0)) return { n, prob: prob.fill(1), alias };
  const scaled = new Float64Array(n);
  const small = new Int32Array(n);
  const large = new Int32Array(n);
  let ns = 0;
  let nl = 0;
  for (let i = 0; i < n; i++) {
    scaled[i] = (Math.max(0, weights[i]) * n) / total;
    if (scaled[i] < 1) small[ns++] = i;
    else large[nl++] = i;
  }
  while (ns > 0 && nl > 0) {
    const s = small[--ns];
    const l = large[--nl];
    prob[s] = scaled[s];
    alias[s] = l;
    scaled[l] = scaled[l] + scaled[s] - 1;
    if (scaled[l] < 1) small[ns++] = l;
    else large[nl++] = l;
  }
  while (nl > 0) prob[large[--nl]] = 1;
  while (ns > 0) prob[small[--ns]] = 1; // rounding leftovers
  return { n, prob, alias };
}

/**
 * Walker/Vose alias table: O(n) to build, O(1) per draw. Used wherever the simulator samples
 * the same weighted list many times (tracks of a genre by popularity, a listener's genres).
 */
export class AliasTable {
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;
  readonly size: number;

  constructor(weights: ArrayLike<number>) {
    this.size = weights.length;
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += Math.max(0, weights[i]);
    if (weights.length > 0 && !(total > 0)) throw new RangeError('AliasTable needs a positive total weight');
    ({ prob: this.prob, alias: this.alias } = buildAliasArrays(weights));
  }

  /** An index in [0, size), with probability proportional to its weight. */
  sample(rng: Rng): number {
    const i = rng.int(this.size);
    return rng.next() < this.prob[i] ? i : this.alias[i];
  }
}
