// eslint-disable-next-line @typescript-eslint/ban-ts-comment -- see the next line
// @ts-nocheck: AssemblyScript, not TypeScript. asc type-checks this file (npm run build:wasm);
// tsc lacks AssemblyScript's types (f32, v128, load<T>…), so it only parses it.
/**
 * WebAssembly SIMD (f32x4) versions of the hot loops in ../als-kernel.ts; read that file's
 * header for the model and the solver. Compiled by `npm run build:wasm` into als.wasm beside
 * this file (committed, so a fresh clone needs no build step; test/models/cf/als-wasm.test.ts
 * checks that it matches this source).
 *
 * Everything lives in one shared memory that the main thread lays out (../als-wasm.ts) and
 * every thread imports: arguments are byte addresses into it. Nothing here allocates, and no
 * state lives in the module, so any number of threads can run these functions at once on
 * disjoint rows.
 *
 * Differences from the JavaScript kernel, all deliberate:
 * - vectors (factors, the Gram matrix or eigenvectors, CG vectors, the Woodbury products) are
 *   float32, four lanes at a time, as in `implicit`; scalars that decide the CG step (r·z,
 *   p·Ap) and the small Cholesky factorisation stay float64, where it is cheap;
 * - the Gram matrix and the eigenvectors arrive as float64 and are converted once per block
 *   into the thread's scratch (with α₀ folded into the Gram matrix);
 * - λ of a row comes from a table indexed by its length (filled by JavaScript's Math.pow);
 * - the rows a sparse pass reads are requested a batch at a time before use (touchRows);
 * - k must be a multiple of 4 (../als-wasm.ts falls back to the JavaScript kernel otherwise).
 */
import { dot } from './simd-dot';

/** Below this squared (preconditioned) residual a row is considered solved (as in als-kernel.ts). */
const RESIDUAL_EPSILON: f64 = 1e-20;

/**
 * Non-zeros per batch of a sparse pass: their dot products are computed first, then the
 * axpy runs over the batch with a slice of the output held in registers. 64 rows of k = 64
 * floats (16 KB) stay in L1 between the two loops.
 */
const BATCH: i32 = 64;

/** Rows accumulated in a float32 Gram block before it is added to the float64 partial. */
const GRAM_FLUSH: i32 = 256;

// ---- Per-thread scratch: offsets from the thread's base, each a multiple of 16 bytes ----

function align16(bytes: usize): usize {
  return (bytes + 15) & ~(<usize>15);
}

/** k × k float32: the eigenvectors Q, or α₀ times the dense Gram matrix. */
function matrixAt(scratch: usize): usize {
  return scratch;
}

/** k × k float32: the accumulator of gram(). */
function accumulatorAt(scratch: usize, k: i32): usize {
  return scratch + ((<usize>k * <usize>k) << 2);
}

/** Vector slot `slot` (0..7) of k floats: x, r, z, p, ap, the inverse preconditioner, the base diagonal, d. */
function vectorAt(scratch: usize, k: i32, slot: i32): usize {
  return scratch + ((<usize>k * <usize>k) << 3) + ((<usize>slot * <usize>k) << 2);
}

/** (exactLimit + 1) × k float32: D⁻¹ for each short-row length (λ depends on it). */
function inverseDAt(scratch: usize, k: i32): usize {
  return vectorAt(scratch, k, 8);
}

/** exactLimit × k float32: a short row's item vectors scaled by D⁻¹. */
function scaledAt(scratch: usize, k: i32, limit: i32): usize {
  return inverseDAt(scratch, k) + ((<usize>(limit + 1) * <usize>k) << 2);
}

/** exactLimit² float64: the capacitance matrix. */
function capacitanceAt(scratch: usize, k: i32, limit: i32): usize {
  return scaledAt(scratch, k, limit) + ((<usize>limit * <usize>k) << 2);
}

/** exactLimit float64: the capacitance system's right-hand side and solution. */
function smallAt(scratch: usize, k: i32, limit: i32): usize {
  return capacitanceAt(scratch, k, limit) + align16((<usize>limit * <usize>limit) << 3);
}

/**
 * BATCH u32 row addresses, then BATCH float32 coefficients, of a sparse-pass batch (or of a
 * short row), then 16 bytes where touchRows stores what it read.
 */
function batchAt(scratch: usize, k: i32, limit: i32): usize {
  return smallAt(scratch, k, limit) + align16(<usize>limit << 3);
}

/** Bytes of one thread's scratch for k factors and short rows of up to `limit` non-zeros. */
export function scratchBytes(k: i32, limit: i32): usize {
  return batchAt(0, k, limit) + ((<usize>BATCH) << 3) + 16;
}

// ---- Vector helpers (k % 4 == 0; addresses 16-byte aligned) ----

// dot(a, b, k): simd-dot.ts, shared with the serving kernel.

/**
 * The four dot products a·b0 … a·b3 as the lanes of one float32 vector: the row `a` is loaded
 * once for four, and the four horizontal sums share three additions and six shuffles.
 */
function dot4(a: usize, b0: usize, b1: usize, b2: usize, b3: usize, k: i32): v128 {
  let s0 = f32x4.splat(0);
  let s1 = s0;
  let s2 = s0;
  let s3 = s0;
  let t0 = s0;
  let t1 = s0;
  let t2 = s0;
  let t3 = s0;
  const bytes = <usize>k << 2;
  let at: usize = 0;
  for (; at + 32 <= bytes; at += 32) {
    const x = v128.load(a + at);
    s0 = f32x4.add(s0, f32x4.mul(x, v128.load(b0 + at)));
    s1 = f32x4.add(s1, f32x4.mul(x, v128.load(b1 + at)));
    s2 = f32x4.add(s2, f32x4.mul(x, v128.load(b2 + at)));
    s3 = f32x4.add(s3, f32x4.mul(x, v128.load(b3 + at)));
    const w = v128.load(a + at, 16);
    t0 = f32x4.add(t0, f32x4.mul(w, v128.load(b0 + at, 16)));
    t1 = f32x4.add(t1, f32x4.mul(w, v128.load(b1 + at, 16)));
    t2 = f32x4.add(t2, f32x4.mul(w, v128.load(b2 + at, 16)));
    t3 = f32x4.add(t3, f32x4.mul(w, v128.load(b3 + at, 16)));
  }
  if (at < bytes) {
    const x = v128.load(a + at);
    s0 = f32x4.add(s0, f32x4.mul(x, v128.load(b0 + at)));
    s1 = f32x4.add(s1, f32x4.mul(x, v128.load(b1 + at)));
    s2 = f32x4.add(s2, f32x4.mul(x, v128.load(b2 + at)));
    s3 = f32x4.add(s3, f32x4.mul(x, v128.load(b3 + at)));
  }
  s0 = f32x4.add(s0, t0);
  s1 = f32x4.add(s1, t1);
  s2 = f32x4.add(s2, t2);
  s3 = f32x4.add(s3, t3);
  // Transpose-and-add: lane i of the result is the sum of the lanes of s_i.
  const u01 = f32x4.add(v128.shuffle<f32>(s0, s1, 0, 4, 1, 5), v128.shuffle<f32>(s0, s1, 2, 6, 3, 7));
  const u23 = f32x4.add(v128.shuffle<f32>(s2, s3, 0, 4, 1, 5), v128.shuffle<f32>(s2, s3, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(u01, u23, 0, 1, 4, 5), v128.shuffle<f32>(u01, u23, 2, 3, 6, 7));
}

/** out = v · M for a row-major k × k float32 matrix M (out ≠ v). */
function vectorMatrix(v: usize, m: usize, out: usize, k: i32): void {
  const rowBytes = <usize>k << 2;
  let f = 0;
  // Eight output vectors (32 floats) at a time in registers: eight independent add chains.
  for (; f + 32 <= k; f += 32) {
    let a0 = f32x4.splat(0);
    let a1 = a0;
    let a2 = a0;
    let a3 = a0;
    let a4 = a0;
    let a5 = a0;
    let a6 = a0;
    let a7 = a0;
    let mp = m + (<usize>f << 2);
    for (let j = 0; j < k; j++, mp += rowBytes) {
      const s = v128.load32_splat(v + (<usize>j << 2));
      a0 = f32x4.add(a0, f32x4.mul(s, v128.load(mp)));
      a1 = f32x4.add(a1, f32x4.mul(s, v128.load(mp, 16)));
      a2 = f32x4.add(a2, f32x4.mul(s, v128.load(mp, 32)));
      a3 = f32x4.add(a3, f32x4.mul(s, v128.load(mp, 48)));
      a4 = f32x4.add(a4, f32x4.mul(s, v128.load(mp, 64)));
      a5 = f32x4.add(a5, f32x4.mul(s, v128.load(mp, 80)));
      a6 = f32x4.add(a6, f32x4.mul(s, v128.load(mp, 96)));
      a7 = f32x4.add(a7, f32x4.mul(s, v128.load(mp, 112)));
    }
    const o = out + (<usize>f << 2);
    v128.store(o, a0);
    v128.store(o, a1, 16);
    v128.store(o, a2, 32);
    v128.store(o, a3, 48);
    v128.store(o, a4, 64);
    v128.store(o, a5, 80);
    v128.store(o, a6, 96);
    v128.store(o, a7, 112);
  }
  for (; f < k; f += 4) {
    let a = f32x4.splat(0);
    let mp = m + (<usize>f << 2);
    for (let j = 0; j < k; j++, mp += rowBytes) a = f32x4.add(a, f32x4.mul(v128.load32_splat(v + (<usize>j << 2)), v128.load(mp)));
    v128.store(out + (<usize>f << 2), a);
  }
}

/** Converts k × k float64 at `from` to float32 at `to`, times `scale`. */
function matrixToF32(from: usize, to: usize, k: i32, scale: f64): void {
  const n = <usize>k * <usize>k;
  for (let i: usize = 0; i < n; i++) store<f32>(to + (i << 2), <f32>(scale * load<f64>(from + (i << 3))));
}

// ---- Sparse passes ----

/**
 * Over the row's non-zeros n: out += coefficient(n) · y_n, where coefficient = c − (c − α₀)(y·v)
 * when `withTarget` and (c − α₀)(y·v) otherwise. In batches: the batch's rows requested
 * (touchRows), their dot products, then the axpy with 32 floats of `out` in registers (instead
 * of a load and a store of out per non-zero).
 */
function sparsePass(indices: usize, conf: usize, start: i32, end: i32, y: usize, k: i32, alpha0: f64, v: usize, out: usize, withTarget: bool, batch: usize): void {
  const rowBytes = <usize>k << 2;
  const coefficients = batch + ((<usize>BATCH) << 2);
  for (let first = start; first < end; first += BATCH) {
    const count = min(BATCH, end - first);
    touchRows(indices + (<usize>first << 2), count, y, rowBytes, batch);
    for (let n = 0; n < count; n++) {
      const at = <usize>(first + n) << 2;
      const row = <usize>load<u32>(batch + (<usize>n << 2));
      const c = <f64>load<f32>(conf + at);
      const t = (c - alpha0) * dot(row, v, k);
      store<f32>(coefficients + (<usize>n << 2), <f32>(withTarget ? c - t : t));
    }
    axpyBatch(batch, coefficients, count, out, k);
  }
}

/**
 * Writes the addresses of `count` rows to `rows`, first reading one word of every cache line
 * of each row. Wasm has no prefetch instruction; these loads are independent of each other
 * and of any arithmetic, so the misses of a whole batch are in flight at once, where the dot
 * products alone leave a few rows' misses in flight (they fill the reorder window with
 * arithmetic). The words are combined and stored so that the loads are not optimised away.
 */
function touchRows(indices: usize, count: i32, y: usize, rowBytes: usize, rows: usize): void {
  let sink: i32 = 0;
  for (let n = 0; n < count; n++) {
    const row = y + <usize>load<i32>(indices + (<usize>n << 2)) * rowBytes;
    store<u32>(rows + (<usize>n << 2), row);
    for (let line: usize = 0; line < rowBytes; line += 64) sink |= load<i32>(row + line);
  }
  store<i32>(rows + ((<usize>BATCH) << 3), sink);
}

/** out += Σ_n coefficients[n] · rows[n] for `count` row addresses. */
function axpyBatch(rows: usize, coefficients: usize, count: i32, out: usize, k: i32): void {
  let f = 0;
  for (; f + 32 <= k; f += 32) {
    const o = out + (<usize>f << 2);
    let a0 = v128.load(o);
    let a1 = v128.load(o, 16);
    let a2 = v128.load(o, 32);
    let a3 = v128.load(o, 48);
    let a4 = v128.load(o, 64);
    let a5 = v128.load(o, 80);
    let a6 = v128.load(o, 96);
    let a7 = v128.load(o, 112);
    for (let n = 0; n < count; n++) {
      const s = v128.load32_splat(coefficients + (<usize>n << 2));
      const p = <usize>load<u32>(rows + (<usize>n << 2)) + (<usize>f << 2);
      a0 = f32x4.add(a0, f32x4.mul(s, v128.load(p)));
      a1 = f32x4.add(a1, f32x4.mul(s, v128.load(p, 16)));
      a2 = f32x4.add(a2, f32x4.mul(s, v128.load(p, 32)));
      a3 = f32x4.add(a3, f32x4.mul(s, v128.load(p, 48)));
      a4 = f32x4.add(a4, f32x4.mul(s, v128.load(p, 64)));
      a5 = f32x4.add(a5, f32x4.mul(s, v128.load(p, 80)));
      a6 = f32x4.add(a6, f32x4.mul(s, v128.load(p, 96)));
      a7 = f32x4.add(a7, f32x4.mul(s, v128.load(p, 112)));
    }
    v128.store(o, a0);
    v128.store(o, a1, 16);
    v128.store(o, a2, 32);
    v128.store(o, a3, 48);
    v128.store(o, a4, 64);
    v128.store(o, a5, 80);
    v128.store(o, a6, 96);
    v128.store(o, a7, 112);
  }
  for (; f < k; f += 4) {
    const o = out + (<usize>f << 2);
    let a = v128.load(o);
    for (let n = 0; n < count; n++) {
      a = f32x4.add(a, f32x4.mul(v128.load32_splat(coefficients + (<usize>n << 2)), v128.load(<usize>load<u32>(rows + (<usize>n << 2)) + (<usize>f << 2))));
    }
    v128.store(o, a);
  }
}

// ---- Conjugate gradient ----

/**
 * CG steps once x, r = b − A x and the inverse preconditioner diagonal (vector slot 5) are set.
 * The Gram-and-ridge part of A·p is α₀·(p·G) + λp with G (times α₀) in the scratch matrix when
 * `dense`, else d ⊙ p with d in vector slot 7.
 */
function cgSteps(steps: i32, precondition: bool, dense: bool, lambda: f32, indices: usize, conf: usize, start: i32, end: i32, y: usize, k: i32, alpha0: f64, scratch: usize, batch: usize): void {
  const x = vectorAt(scratch, k, 0);
  const r = vectorAt(scratch, k, 1);
  const z = vectorAt(scratch, k, 2);
  const p = vectorAt(scratch, k, 3);
  const ap = vectorAt(scratch, k, 4);
  const mInverse = vectorAt(scratch, k, 5);
  const d = vectorAt(scratch, k, 7);
  const g = matrixAt(scratch);
  const bytes = <usize>k << 2;
  const l = f32x4.splat(lambda);
  for (let o: usize = 0; o < bytes; o += 16) {
    const rv = v128.load(r + o);
    const zv = precondition ? f32x4.mul(rv, v128.load(mInverse + o)) : rv;
    v128.store(z + o, zv);
    v128.store(p + o, zv);
  }
  let rz = dot(r, z, k);
  if (!(rz > RESIDUAL_EPSILON)) return;
  for (let step = 0; step < steps; step++) {
    if (dense) {
      vectorMatrix(p, g, ap, k);
      for (let o: usize = 0; o < bytes; o += 16) v128.store(ap + o, f32x4.add(v128.load(ap + o), f32x4.mul(l, v128.load(p + o))));
    } else {
      for (let o: usize = 0; o < bytes; o += 16) v128.store(ap + o, f32x4.mul(v128.load(d + o), v128.load(p + o)));
    }
    sparsePass(indices, conf, start, end, y, k, alpha0, p, ap, false, batch);
    const pAp = dot(p, ap, k);
    if (!(pAp > 0)) return;
    const a = f32x4.splat(<f32>(rz / pAp));
    for (let o: usize = 0; o < bytes; o += 16) {
      v128.store(x + o, f32x4.add(v128.load(x + o), f32x4.mul(a, v128.load(p + o))));
      const rv = f32x4.sub(v128.load(r + o), f32x4.mul(a, v128.load(ap + o)));
      v128.store(r + o, rv);
      v128.store(z + o, precondition ? f32x4.mul(rv, v128.load(mInverse + o)) : rv);
    }
    const rzNext = dot(r, z, k);
    if (!(rzNext > RESIDUAL_EPSILON)) return;
    const beta = f32x4.splat(<f32>(rzNext / rz));
    for (let o: usize = 0; o < bytes; o += 16) v128.store(p + o, f32x4.add(v128.load(z + o), f32x4.mul(beta, v128.load(p + o))));
    rz = rzNext;
  }
}

// ---- Phases (one block of rows per call) ----

/**
 * Rows [start, end) of the side solved in the eigenbasis of the other side (als-kernel.ts,
 * solveRowsDiag): rows of up to `exactLimit` non-zeros exactly by Woodbury, the others by
 * rotating the old row into the eigenbasis and running preconditioned CG steps.
 * q: k × k float64 eigenvectors; eigenvalues: k float64; lambdas: float64 λ per row length.
 */
export function solveDiag(
  k: i32,
  alpha0: f64,
  steps: i32,
  precondition: bool,
  exactLimit: i32,
  indptr: usize,
  indices: usize,
  conf: usize,
  lambdas: usize,
  factors: usize,
  y: usize,
  start: i32,
  end: i32,
  q: usize,
  eigenvalues: usize,
  scratch: usize,
): void {
  const bytes = <usize>k << 2;
  const x = vectorAt(scratch, k, 0);
  const r = vectorAt(scratch, k, 1);
  const mInverse = vectorAt(scratch, k, 5);
  const base = vectorAt(scratch, k, 6);
  const d = vectorAt(scratch, k, 7);
  const inverseD = inverseDAt(scratch, k);
  const batch = batchAt(scratch, k, exactLimit);
  matrixToF32(q, matrixAt(scratch), k, 1);
  for (let f = 0; f < k; f++) store<f32>(base + (<usize>f << 2), <f32>(alpha0 * load<f64>(eigenvalues + (<usize>f << 3))));
  for (let n = 0; n <= exactLimit; n++) {
    const l = load<f64>(lambdas + (<usize>n << 3));
    for (let f = 0; f < k; f++) {
      store<f32>(inverseD + ((<usize>(n * k + f)) << 2), <f32>(1 / (alpha0 * load<f64>(eigenvalues + (<usize>f << 3)) + l)));
    }
  }
  for (let row = start; row < end; row++) {
    const o = factors + <usize>row * bytes;
    const s = load<i32>(indptr + (<usize>row << 2));
    const e = load<i32>(indptr + (<usize>(row + 1) << 2));
    const n = e - s;
    if (n <= exactLimit && solveShortRow(alpha0, k, indices, conf, s, e, y, inverseD + <usize>n * bytes, scratch, exactLimit, o)) continue;
    const lambda = <f32>load<f64>(lambdas + (<usize>n << 3));
    const l = f32x4.splat(lambda);
    const one = f32x4.splat(1);
    vectorMatrix(o, matrixAt(scratch), x, k);
    for (let at: usize = 0; at < bytes; at += 16) {
      const dv = f32x4.add(v128.load(base + at), l);
      v128.store(d + at, dv);
      v128.store(mInverse + at, f32x4.div(one, dv));
      v128.store(r + at, f32x4.neg(f32x4.mul(dv, v128.load(x + at))));
    }
    sparsePass(indices, conf, s, e, y, k, alpha0, x, r, true, batch);
    cgSteps(steps, precondition, false, lambda, indices, conf, s, e, y, k, alpha0, scratch, batch);
    memory.copy(o, x, bytes);
  }
}

/**
 * Exact solution, written to the factor row at `out`, of (D + Vᵀ W V) x = Vᵀ c for a row with
 * n ≤ limit non-zeros (als-kernel.ts, solveShortRow): with S = W⁻¹ + V D⁻¹ Vᵀ,
 * x = D⁻¹Vᵀ (c − S⁻¹ V D⁻¹ Vᵀ c). Returns false (nothing written) when some c − α₀ ≤ 0 or
 * S is not numerically positive definite; CG then takes the row.
 */
function solveShortRow(alpha0: f64, k: i32, indices: usize, conf: usize, start: i32, end: i32, y: usize, inverseD: usize, scratch: usize, limit: i32, out: usize): bool {
  const n = end - start;
  const bytes = <usize>k << 2;
  const scaled = scaledAt(scratch, k, limit);
  const cap = capacitanceAt(scratch, k, limit);
  const small = smallAt(scratch, k, limit);
  const rows = batchAt(scratch, k, limit);
  for (let a = 0; a < n; a++) if (!(<f64>load<f32>(conf + (<usize>(start + a) << 2)) - alpha0 > 0)) return false;
  // rows[a] = address of y_a (its cache lines requested); scaled[a] = D⁻¹ y_a.
  touchRows(indices + (<usize>start << 2), n, y, bytes, rows);
  for (let a = 0; a < n; a++) {
    const ya = <usize>load<u32>(rows + (<usize>a << 2));
    const sa = scaled + <usize>a * bytes;
    for (let at: usize = 0; at < bytes; at += 16) v128.store(sa + at, f32x4.mul(v128.load(ya + at), v128.load(inverseD + at)));
  }
  // cap = V D⁻¹ Vᵀ: the lower triangle, four entries of a row at a time, then mirrored.
  for (let a = 0; a < n; a++) {
    const sa = scaled + <usize>a * bytes;
    const ca = cap + ((<usize>(a * n)) << 3);
    let b = 0;
    for (; b + 4 <= a + 1; b += 4) {
      const rb = rows + (<usize>b << 2);
      const d = dot4(sa, <usize>load<u32>(rb), <usize>load<u32>(rb, 4), <usize>load<u32>(rb, 8), <usize>load<u32>(rb, 12), k);
      const cb = ca + (<usize>b << 3);
      store<f64>(cb, <f64>f32x4.extract_lane(d, 0));
      store<f64>(cb, <f64>f32x4.extract_lane(d, 1), 8);
      store<f64>(cb, <f64>f32x4.extract_lane(d, 2), 16);
      store<f64>(cb, <f64>f32x4.extract_lane(d, 3), 24);
    }
    for (; b <= a; b++) store<f64>(ca + (<usize>b << 3), dot(sa, <usize>load<u32>(rows + (<usize>b << 2)), k));
  }
  // small = (V D⁻¹ Vᵀ) c from the lower triangle (each entry used for its row and its column);
  // then cap gets W⁻¹ on its diagonal. Only the lower triangle is ever read.
  memory.fill(small, 0, <usize>n << 3);
  for (let a = 0; a < n; a++) {
    const ca = cap + ((<usize>(a * n)) << 3);
    const cA = <f64>load<f32>(conf + (<usize>(start + a) << 2));
    let t: f64 = 0;
    for (let b = 0; b < a; b++) {
      const v = load<f64>(ca + (<usize>b << 3));
      t += v * <f64>load<f32>(conf + (<usize>(start + b) << 2));
      const sb = small + (<usize>b << 3);
      store<f64>(sb, load<f64>(sb) + v * cA);
    }
    const diagonal = ca + (<usize>a << 3);
    const v = load<f64>(diagonal);
    const sa = small + (<usize>a << 3);
    store<f64>(sa, load<f64>(sa) + t + v * cA);
    store<f64>(diagonal, v + 1 / (cA - alpha0));
  }
  if (!choleskySolveSmall(cap, small, n)) return false;
  // x = Σ_a (c_a − z_a) D⁻¹ y_a, four output vectors at a time.
  const coefficients = rows + ((<usize>BATCH) << 2);
  for (let a = 0; a < n; a++) {
    const c = <f64>load<f32>(conf + (<usize>(start + a) << 2));
    store<f32>(coefficients + (<usize>a << 2), <f32>(c - load<f64>(small + (<usize>a << 3))));
  }
  for (let at: usize = 0; at < bytes; at += 64) {
    let a0 = f32x4.splat(0);
    let a1 = a0;
    let a2 = a0;
    let a3 = a0;
    if (at + 64 <= bytes) {
      for (let a = 0; a < n; a++) {
        const c = v128.load32_splat(coefficients + (<usize>a << 2));
        const sp = scaled + <usize>a * bytes + at;
        a0 = f32x4.add(a0, f32x4.mul(c, v128.load(sp)));
        a1 = f32x4.add(a1, f32x4.mul(c, v128.load(sp, 16)));
        a2 = f32x4.add(a2, f32x4.mul(c, v128.load(sp, 32)));
        a3 = f32x4.add(a3, f32x4.mul(c, v128.load(sp, 48)));
      }
      v128.store(out + at, a0);
      v128.store(out + at, a1, 16);
      v128.store(out + at, a2, 32);
      v128.store(out + at, a3, 48);
    } else {
      for (let tail = at; tail < bytes; tail += 16) {
        let t = f32x4.splat(0);
        for (let a = 0; a < n; a++) t = f32x4.add(t, f32x4.mul(v128.load32_splat(coefficients + (<usize>a << 2)), v128.load(scaled + <usize>a * bytes + tail)));
        v128.store(out + tail, t);
      }
    }
  }
  return true;
}

/** Σ_{p<n} a[p]·b[p] over float64, two lanes at a time (rows of the small system). */
function dot64(a: usize, b: usize, n: i32): f64 {
  let s = f64x2.splat(0);
  const pairs = <usize>(n & ~1) << 3;
  let at: usize = 0;
  for (; at < pairs; at += 16) s = f64x2.add(s, f64x2.mul(v128.load(a + at), v128.load(b + at)));
  let t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  if (n & 1) t += load<f64>(a + at) * load<f64>(b + at);
  return t;
}

/**
 * In-place float64 Cholesky solve of an n × n SPD system, reading the lower triangle (as in
 * als-kernel.ts, with the row dot products two lanes at a time).
 */
function choleskySolveSmall(a: usize, b: usize, n: i32): bool {
  for (let j = 0; j < n; j++) {
    const jo = a + ((<usize>(j * n)) << 3);
    const diagonal = load<f64>(jo + (<usize>j << 3)) - dot64(jo, jo, j);
    if (!(diagonal > 0)) return false;
    const ljj = Math.sqrt(diagonal);
    store<f64>(jo + (<usize>j << 3), ljj);
    for (let i = j + 1; i < n; i++) {
      const ij = a + ((<usize>(i * n + j)) << 3);
      store<f64>(ij, (load<f64>(ij) - dot64(a + ((<usize>(i * n)) << 3), jo, j)) / ljj);
    }
  }
  for (let i = 0; i < n; i++) {
    const io = a + ((<usize>(i * n)) << 3);
    store<f64>(b + (<usize>i << 3), (load<f64>(b + (<usize>i << 3)) - dot64(io, b, i)) / load<f64>(io + (<usize>i << 3)));
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = load<f64>(b + (<usize>i << 3));
    for (let p = i + 1; p < n; p++) s -= load<f64>(a + ((<usize>(p * n + i)) << 3)) * load<f64>(b + (<usize>p << 3));
    store<f64>(b + (<usize>i << 3), s / load<f64>(a + ((<usize>(i * n + i)) << 3)));
  }
  return true;
}

/**
 * Rows [start, end) solved against the dense Gram matrix g (k × k float64) of the other side
 * (als-kernel.ts, solveRowsDense), warm-started from the current rows.
 */
export function solveDense(
  k: i32,
  alpha0: f64,
  steps: i32,
  precondition: bool,
  limit: i32,
  indptr: usize,
  indices: usize,
  conf: usize,
  lambdas: usize,
  factors: usize,
  y: usize,
  start: i32,
  end: i32,
  g: usize,
  scratch: usize,
): void {
  const bytes = <usize>k << 2;
  const x = vectorAt(scratch, k, 0);
  const r = vectorAt(scratch, k, 1);
  const mInverse = vectorAt(scratch, k, 5);
  const base = vectorAt(scratch, k, 6);
  const batch = batchAt(scratch, k, limit);
  const matrix = matrixAt(scratch);
  matrixToF32(g, matrix, k, alpha0);
  for (let f = 0; f < k; f++) store<f32>(base + (<usize>f << 2), load<f32>(matrix + ((<usize>(f * k + f)) << 2)));
  const one = f32x4.splat(1);
  for (let row = start; row < end; row++) {
    const o = factors + <usize>row * bytes;
    const s = load<i32>(indptr + (<usize>row << 2));
    const e = load<i32>(indptr + (<usize>(row + 1) << 2));
    const lambda = <f32>load<f64>(lambdas + (<usize>(e - s) << 3));
    const l = f32x4.splat(lambda);
    memory.copy(x, o, bytes);
    vectorMatrix(x, matrix, r, k);
    for (let at: usize = 0; at < bytes; at += 16) {
      v128.store(r + at, f32x4.neg(f32x4.add(v128.load(r + at), f32x4.mul(l, v128.load(x + at)))));
      v128.store(mInverse + at, f32x4.div(one, f32x4.add(v128.load(base + at), l)));
    }
    sparsePass(indices, conf, s, e, y, k, alpha0, x, r, true, batch);
    cgSteps(steps, precondition, true, lambda, indices, conf, s, e, y, k, alpha0, scratch, batch);
    memory.copy(o, x, bytes);
  }
}

/** Rows [start, end) ← rows · Q (q: k × k float64). */
export function rotate(k: i32, factors: usize, start: i32, end: i32, q: usize, scratch: usize): void {
  const bytes = <usize>k << 2;
  const x = vectorAt(scratch, k, 0);
  const matrix = matrixAt(scratch);
  matrixToF32(q, matrix, k, 1);
  for (let row = start; row < end; row++) {
    const o = factors + <usize>row * bytes;
    vectorMatrix(o, matrix, x, k);
    memory.copy(o, x, bytes);
  }
}

/**
 * The partial Gram matrix Σ x xᵀ of rows [start, end), written as float64 to `partial`
 * (k × k; the upper triangle is meaningful, as in als-kernel.ts gramBlock). Accumulated in
 * float32 four rows and two output rows at a time (eight products per load of the
 * accumulator), and added to the float64 partial every GRAM_FLUSH rows.
 */
export function gram(k: i32, factors: usize, start: i32, end: i32, partial: usize, scratch: usize): void {
  const bytes = <usize>k << 2;
  const kk = <usize>k * <usize>k;
  const acc = accumulatorAt(scratch, k);
  memory.fill(partial, 0, kk << 3);
  for (let first = start; first < end; first += GRAM_FLUSH) {
    const last = min(first + GRAM_FLUSH, end);
    memory.fill(acc, 0, kk << 2);
    let row = first;
    for (; row + 4 <= last; row += 4) {
      const r0 = factors + <usize>row * bytes;
      const r1 = r0 + bytes;
      const r2 = r1 + bytes;
      const r3 = r2 + bytes;
      for (let j = 0; j < k; j += 2) {
        const jb = <usize>j << 2;
        const a0 = v128.load32_splat(r0 + jb);
        const a1 = v128.load32_splat(r1 + jb);
        const a2 = v128.load32_splat(r2 + jb);
        const a3 = v128.load32_splat(r3 + jb);
        const b0 = v128.load32_splat(r0 + jb, 4);
        const b1 = v128.load32_splat(r1 + jb, 4);
        const b2 = v128.load32_splat(r2 + jb, 4);
        const b3 = v128.load32_splat(r3 + jb, 4);
        const ga = acc + <usize>j * bytes;
        // From the 4-aligned column at or left of j: the upper triangle and a little more.
        for (let at = jb & ~(<usize>15); at < bytes; at += 16) {
          const c0 = v128.load(r0 + at);
          const c1 = v128.load(r1 + at);
          const c2 = v128.load(r2 + at);
          const c3 = v128.load(r3 + at);
          const pa = ga + at;
          v128.store(pa, f32x4.add(v128.load(pa), f32x4.add(f32x4.add(f32x4.mul(a0, c0), f32x4.mul(a1, c1)), f32x4.add(f32x4.mul(a2, c2), f32x4.mul(a3, c3)))));
          const pb = pa + bytes;
          v128.store(pb, f32x4.add(v128.load(pb), f32x4.add(f32x4.add(f32x4.mul(b0, c0), f32x4.mul(b1, c1)), f32x4.add(f32x4.mul(b2, c2), f32x4.mul(b3, c3)))));
        }
      }
    }
    for (; row < last; row++) {
      const r0 = factors + <usize>row * bytes;
      for (let j = 0; j < k; j++) {
        const jb = <usize>j << 2;
        const a0 = v128.load32_splat(r0 + jb);
        const ga = acc + <usize>j * bytes;
        for (let at = jb & ~(<usize>15); at < bytes; at += 16) v128.store(ga + at, f32x4.add(v128.load(ga + at), f32x4.mul(a0, v128.load(r0 + at))));
      }
    }
    for (let i: usize = 0; i < kk; i++) {
      const p = partial + (i << 3);
      store<f64>(p, load<f64>(p) + <f64>load<f32>(acc + (i << 2)));
    }
  }
}
