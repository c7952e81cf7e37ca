/**
 * Implicit-feedback ALS (Hu, Koren & Volinsky 2008) solved with conjugate gradient
 * (Takács, Pilászy & Tikk 2011), with the unobserved weight α₀ and the optional
 * frequency-scaled regularisation of Rendle, Krichene, Zhang & Koren 2022. The model and the
 * solver are described in als-kernel.ts; this file owns parameters, initialisation, the
 * thread pool, fold-in and scoring.
 */
import os from 'node:os';
import { type AlsSettings, type AlsShared, type AlsSide, exactRowLimit, makeBlocks, type PhaseMessage, rowLambda, type SideName, sumPartials } from './als-kernel.js';
import { AlsWasmArena, phaseRunner } from './als-wasm.js';
import { scoreRows, similarItems, type TopK } from './factor-utils.js';
import { choleskySolve, symmetricEigen } from './linalg.js';
import { type InteractionMatrix, transpose } from './matrix.js';
import type { FactorRecommender, TrainProgress } from './recommender.js';
import { deriveSeed, SeededRandom } from './rng.js';
import { WorkerPool, workerModule } from './worker-pool.js';

export type ConfidenceFunction = 'linear' | 'log' | 'binary';

/**
 * 'wasm': the WebAssembly SIMD kernel (als-wasm.ts; float32 vectors; on the 10M-non-zero
 * synthetic matrix of bench/als.ts 2.5–2.9 CPU s per iteration where 'js' takes 24), which
 * needs factors % 4 == 0, WebAssembly SIMD and shared memory, and at most 4 GiB for the
 * matrix and factors. 'js': the JavaScript kernel (als-kernel.ts; float64 arithmetic).
 * 'auto': 'wasm' where it can run, else 'js'.
 */
export type AlsKernel = 'auto' | 'wasm' | 'js';

export interface AlsParams {
  /** Embedding dimension k. */
  factors: number;
  /** ALS iterations (one user half-step and one item half-step each). */
  iterations: number;
  /** Confidence c = 1 + alpha · f(r) of an observed cell with strength r. */
  alpha: number;
  /** f in the confidence: 'linear' r, 'log' log(1 + r/epsilon), 'binary' 1. */
  confidence: ConfidenceFunction;
  /** Scale of the 'log' confidence. */
  epsilon: number;
  /** L2 regularisation λ. */
  lambda: number;
  /**
   * 'none': λ for every row (HKV). 'frequency': λ·(|S_u| + α₀·|I|)^ν for user u and
   * λ·(|S_i| + α₀·|U|)^ν for item i (Rendle et al. 2022, eq. 5); λ must then be much smaller.
   */
  regScaling: 'none' | 'frequency';
  /** ν of the frequency scaling (ignored for 'none'). */
  regExponent: number;
  /** α₀: the weight of each unobserved cell (1 in HKV). */
  unobservedWeight: number;
  /** Conjugate-gradient steps per row and half-iteration. */
  cgSteps: number;
  /** Diagonally preconditioned CG (by diag(α₀·YᵀY + λ); see als-kernel.ts). */
  precondition: boolean;
  /**
   * Solve short rows of the eigenbasis side exactly (Woodbury identity) where that is cheaper
   * than the CG steps: up to 17 non-zeros for k = 64 and 3 CG steps (als-kernel.ts, exactRowLimit).
   */
  exactShortRows: boolean;
  /**
   * Initial item factors ~ N(0, (initScale/√k)²) (Rendle et al.'s σ*). User factors start at
   * 0: users are solved first, short rows exactly (the start does not matter) and long rows
   * by CG, which starts as well from 0 as from noise. Drawing 64M normals for 1M users took
   * 2.5 s, about one whole iteration of the WebAssembly kernel on that many users.
   */
  initScale: number;
  seed: number;
  /**
   * Threads for training. 'auto': all cores (os.availableParallelism()) unless the problem
   * is so small that starting workers costs more than it saves, then 1.
   */
  threads: number | 'auto';
  /** Compute the training loss after every iteration (one extra pass over the data). */
  computeLoss: boolean;
  /** Which implementation of the hot loops trains (see AlsKernel). */
  kernel: AlsKernel;
}

/**
 * Defaults, tuned on the validation part of a seeded per-user 80/10/10 split of Last.fm 2K
 * (protocol in bench/als.ts --quality; Recall@10, train items masked). Log confidence with
 * α = 1, ε = 10 beat linear and binary confidence and larger α; frequency-scaled λ = 0.003
 * (ν = 1, α₀ = 1) gave 0.2035 mean over 4 seeds against 0.2002 for the best unscaled λ (10).
 */
export const ALS_DEFAULTS: Readonly<AlsParams> = Object.freeze({
  factors: 64,
  iterations: 15,
  alpha: 1,
  confidence: 'log',
  epsilon: 10,
  lambda: 0.003,
  regScaling: 'frequency',
  regExponent: 1,
  unobservedWeight: 1,
  cgSteps: 3,
  precondition: true,
  exactShortRows: true,
  initScale: 0.1,
  seed: 42,
  threads: 'auto',
  computeLoss: false,
  kernel: 'auto',
});

/** Below this many non-zeros × factors, 'auto' trains on one thread (worker start-up ≈ 0.1 s). */
const AUTO_THREADS_MIN_WORK = 4_000_000;

export function confidenceOf(params: Pick<AlsParams, 'alpha' | 'confidence' | 'epsilon'>, r: number): number {
  switch (params.confidence) {
    case 'linear':
      return 1 + params.alpha * r;
    case 'log':
      return 1 + params.alpha * Math.log1p(r / params.epsilon);
    case 'binary':
      return 1 + params.alpha;
  }
}

/**
 * confidenceOf of every value, as float32. Small whole strengths (play counts, mostly) go
 * through a table: the same numbers, without a log1p per non-zero (measured on the 10M
 * synthetic matrix of bench/als.ts: 0.09–0.17 s instead of 0.36–0.47 s).
 */
function confidences(params: AlsParams, values: Float32Array): Float32Array {
  const out = new Float32Array(values.length);
  const table = new Float32Array(4096).fill(NaN);
  for (let n = 0; n < values.length; n++) {
    const v = values[n];
    const i = v | 0;
    if (i === v && i >= 0 && i < table.length) {
      let c = table[i];
      if (Number.isNaN(c)) c = table[i] = confidenceOf(params, v);
      out[n] = c;
    } else out[n] = confidenceOf(params, v);
  }
  return out;
}

function validate(params: AlsParams): void {
  const positiveInt = (name: keyof AlsParams, v: number): void => {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`ALS ${name} must be a positive integer, got ${v}`);
  };
  positiveInt('factors', params.factors);
  positiveInt('cgSteps', params.cgSteps);
  if (!Number.isInteger(params.iterations) || params.iterations < 0) throw new RangeError(`ALS iterations must be ≥ 0, got ${params.iterations}`);
  if (params.threads !== 'auto') positiveInt('threads', params.threads);
  if (!(params.alpha >= 0)) throw new RangeError(`ALS alpha must be ≥ 0, got ${params.alpha}`);
  if (!(params.epsilon > 0)) throw new RangeError(`ALS epsilon must be > 0, got ${params.epsilon}`);
  if (!(params.lambda >= 0)) throw new RangeError(`ALS lambda must be ≥ 0, got ${params.lambda}`);
  if (!(params.unobservedWeight > 0)) throw new RangeError(`ALS unobservedWeight must be > 0, got ${params.unobservedWeight}`);
  if (!(params.regExponent >= 0)) throw new RangeError(`ALS regExponent must be ≥ 0, got ${params.regExponent}`);
  if (!['linear', 'log', 'binary'].includes(params.confidence)) throw new RangeError(`ALS confidence must be linear, log or binary, got ${params.confidence}`);
  if (!['none', 'frequency'].includes(params.regScaling)) throw new RangeError(`ALS regScaling must be none or frequency, got ${params.regScaling}`);
  if (!['auto', 'wasm', 'js'].includes(params.kernel)) throw new RangeError(`ALS kernel must be auto, wasm or js, got ${params.kernel}`);
}

function settingsOf(params: AlsParams): AlsSettings {
  return {
    k: params.factors,
    alpha0: params.unobservedWeight,
    lambda: params.lambda,
    nu: params.regScaling === 'frequency' ? params.regExponent : 0,
    cgSteps: params.cgSteps,
    precondition: params.precondition,
    exactShortRows: params.exactShortRows,
  };
}

type Alloc = { int32(n: number): Int32Array; float32(n: number): Float32Array; float64(n: number): Float64Array };
const sharedAlloc: Alloc = {
  int32: (n) => new Int32Array(new SharedArrayBuffer(4 * n)),
  float32: (n) => new Float32Array(new SharedArrayBuffer(4 * n)),
  float64: (n) => new Float64Array(new SharedArrayBuffer(8 * n)),
};
const plainAlloc: Alloc = { int32: (n) => new Int32Array(n), float32: (n) => new Float32Array(n), float64: (n) => new Float64Array(n) };

/** `m` (whose values are already confidences) as an AlsSide, copied into `alloc` when `shared`. */
function makeSide(m: InteractionMatrix, alloc: Alloc, shared: boolean, blocks: Int32Array): AlsSide {
  if (!shared) return { rows: m.users, indptr: m.indptr, indices: m.indices, conf: m.values, blocks };
  const nnz = m.indices.length;
  const indptr = alloc.int32(m.users + 1);
  indptr.set(m.indptr);
  const indices = alloc.int32(nnz);
  indices.set(m.indices);
  const conf = alloc.float32(nnz);
  conf.set(m.values);
  return { rows: m.users, indptr, indices, conf, blocks };
}

function longestRow(m: InteractionMatrix): number {
  let longest = 0;
  for (let r = 0; r < m.users; r++) longest = Math.max(longest, m.indptr[r + 1] - m.indptr[r]);
  return longest;
}

/** λ of a row by its length, 0 .. length - 1 (the WebAssembly kernel's table). */
function fillLambdas(table: Float64Array, settings: AlsSettings, otherRows: number): void {
  for (let n = 0; n < table.length; n++) table[n] = rowLambda(settings, n, otherRows);
}

/**
 * Everything the phases share, allocated where the kernel needs it: in the WebAssembly
 * kernel's memory (when params.kernel allows and it can run), else in SharedArrayBuffers for
 * worker threads, else plain arrays. A function of its own so that the temporaries (the
 * transposed matrix, the confidences) can be collected before training starts.
 */
function prepare(train: InteractionMatrix, params: AlsParams, threads: number): AlsShared {
  const k = params.factors;
  const settings = settingsOf(params);
  const userConf = confidences(params, train.values);
  // The items side's confidences are the users side's, transposed (half the log1p calls).
  const transposed = transpose({ ...train, values: userConf });
  const userBlocks = makeBlocks(train.indptr, train.users, k, params.cgSteps);
  const itemBlocks = makeBlocks(transposed.indptr, transposed.users, k, params.cgSteps);
  const maxBlocks = Math.max(userBlocks.length, itemBlocks.length) - 1;
  const exactLimit = settings.exactShortRows ? exactRowLimit(k, settings.cgSteps) : 0;
  const maxUserRow = longestRow(train);
  const maxItemRow = longestRow(transposed);
  // Scratch slot 0 is this thread's, one more per worker.
  const arena =
    params.kernel === 'js'
      ? null
      : AlsWasmArena.create({ users: train.users, items: train.items, nnz: train.indices.length, k, maxUserRow, maxItemRow, maxBlocks, slots: threads + 1, exactLimit });
  if (!arena && params.kernel === 'wasm') throw new Error(`ALS kernel 'wasm' cannot run here (it needs factors % 4 == 0, WebAssembly SIMD and shared memory, and at most 4 GiB)`);
  const copy = threads > 1 || arena !== null;
  const alloc: Alloc = arena ?? (threads > 1 ? sharedAlloc : plainAlloc);
  const users = makeSide({ ...train, values: userConf }, alloc, copy, userBlocks);
  const items = makeSide(transposed, alloc, copy, itemBlocks);

  // Initial item factors: N(0, σ²), σ = initScale/√k, from a seeded stream; user factors 0
  // (see AlsParams.initScale).
  const sigma = params.initScale / Math.sqrt(k);
  const userFactors = alloc.float32(users.rows * k);
  const itemFactors = alloc.float32(items.rows * k);
  const itemRandom = new SeededRandom(deriveSeed(params.seed, 'als-items'));
  for (let i = 0; i < itemFactors.length; i++) itemFactors[i] = sigma * itemRandom.normal();

  const shared: AlsShared = {
    settings,
    users,
    items,
    userFactors,
    itemFactors,
    matrix: alloc.float64(k * k),
    eigenvalues: alloc.float64(k),
    partials: alloc.float64(maxBlocks * k * k),
    lossPartials: alloc.float64(maxBlocks),
    counter: sharedAlloc.int32(1),
  };
  if (arena) {
    const lambdas = { users: arena.float64(Math.max(maxUserRow, exactLimit) + 1), items: arena.float64(Math.max(maxItemRow, exactLimit) + 1) };
    fillLambdas(lambdas.users, settings, items.rows);
    fillLambdas(lambdas.items, settings, users.rows);
    shared.wasm = arena.shared(threads + 1, lambdas);
  }
  return shared;
}

export class ImplicitALS implements FactorRecommender {
  readonly name: string = 'als';
  readonly params: AlsParams;
  userFactors: Float32Array = new Float32Array(0);
  itemFactors: Float32Array = new Float32Array(0);
  /** Training loss after each iteration (when params.computeLoss). */
  lossHistory: number[] = [];
  /** Threads the last fit used. */
  threadsUsed = 0;
  /** The kernel the last fit used ('auto' resolved). */
  kernelUsed: 'wasm' | 'js' | null = null;
  private itemGram: Float64Array | null = null;
  private foldScratch: { a: Float64Array; b: Float64Array } | null = null;

  constructor(params: Partial<AlsParams> = {}) {
    this.params = { ...ALS_DEFAULTS, ...params };
    validate(this.params);
  }

  get factors(): number {
    return this.params.factors;
  }

  get users(): number {
    return this.userFactors.length / this.params.factors;
  }

  get items(): number {
    return this.itemFactors.length / this.params.factors;
  }

  /** Threads a fit on `train` would use. */
  threadsFor(train: InteractionMatrix): number {
    const { threads, factors } = this.params;
    if (threads !== 'auto') return threads;
    if (train.indices.length * factors < AUTO_THREADS_MIN_WORK) return 1;
    return Math.max(1, os.availableParallelism());
  }

  async fit(train: InteractionMatrix, onProgress?: TrainProgress): Promise<void> {
    const params = this.params;
    const k = params.factors;
    let threads = this.threadsFor(train);
    const parallel = threads > 1;
    const shared = prepare(train, params, threads);
    const { settings, users, items, userFactors, itemFactors } = shared;
    const runHere = phaseRunner(shared, 0);
    let pool: WorkerPool<PhaseMessage> | null = null;
    if (parallel) {
      try {
        pool = await WorkerPool.start<PhaseMessage>(threads, workerModule('als-worker'), { shared });
      } catch (error) {
        // 'auto' degrades to this thread (same results, by construction); an explicit count fails.
        if (params.threads !== 'auto') throw error;
        threads = 1;
      }
    }
    const run = async (message: PhaseMessage): Promise<void> => {
      Atomics.store(shared.counter, 0, 0);
      if (pool) await pool.run(message);
      else runHere(message);
    };
    const blocksOf = (side: SideName): number => (side === 'users' ? users : items).blocks.length - 1;
    const gram: Record<SideName, Float64Array> = { users: new Float64Array(k * k), items: new Float64Array(k * k) };
    // The side with more rows is solved in the eigenbasis of the other side's Gram matrix.
    const diagonalSide: SideName = users.rows >= items.rows ? 'users' : 'items';

    const solve = async (side: SideName): Promise<void> => {
      const other: SideName = side === 'users' ? 'items' : 'users';
      if (side === diagonalSide) {
        const { values, vectors } = symmetricEigen(gram[other], k);
        for (let f = 0; f < k; f++) values[f] = Math.max(0, values[f]);
        shared.matrix.set(vectors);
        shared.eigenvalues.set(values);
        await run({ phase: 'rotate', side: other });
        gram[other].fill(0);
        for (let f = 0; f < k; f++) gram[other][f * k + f] = values[f];
        await run({ phase: 'solve', side, mode: 'diag' });
      } else {
        shared.matrix.set(gram[other]);
        await run({ phase: 'solve', side, mode: 'dense' });
      }
      sumPartials(shared.partials, blocksOf(side), k, gram[side]);
    };

    this.lossHistory = [];
    this.threadsUsed = threads;
    this.kernelUsed = shared.wasm ? 'wasm' : 'js';
    // Live during training (consistent whenever onProgress runs), so callers can evaluate checkpoints.
    this.userFactors = userFactors;
    this.itemFactors = itemFactors;
    this.itemGram = null;
    try {
      await run({ phase: 'gram', side: 'items' });
      sumPartials(shared.partials, blocksOf('items'), k, gram.items);
      for (let iteration = 1; iteration <= params.iterations; iteration++) {
        await solve('users');
        await solve('items');
        let note: string | undefined;
        if (params.computeLoss) {
          let total = 0;
          await run({ phase: 'loss', side: 'users', dataTerm: true });
          for (let b = 0; b < blocksOf('users'); b++) total += shared.lossPartials[b];
          await run({ phase: 'loss', side: 'items', dataTerm: false });
          for (let b = 0; b < blocksOf('items'); b++) total += shared.lossPartials[b];
          let allCells = 0;
          for (let i = 0; i < k * k; i++) allCells += gram.users[i] * gram.items[i];
          total += settings.alpha0 * allCells;
          this.lossHistory.push(total);
          note = `loss ${total.toPrecision(6)}`;
        }
        onProgress?.(iteration, params.iterations, note);
        // Single-threaded training runs on this thread: let pending I/O through between iterations.
        if (!pool) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      await pool?.close();
    }
    if (shared.wasm) {
      // Own copies, so that the memory (CSR copies, partials) can be collected.
      this.userFactors = userFactors.slice();
      this.itemFactors = itemFactors.slice();
    }
    this.itemGram = gram.items;
  }

  /** Restores a trained model from its factors (see persist.ts). */
  static fromFactors(params: Partial<AlsParams>, userFactors: Float32Array, itemFactors: Float32Array): ImplicitALS {
    const model = new ImplicitALS(params);
    const k = model.params.factors;
    if (userFactors.length % k !== 0 || itemFactors.length % k !== 0) throw new RangeError(`factor arrays are not multiples of k = ${k}`);
    model.userFactors = userFactors;
    model.itemFactors = itemFactors;
    return model;
  }

  scoreUsers(users: Int32Array, out: Float32Array): void {
    scoreRows(this.userFactors, users, this.itemFactors, this.params.factors, this.items, out);
  }

  /** The `n` nearest items to `item` by cosine of item factors. */
  similarItems(item: number, n: number): TopK {
    return similarItems(this, item, n);
  }

  /** YᵀY of the current item factors (kept from training, computed once after a load). */
  private gramOfItems(): Float64Array {
    if (this.itemGram) return this.itemGram;
    const k = this.params.factors;
    const g = new Float64Array(k * k);
    const y = this.itemFactors;
    for (let i = 0, items = this.items; i < items; i++) {
      const o = i * k;
      for (let j = 0; j < k; j++) {
        const v = y[o + j];
        for (let l = j; l < k; l++) g[j * k + l] += v * y[o + l];
      }
    }
    for (let j = 0; j < k; j++) for (let l = 0; l < j; l++) g[j * k + l] = g[l * k + j];
    this.itemGram = g;
    return g;
  }

  /**
   * The exact least-squares user vector for a history against the fixed item factors: the
   * same normal equations as training (confidences, α₀, λ and its scaling), solved by
   * Cholesky. Duplicate items are merged by summing their strengths. O(n·k² + k³).
   */
  foldIn(items: Int32Array, values: Float32Array): Float32Array {
    if (items.length !== values.length) throw new RangeError(`foldIn: ${items.length} items but ${values.length} values`);
    const itemCount = this.items;
    const merged = new Map<number, number>();
    for (let n = 0; n < items.length; n++) {
      const i = items[n];
      if (!(i >= 0 && i < itemCount)) throw new RangeError(`foldIn: item ${i} is outside 0..${itemCount - 1}`);
      if (values[n] > 0) merged.set(i, (merged.get(i) ?? 0) + values[n]);
    }
    // The ridge retry is only reachable with λ = 0 and a rank-deficient system.
    return this.solveFoldIn(merged, 0) ?? this.solveFoldIn(merged, 1e-6)!;
  }

  private solveFoldIn(merged: Map<number, number>, ridge: number): Float32Array | null {
    const k = this.params.factors;
    const settings = settingsOf(this.params);
    const alpha0 = settings.alpha0;
    const g = this.gramOfItems();
    this.foldScratch ??= { a: new Float64Array(k * k), b: new Float64Array(k) };
    const { a, b } = this.foldScratch;
    const y = this.itemFactors;
    for (let i = 0; i < k * k; i++) a[i] = alpha0 * g[i];
    b.fill(0);
    for (const [i, r] of merged) {
      const c = confidenceOf(this.params, r);
      const w = c - alpha0;
      const o = i * k;
      for (let j = 0; j < k; j++) {
        const v = y[o + j];
        b[j] += c * v;
        const wv = w * v;
        for (let l = j; l < k; l++) a[j * k + l] += wv * y[o + l];
      }
    }
    const lambda = rowLambda(settings, merged.size, this.items) + ridge;
    for (let j = 0; j < k; j++) {
      a[j * k + j] += lambda;
      for (let l = 0; l < j; l++) a[j * k + l] = a[l * k + j];
    }
    return choleskySolve(a, b, k) ? Float32Array.from(b) : null;
  }
}
