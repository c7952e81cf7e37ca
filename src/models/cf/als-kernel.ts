/**
 * The hot loops of implicit ALS, shared by the main thread (threads = 1) and the worker
 * threads (als-worker.ts). Everything here works on typed arrays that may live in
 * SharedArrayBuffers; nothing allocates per row.
 *
 * Model (Hu, Koren & Volinsky 2008, with the unobserved weight α₀ and the frequency-scaled
 * regularisation of Rendle, Krichene, Zhang & Koren 2022): for one row u (a user, or an item
 * when solving the item side) with observed columns S_u and confidences c_ui,
 *
 *   minimise  Σ_{i∈S_u} c_ui (x·y_i − 1)² + α₀ Σ_{i∉S_u} (x·y_i)² + λ_u ‖x‖²
 *
 * whose normal equations are A x = b with
 *
 *   A = α₀ YᵀY + Σ_{i∈S_u} (c_ui − α₀) y_i y_iᵀ + λ_u I,    b = Σ_{i∈S_u} c_ui y_i,
 *   λ_u = λ                                    (regScaling 'none')
 *   λ_u = λ · (|S_u| + α₀ · |other side|)^ν    (regScaling 'frequency', Rendle et al. eq. 5)
 *
 * They are solved approximately by a few conjugate-gradient steps warm-started from the
 * current x (Takács, Pilászy & Tikk 2011): each step costs one pass over the row's non-zeros
 * (O(|S_u|·k)) plus one product with the Gram matrix YᵀY.
 *
 * The Gram product is O(k²) per step and, for the side with many short rows (users with a
 * handful of plays), it dominates the cost. For that side we first rotate both factor matrices
 * into the eigenbasis of YᵀY = Q Λ Qᵀ (scores x·y are unchanged by an orthogonal rotation, and
 * CG commutes with it): the Gram matrix becomes diagonal, so a CG step costs O(k) for it, and
 * each row pays one O(k²) rotation instead of cgSteps + 1 Gram products. The diagonal also
 * makes a diagonal preconditioner capture the whole Gram part exactly. And since
 * A = D + Vᵀ W V there, with D diagonal and V the row's n item vectors, rows with few
 * non-zeros (n ≤ 17 for k = 64) are solved exactly by the Woodbury identity in O(n²k),
 * cheaper than the rotation plus the CG steps, and without needing a warm start.
 * The other side (fewer, longer rows) keeps the dense Gram matrix.
 *
 * Work is split into fixed blocks of rows that depend only on the data (never on the thread
 * count), threads take blocks from a shared atomic counter, and each block writes its own
 * partial Gram matrix; partials are summed in block order. So results are bit-identical for
 * any number of threads.
 *
 * The same loops exist as WebAssembly SIMD kernels (wasm/als.ts, run by als-wasm.ts), which
 * train by default; this file is their reference (test/models/cf/als-wasm.test.ts) and the
 * fallback where they cannot run. The loss phase always runs here.
 */

/** One side of the matrix in CSR form (users × items, or its transpose), with confidences. */
export interface AlsSide {
  rows: number;
  indptr: Int32Array;
  indices: Int32Array;
  /** Confidence c of each non-zero (1 + α·f(r)). */
  conf: Float32Array;
  /** Fixed block boundaries: block b covers rows [blocks[b], blocks[b+1]). */
  blocks: Int32Array;
}

export interface AlsSettings {
  k: number;
  /** α₀: the weight of each unobserved cell. */
  alpha0: number;
  lambda: number;
  /** ν of the frequency-scaled regularisation; 0 disables the scaling. */
  nu: number;
  cgSteps: number;
  /**
   * Diagonal preconditioning of the CG steps by diag(α₀ YᵀY + λ I): in the eigenbasis that
   * is the whole Gram part of A. (Adding the data part's diagonal did not converge measurably
   * faster on Last.fm and costs a third more per non-zero in the first pass.)
   */
  precondition: boolean;
  /**
   * On the side solved in the eigenbasis, solve rows with few non-zeros exactly (Woodbury
   * identity) when that is cheaper than the CG steps; see `exactRowLimit`.
   */
  exactShortRows: boolean;
}

/** Everything the threads share: built once per fit, passed to workers as workerData. */
export interface AlsShared {
  settings: AlsSettings;
  users: AlsSide;
  items: AlsSide;
  userFactors: Float32Array;
  itemFactors: Float32Array;
  /** k × k: the dense Gram matrix of the other side (mode 'dense') or the eigenvectors Q. */
  matrix: Float64Array;
  /** k: the eigenvalues Λ (mode 'diag'). */
  eigenvalues: Float64Array;
  /** One k × k partial Gram matrix per block (upper triangle filled), for the largest side. */
  partials: Float64Array;
  /** One partial loss per block. */
  lossPartials: Float64Array;
  /** [0]: the next block to take. */
  counter: Int32Array;
  /**
   * Set when the phases run in the WebAssembly kernel (als-wasm.ts): every array above but
   * `counter` is then a view into `memory`.
   */
  wasm?: AlsWasmShared;
}

/** The WebAssembly kernel's share of AlsShared (see als-wasm.ts). */
export interface AlsWasmShared {
  /** A compiled WebAssembly.Module (opaque here: the project's TypeScript lib has no WebAssembly types). */
  module: object;
  /** A shared WebAssembly.Memory. */
  memory: { readonly buffer: ArrayBufferLike };
  /** Per side: λ of a row by its number of non-zeros (0 .. the longest row, and at least the exact-solve limit). */
  lambdas: { users: Float64Array; items: Float64Array };
  /** Byte address of the first thread's scratch, bytes per thread, and the number of slots. */
  scratchBase: number;
  scratchBytes: number;
  slots: number;
  /** [0]: scratch slots taken by worker threads (a worker's slot is 1 + its claim; the main thread's is 0). */
  nextSlot: Int32Array;
}

export type SideName = 'users' | 'items';

export type PhaseMessage =
  /** Partial Gram matrices of the side's factor rows. */
  | { phase: 'gram'; side: SideName }
  /** Rotate the side's factor rows: x ← x Q (Q in `matrix`). */
  | { phase: 'rotate'; side: SideName }
  /**
   * Solve every row of the side against the other side's fixed factors, then write the
   * partial Gram matrices of the new rows. 'diag': the other side is already rotated into the
   * eigenbasis (eigenvalues in `eigenvalues`, Q in `matrix`) and each row is rotated by Q
   * before solving; 'dense': `matrix` holds the other side's Gram matrix.
   */
  | { phase: 'solve'; side: SideName; mode: 'diag' | 'dense' }
  /** Per-block loss terms: data terms (users side only) + λ_u‖x_u‖². */
  | { phase: 'loss'; side: SideName; dataTerm: boolean };

/** Per-thread scratch: vectors of length k, and the buffers of exact short-row solves. */
export interface Scratch {
  x: Float64Array;
  r: Float64Array;
  z: Float64Array;
  p: Float64Array;
  ap: Float64Array;
  m: Float64Array;
  /** Rows with at most this many non-zeros are solved exactly (diagonal mode). */
  exactLimit: number;
  /** exactLimit × k: the row's item factors scaled by D⁻¹. */
  scaled: Float64Array;
  /** exactLimit²: the capacitance matrix. */
  capacitance: Float64Array;
  /** exactLimit: right-hand side / solution of the capacitance system. */
  small: Float64Array;
  /** (exactLimit + 1) × k: D⁻¹ for each row length (λ depends on it), per block. */
  inverseD: Float64Array;
  /** max(exactLimit, 4) × k: a short row's item vectors, contiguous (also gramBlock's buffer). */
  gathered: Float64Array;
}

export function createScratch(settings: AlsSettings): Scratch {
  const { k } = settings;
  const limit = settings.exactShortRows ? exactRowLimit(k, settings.cgSteps) : 0;
  return {
    x: new Float64Array(k),
    r: new Float64Array(k),
    z: new Float64Array(k),
    p: new Float64Array(k),
    ap: new Float64Array(k),
    m: new Float64Array(k),
    exactLimit: limit,
    scaled: new Float64Array(limit * k),
    capacitance: new Float64Array(limit * limit),
    small: new Float64Array(limit),
    inverseD: new Float64Array((limit + 1) * k),
    gathered: new Float64Array(Math.max(limit, 4) * k),
  };
}

/**
 * The largest row length n for which the exact solve (≈ n²k/2 + n³/6 + 2nk multiply-adds)
 * costs less than rotating the row and running the CG steps (≈ k² + 2(cgSteps + 1)·n·k);
 * at most 64. For k = 64 and 3 CG steps: 17.
 */
export function exactRowLimit(k: number, cgSteps: number): number {
  let n = 0;
  while (n < 64) {
    const m = n + 1;
    if ((m * m * k) / 2 + (m * m * m) / 6 + 2 * m * k >= k * k + 2 * (cgSteps + 1) * m * k) break;
    n = m;
  }
  return n;
}

/**
 * Fixed block boundaries for a side: about `maxBlocks` blocks of similar estimated cost
 * (non-zero passes plus per-row dense work). Depends only on the data and settings.
 */
export function makeBlocks(indptr: Int32Array, rows: number, k: number, cgSteps: number, maxBlocks = 256): Int32Array {
  const count = Math.max(1, Math.min(rows, maxBlocks));
  const passes = 2 * (cgSteps + 1);
  const perRow = k + 8;
  const total = indptr[rows] * passes + rows * perRow;
  const blocks = new Int32Array(count + 1);
  let b = 1;
  let cost = 0;
  for (let r = 0; r < rows && b < count; r++) {
    cost += (indptr[r + 1] - indptr[r]) * passes + perRow;
    if (cost >= (total * b) / count) blocks[b++] = r + 1;
  }
  // Any blocks not cut (very uneven rows) become empty ranges at the end.
  for (; b <= count; b++) blocks[b] = rows;
  return blocks;
}

/** Runs one phase: takes blocks from the shared counter until none remain. */
export function runPhase(shared: AlsShared, scratch: Scratch, message: PhaseMessage): void {
  const side = message.side === 'users' ? shared.users : shared.items;
  const other = message.side === 'users' ? shared.items : shared.users;
  const factors = message.side === 'users' ? shared.userFactors : shared.itemFactors;
  const otherFactors = message.side === 'users' ? shared.itemFactors : shared.userFactors;
  const blockCount = side.blocks.length - 1;
  const k = shared.settings.k;
  for (;;) {
    const b = Atomics.add(shared.counter, 0, 1);
    if (b >= blockCount) return;
    const start = side.blocks[b];
    const end = side.blocks[b + 1];
    switch (message.phase) {
      case 'gram':
        gramBlock(factors, k, start, end, shared.partials, b * k * k, scratch.gathered);
        break;
      case 'rotate':
        rotateRows(factors, k, start, end, shared.matrix, scratch.x);
        break;
      case 'solve':
        if (message.mode === 'diag') solveRowsDiag(shared.settings, side, other.rows, factors, otherFactors, start, end, shared.matrix, shared.eigenvalues, scratch);
        else solveRowsDense(shared.settings, side, other.rows, factors, otherFactors, start, end, shared.matrix, scratch);
        gramBlock(factors, k, start, end, shared.partials, b * k * k, scratch.gathered);
        break;
      case 'loss':
        shared.lossPartials[b] = lossBlock(shared.settings, side, other.rows, factors, otherFactors, start, end, message.dataTerm);
        break;
    }
  }
}

/**
 * The partial Gram matrix Σ x xᵀ of rows [start, end), upper triangle only, written to
 * partials[at .. at + k²). Rows are taken four at a time (one read-modify-write of the
 * partial per four products); `buffer` needs 4k entries.
 */
export function gramBlock(factors: Float32Array, k: number, start: number, end: number, partials: Float64Array, at: number, buffer: Float64Array): void {
  partials.fill(0, at, at + k * k);
  const k2 = 2 * k;
  const k3 = 3 * k;
  let row = start;
  for (; row + 4 <= end; row += 4) {
    const o = row * k;
    for (let f = 0; f < 4 * k; f++) buffer[f] = factors[o + f];
    for (let j = 0; j < k; j++) {
      const a0 = buffer[j];
      const a1 = buffer[k + j];
      const a2 = buffer[k2 + j];
      const a3 = buffer[k3 + j];
      const go = at + j * k;
      for (let l = j; l < k; l++) partials[go + l] += a0 * buffer[l] + a1 * buffer[k + l] + a2 * buffer[k2 + l] + a3 * buffer[k3 + l];
    }
  }
  for (; row < end; row++) {
    const o = row * k;
    for (let f = 0; f < k; f++) buffer[f] = factors[o + f];
    for (let j = 0; j < k; j++) {
      const a0 = buffer[j];
      const go = at + j * k;
      for (let l = j; l < k; l++) partials[go + l] += a0 * buffer[l];
    }
  }
}

/** Sums block partial Gram matrices (in block order) into a full symmetric k × k matrix. */
export function sumPartials(partials: Float64Array, blocks: number, k: number, out: Float64Array): Float64Array {
  out.fill(0);
  const kk = k * k;
  for (let b = 0; b < blocks; b++) {
    const at = b * kk;
    for (let j = 0; j < k; j++) for (let l = j; l < k; l++) out[j * k + l] += partials[at + j * k + l];
  }
  for (let j = 0; j < k; j++) for (let l = 0; l < j; l++) out[j * k + l] = out[l * k + j];
  return out;
}

/** Rows [start, end) ← rows · Q (Q row-major k × k). */
export function rotateRows(factors: Float32Array, k: number, start: number, end: number, q: Float64Array, x: Float64Array): void {
  for (let row = start; row < end; row++) {
    const o = row * k;
    rotateInto(factors, o, k, q, x);
    for (let f = 0; f < k; f++) factors[o + f] = x[f];
  }
}

/** x = factors[o .. o+k) · Q. */
function rotateInto(factors: Float32Array, o: number, k: number, q: Float64Array, x: Float64Array): void {
  x.fill(0);
  for (let j = 0; j < k; j++) {
    const v = factors[o + j];
    if (v === 0) continue;
    const qo = j * k;
    let f = 0;
    for (; f + 4 <= k; f += 4) {
      x[f] += v * q[qo + f];
      x[f + 1] += v * q[qo + f + 1];
      x[f + 2] += v * q[qo + f + 2];
      x[f + 3] += v * q[qo + f + 3];
    }
    for (; f < k; f++) x[f] += v * q[qo + f];
  }
}

/** λ of a row with `count` non-zeros when the other side has `otherRows` rows. */
export function rowLambda(settings: AlsSettings, count: number, otherRows: number): number {
  return settings.nu === 0 ? settings.lambda : settings.lambda * Math.pow(count + settings.alpha0 * otherRows, settings.nu);
}

/**
 * Accumulates, over the row's non-zeros n, out += coefficient(n) · y_n where
 * coefficient = c − (c − α₀)(y·v) when `withTarget`, and (c − α₀)(y·v) otherwise.
 * (Copying the row's vectors to a contiguous buffer for the later CG passes was measured
 * about 5% slower: they are still in cache.)
 */
function sparsePass(
  indices: Int32Array,
  conf: Float32Array,
  start: number,
  end: number,
  y: Float32Array,
  k: number,
  alpha0: number,
  v: Float64Array,
  out: Float64Array,
  withTarget: boolean,
): void {
  const k4 = k & ~3;
  for (let n = start; n < end; n++) {
    const o = indices[n] * k;
    const c = conf[n];
    const w = c - alpha0;
    let t0 = 0;
    let t1 = 0;
    let t2 = 0;
    let t3 = 0;
    let f = 0;
    for (; f < k4; f += 4) {
      t0 += y[o + f] * v[f];
      t1 += y[o + f + 1] * v[f + 1];
      t2 += y[o + f + 2] * v[f + 2];
      t3 += y[o + f + 3] * v[f + 3];
    }
    for (; f < k; f++) t0 += y[o + f] * v[f];
    const t = t0 + t1 + (t2 + t3);
    const s = withTarget ? c - w * t : w * t;
    for (f = 0; f < k4; f += 4) {
      out[f] += s * y[o + f];
      out[f + 1] += s * y[o + f + 1];
      out[f + 2] += s * y[o + f + 2];
      out[f + 3] += s * y[o + f + 3];
    }
    for (; f < k; f++) out[f] += s * y[o + f];
  }
}

/** Below this squared (preconditioned) residual a row is considered solved. */
const RESIDUAL_EPSILON = 1e-20;

/**
 * Conjugate-gradient steps shared by both modes, once r = b − A x and the preconditioner's
 * diagonal m are set. `applyGram` writes the Gram-and-ridge part of A·p into ap.
 */
function cgSteps(
  settings: AlsSettings,
  indices: Int32Array,
  conf: Float32Array,
  start: number,
  end: number,
  y: Float32Array,
  scratch: Scratch,
  applyGram: (p: Float64Array, ap: Float64Array) => void,
): void {
  const { k, alpha0, cgSteps: steps, precondition } = settings;
  const { x, r, z, p, ap, m } = scratch;
  let rz = 0;
  for (let f = 0; f < k; f++) {
    const zf = precondition ? r[f] / m[f] : r[f];
    z[f] = zf;
    p[f] = zf;
    rz += r[f] * zf;
  }
  if (!(rz > RESIDUAL_EPSILON)) return;
  for (let step = 0; step < steps; step++) {
    applyGram(p, ap);
    sparsePass(indices, conf, start, end, y, k, alpha0, p, ap, false);
    let pAp = 0;
    for (let f = 0; f < k; f++) pAp += p[f] * ap[f];
    if (!(pAp > 0)) return;
    const a = rz / pAp;
    let rzNext = 0;
    for (let f = 0; f < k; f++) {
      x[f] += a * p[f];
      const rf = r[f] - a * ap[f];
      r[f] = rf;
      const zf = precondition ? rf / m[f] : rf;
      z[f] = zf;
      rzNext += rf * zf;
    }
    if (!(rzNext > RESIDUAL_EPSILON)) return;
    const beta = rzNext / rz;
    for (let f = 0; f < k; f++) p[f] = z[f] + beta * p[f];
    rz = rzNext;
  }
}

/** Solves rows [start, end) with a diagonal Gram matrix (the other side is in the eigenbasis). */
function solveRowsDiag(
  settings: AlsSettings,
  side: AlsSide,
  otherRows: number,
  factors: Float32Array,
  y: Float32Array,
  start: number,
  end: number,
  q: Float64Array,
  eigenvalues: Float64Array,
  scratch: Scratch,
): void {
  const { k, alpha0 } = settings;
  const { x, r, m } = scratch;
  const { indptr, indices, conf } = side;
  let lambda = 0;
  const applyGram = (p: Float64Array, ap: Float64Array): void => {
    for (let f = 0; f < k; f++) ap[f] = (alpha0 * eigenvalues[f] + lambda) * p[f];
  };
  const { exactLimit, inverseD } = scratch;
  for (let n = 0; n <= exactLimit; n++) {
    const l = rowLambda(settings, n, otherRows);
    for (let f = 0; f < k; f++) inverseD[n * k + f] = 1 / (alpha0 * eigenvalues[f] + l);
  }
  for (let row = start; row < end; row++) {
    const o = row * k;
    const s = indptr[row];
    const e = indptr[row + 1];
    lambda = rowLambda(settings, e - s, otherRows);
    if (e - s <= exactLimit && solveShortRow(alpha0, k, indices, conf, s, e, y, (e - s) * k, scratch)) {
      for (let f = 0; f < k; f++) factors[o + f] = x[f];
      continue;
    }
    rotateInto(factors, o, k, q, x);
    for (let f = 0; f < k; f++) {
      const d = alpha0 * eigenvalues[f] + lambda;
      r[f] = -d * x[f];
      m[f] = d;
    }
    sparsePass(indices, conf, s, e, y, k, alpha0, x, r, true);
    cgSteps(settings, indices, conf, s, e, y, scratch, applyGram);
    for (let f = 0; f < k; f++) factors[o + f] = x[f];
  }
}

/**
 * Exact solution, into scratch.x, of (D + Vᵀ W V) x = Vᵀ c for a row with n ≤ exactLimit
 * non-zeros, where D = diag(α₀Λ + λ) (the other side is in the eigenbasis), V holds the n
 * item rows, W = diag(c − α₀) and c the confidences. By the Woodbury identity, with
 * S = W⁻¹ + V D⁻¹ Vᵀ (n × n):  x = D⁻¹Vᵀ (c − S⁻¹ V D⁻¹ Vᵀ c). Returns false (nothing
 * written) when some c − α₀ ≤ 0, where the identity does not apply; CG then takes the row.
 */
function solveShortRow(alpha0: number, k: number, indices: Int32Array, conf: Float32Array, start: number, end: number, y: Float32Array, dAt: number, scratch: Scratch): boolean {
  const { x, inverseD, gathered, scaled, capacitance: cap, small } = scratch;
  const n = end - start;
  for (let a = 0; a < n; a++) if (!(conf[start + a] - alpha0 > 0)) return false;
  const k4 = k & ~3;
  // gathered[a] = y_a, scaled[a] = D⁻¹ y_a (contiguous Float64 rows).
  for (let a = 0; a < n; a++) {
    const o = indices[start + a] * k;
    const go = a * k;
    for (let f = 0; f < k; f++) {
      const v = y[o + f];
      gathered[go + f] = v;
      scaled[go + f] = v * inverseD[dAt + f];
    }
  }
  // cap = V D⁻¹ Vᵀ (lower triangle, leading dimension n).
  for (let a = 0; a < n; a++) {
    const so = a * k;
    for (let b = 0; b <= a; b++) {
      const go = b * k;
      let t0 = 0;
      let t1 = 0;
      let t2 = 0;
      let t3 = 0;
      let f = 0;
      for (; f < k4; f += 4) {
        t0 += scaled[so + f] * gathered[go + f];
        t1 += scaled[so + f + 1] * gathered[go + f + 1];
        t2 += scaled[so + f + 2] * gathered[go + f + 2];
        t3 += scaled[so + f + 3] * gathered[go + f + 3];
      }
      for (; f < k; f++) t0 += scaled[so + f] * gathered[go + f];
      cap[a * n + b] = t0 + t1 + (t2 + t3);
    }
  }
  // small = (V D⁻¹ Vᵀ) c from the lower triangle; then cap becomes full and gets W⁻¹.
  for (let a = 0; a < n; a++) {
    let t = 0;
    for (let b = 0; b < n; b++) t += (b <= a ? cap[a * n + b] : cap[b * n + a]) * conf[start + b];
    small[a] = t;
  }
  for (let a = 0; a < n; a++) {
    cap[a * n + a] += 1 / (conf[start + a] - alpha0);
    for (let b = a + 1; b < n; b++) cap[a * n + b] = cap[b * n + a];
  }
  if (!choleskySolveSmall(cap, small, n)) return false;
  // x = Σ_a (c_a − z_a) D⁻¹ y_a.
  x.fill(0);
  for (let a = 0; a < n; a++) {
    const coefficient = conf[start + a] - small[a];
    const so = a * k;
    let f = 0;
    for (; f < k4; f += 4) {
      x[f] += coefficient * scaled[so + f];
      x[f + 1] += coefficient * scaled[so + f + 1];
      x[f + 2] += coefficient * scaled[so + f + 2];
      x[f + 3] += coefficient * scaled[so + f + 3];
    }
    for (; f < k; f++) x[f] += coefficient * scaled[so + f];
  }
  return true;
}

/** In-place Cholesky solve of an n × n SPD system (see linalg.ts; duplicated to stay monomorphic here). */
function choleskySolveSmall(a: Float64Array, b: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const jo = j * n;
    let diagonal = a[jo + j];
    for (let p = 0; p < j; p++) diagonal -= a[jo + p] * a[jo + p];
    if (!(diagonal > 0)) return false;
    const ljj = Math.sqrt(diagonal);
    a[jo + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const io = i * n;
      let s = a[io + j];
      for (let p = 0; p < j; p++) s -= a[io + p] * a[jo + p];
      a[io + j] = s / ljj;
    }
  }
  for (let i = 0; i < n; i++) {
    const io = i * n;
    let s = b[i];
    for (let p = 0; p < i; p++) s -= a[io + p] * b[p];
    b[i] = s / a[io + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let p = i + 1; p < n; p++) s -= a[p * n + i] * b[p];
    b[i] = s / a[i * n + i];
  }
  return true;
}

/** Solves rows [start, end) against the dense Gram matrix g of the other side. */
function solveRowsDense(
  settings: AlsSettings,
  side: AlsSide,
  otherRows: number,
  factors: Float32Array,
  y: Float32Array,
  start: number,
  end: number,
  g: Float64Array,
  scratch: Scratch,
): void {
  const { k, alpha0 } = settings;
  const { x, r, m } = scratch;
  const { indptr, indices, conf } = side;
  const k4 = k & ~3;
  let lambda = 0;
  const applyGram = (p: Float64Array, ap: Float64Array): void => {
    for (let j = 0; j < k; j++) {
      const go = j * k;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let l = 0;
      for (; l < k4; l += 4) {
        s0 += g[go + l] * p[l];
        s1 += g[go + l + 1] * p[l + 1];
        s2 += g[go + l + 2] * p[l + 2];
        s3 += g[go + l + 3] * p[l + 3];
      }
      for (; l < k; l++) s0 += g[go + l] * p[l];
      ap[j] = alpha0 * (s0 + s1 + (s2 + s3)) + lambda * p[j];
    }
  };
  for (let row = start; row < end; row++) {
    const o = row * k;
    const s = indptr[row];
    const e = indptr[row + 1];
    lambda = rowLambda(settings, e - s, otherRows);
    for (let f = 0; f < k; f++) x[f] = factors[o + f];
    applyGram(x, r);
    for (let f = 0; f < k; f++) {
      r[f] = -r[f];
      m[f] = alpha0 * g[f * k + f] + lambda;
    }
    sparsePass(indices, conf, s, e, y, k, alpha0, x, r, true);
    cgSteps(settings, indices, conf, s, e, y, scratch, applyGram);
    for (let f = 0; f < k; f++) factors[o + f] = x[f];
  }
}

/**
 * Loss terms of rows [start, end): λ_u‖x_u‖² plus, when `dataTerm`, the observed-cell part
 * Σ_{i∈S_u} [c (ŷ − 1)² − α₀ ŷ²]. The full loss adds α₀ ⟨XᵀX, YᵀY⟩ (all cells at weight α₀).
 */
function lossBlock(settings: AlsSettings, side: AlsSide, otherRows: number, factors: Float32Array, y: Float32Array, start: number, end: number, dataTerm: boolean): number {
  const { k, alpha0 } = settings;
  const { indptr, indices, conf } = side;
  let total = 0;
  for (let row = start; row < end; row++) {
    const o = row * k;
    const s = indptr[row];
    const e = indptr[row + 1];
    let norm = 0;
    for (let f = 0; f < k; f++) norm += factors[o + f] * factors[o + f];
    total += rowLambda(settings, e - s, otherRows) * norm;
    if (!dataTerm) continue;
    for (let n = s; n < e; n++) {
      const io = indices[n] * k;
      let yhat = 0;
      for (let f = 0; f < k; f++) yhat += factors[o + f] * y[io + f];
      const c = conf[n];
      total += c * (yhat - 1) * (yhat - 1) - alpha0 * yhat * yhat;
    }
  }
  return total;
}
