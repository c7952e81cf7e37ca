/**
 * `npm run bench -- als [--lastfm <dir>] [--synthetic] [--quality]`
 *
 *   (default, or --lastfm <dir>) [--repeats 3] [--kernel auto|wasm|js]  ALS on Last.fm 2K
 *       user_artists.dat, 64 factors, 15 iterations: fit seconds and s/iteration for
 *       threads = 1 and threads = 2 (alternating repeats; best and median, since a shared
 *       machine is noisy), with the process CPU seconds (all threads).
 *   --synthetic [--threads 2,1] [--kernel auto|wasm|js]  a deterministic 1M users × 100k
 *       items × 10M interactions matrix (power-law item popularity): s/iteration over 3
 *       iterations (64 factors), peak RSS, and the per-core, per-non-zero comparison with the
 *       `implicit` library's published figure, by CPU time over the whole fit and over the
 *       iterations after the first (which carries the set-up). Threads default to all cores;
 *       --shape users,items,nnz changes the matrix (e.g. 359000,294000,17500000 has the shape
 *       of last.fm-360k); --kernel picks the ALS kernel (AlsParams.kernel; default auto).
 *   --quality  Recall@10 of every recommender with its default parameters on a seeded
 *       per-user 80/10/10 split of Last.fm 2K: validation (train items masked) and test
 *       (train + validation items masked). The defaults were tuned on validation only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type AlsKernel, ImplicitALS } from '../src/models/cf/als.js';
import { topK } from '../src/models/cf/factor-utils.js';
import { createRecommender, type RecommenderName } from '../src/models/cf/index.js';
import { buildMatrix, type InteractionMatrix, type Triple } from '../src/models/cf/matrix.js';
import type { Recommender } from '../src/models/cf/recommender.js';
import { SeededRandom } from '../src/models/cf/rng.js';

const DEFAULT_LASTFM = '/work/shared/data/hetrec2011-lastfm-2k';

/** Last.fm 2K user_artists.dat as (user, artist, plays) over dense indices. */
export function loadLastfm(dir = DEFAULT_LASTFM): { users: number; items: number; triples: Triple[] } {
  const text = fs.readFileSync(path.join(dir, 'user_artists.dat'), 'utf8');
  const userIndex = new Map<string, number>();
  const itemIndex = new Map<string, number>();
  const triples: Triple[] = [];
  const lines = text.split('\n');
  for (let l = 1; l < lines.length; l++) {
    const line = lines[l].trim();
    if (!line) continue;
    const [u, a, w] = line.split('\t');
    let user = userIndex.get(u);
    if (user === undefined) userIndex.set(u, (user = userIndex.size));
    let item = itemIndex.get(a);
    if (item === undefined) itemIndex.set(a, (item = itemIndex.size));
    triples.push({ user, item, value: Number(w) });
  }
  return { users: userIndex.size, items: itemIndex.size, triples };
}

export interface Split {
  train: InteractionMatrix;
  /** Per user: validation and test items. */
  validation: Int32Array[];
  test: Int32Array[];
}

/** Per user, a seeded random 80/10/10 split of that user's interactions. */
export function splitPerUser(data: { users: number; items: number; triples: Triple[] }, seed = 1): Split {
  const byUser: Triple[][] = Array.from({ length: data.users }, () => []);
  for (const t of data.triples) byUser[t.user].push(t);
  const random = new SeededRandom(seed);
  const train: Triple[] = [];
  const validation: Int32Array[] = [];
  const test: Int32Array[] = [];
  for (let u = 0; u < data.users; u++) {
    const rows = byUser[u].sort((a, b) => a.item - b.item);
    random.shuffle(rows);
    const n = rows.length;
    const nTest = Math.round(n * 0.1);
    const nValidation = Math.round(n * 0.1);
    const nTrain = n - nTest - nValidation;
    train.push(...rows.slice(0, nTrain));
    validation.push(Int32Array.from(rows.slice(nTrain, nTrain + nValidation), (t) => t.item));
    test.push(Int32Array.from(rows.slice(nTrain + nValidation), (t) => t.item));
  }
  return { train: buildMatrix(data.users, data.items, train), validation, test };
}

/**
 * Mean over users with targets of |top-10 ∩ targets| / |targets|, ranking all items with the
 * user's train items (and `alsoMask` items) excluded.
 */
export function recallAt(model: Recommender, split: Split, targets: Int32Array[], alsoMask: Int32Array[] | null, n = 10): number {
  const { train } = split;
  const batch = 64;
  const scores = new Float32Array(batch * train.items);
  let sum = 0;
  let counted = 0;
  for (let first = 0; first < train.users; first += batch) {
    const users = Int32Array.from({ length: Math.min(batch, train.users - first) }, (_, r) => first + r);
    model.scoreUsers(users, scores);
    for (let r = 0; r < users.length; r++) {
      const u = users[r];
      const target = targets[u];
      if (target.length === 0) continue;
      const row = r * train.items;
      for (let p = train.indptr[u]; p < train.indptr[u + 1]; p++) scores[row + train.indices[p]] = -Infinity;
      if (alsoMask) for (const i of alsoMask[u]) scores[row + i] = -Infinity;
      const top = topK(scores, n, { offset: row, length: train.items });
      const wanted = new Set(target);
      let hits = 0;
      for (const i of top.items) if (wanted.has(i)) hits++;
      sum += hits / target.length;
      counted++;
    }
  }
  return sum / counted;
}

/** A deterministic users × items matrix with `nnz` cells and power-law item popularity. */
export function syntheticMatrix(users: number, items: number, nnz: number, seed = 7): InteractionMatrix {
  const random = new SeededRandom(seed);
  // Item popularity ∝ 1/(rank + 10)^0.9, sampled through its cumulative distribution.
  const cumulative = new Float64Array(items);
  let total = 0;
  for (let i = 0; i < items; i++) cumulative[i] = total += 1 / Math.pow(i + 10, 0.9);
  // User activity: a geometric-like spread around nnz/users, at least 1 per user.
  const perUser = new Int32Array(users);
  let assigned = 0;
  for (let u = 0; u < users; u++) {
    perUser[u] = 1 + Math.round(-Math.log(1 - random.float()) * (nnz / users - 1));
    assigned += perUser[u];
  }
  const indptr = new Int32Array(users + 1);
  const indices = new Int32Array(assigned);
  const values = new Float32Array(assigned);
  const row = new Set<number>();
  let at = 0;
  for (let u = 0; u < users; u++) {
    row.clear();
    const want = Math.min(perUser[u], items);
    while (row.size < want) {
      const x = random.float() * total;
      let lo = 0;
      let hi = items - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid] < x) lo = mid + 1;
        else hi = mid;
      }
      row.add(lo);
    }
    const sorted = Int32Array.from(row).sort();
    indices.set(sorted, at);
    for (let p = 0; p < sorted.length; p++) values[at + p] = 1 + Math.floor(-Math.log(1 - random.float()) * 5);
    at += sorted.length;
    indptr[u + 1] = at;
  }
  return { users, items, indptr, indices: indices.subarray(0, at), values: values.subarray(0, at) };
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Process CPU seconds (user + system, all threads): core-seconds, insensitive to other load. */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

interface FitTiming {
  wallSeconds: number;
  cpuSeconds: number;
  /**
   * Wall seconds of each iteration (the first includes the set-up: confidences, transposition,
   * initialisation, worker start-up and the initial Gram matrix).
   */
  iterations: number[];
  /** Process CPU seconds of each iteration, likewise. */
  iterationsCpu: number[];
}

async function timeFit(model: ImplicitALS, matrix: InteractionMatrix): Promise<FitTiming> {
  const iterations: number[] = [];
  const iterationsCpu: number[] = [];
  const cpuStart = cpuSeconds();
  const start = performance.now();
  let last = start;
  let lastCpu = cpuStart;
  await model.fit(matrix, () => {
    const now = performance.now();
    const cpu = cpuSeconds();
    iterations.push((now - last) / 1000);
    iterationsCpu.push(cpu - lastCpu);
    last = now;
    lastCpu = cpu;
  });
  return { wallSeconds: (performance.now() - start) / 1000, cpuSeconds: cpuSeconds() - cpuStart, iterations, iterationsCpu };
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

async function timeLastfm(dir: string, repeats: number, kernel: AlsKernel): Promise<void> {
  const data = loadLastfm(dir);
  const matrix = buildMatrix(data.users, data.items, data.triples);
  console.log(`Last.fm 2K: ${matrix.users} users × ${matrix.items} artists, ${matrix.indices.length} non-zeros; 64 factors, 15 iterations; ${repeats} fits per thread count, alternating`);
  const runs = new Map<number, FitTiming[]>([
    [1, []],
    [2, []],
  ]);
  for (let r = 0; r < repeats; r++) {
    for (const threads of [1, 2]) {
      const t = await timeFit(new ImplicitALS({ factors: 64, iterations: 15, threads, kernel }), matrix);
      runs.get(threads)!.push(t);
      console.log(
        `  threads=${threads}: fit ${t.wallSeconds.toFixed(2)} s wall (${(t.wallSeconds / 15).toFixed(3)} s/iteration; ` +
          `${mean(t.iterations.slice(1)).toFixed(3)} s/iteration after the first), ${t.cpuSeconds.toFixed(2)} CPU s; load average ${os.loadavg()[0].toFixed(2)}`,
      );
    }
  }
  for (const [threads, timings] of runs) {
    const walls = timings.map((t) => t.wallSeconds).sort((a, b) => a - b);
    const median = walls[Math.floor(walls.length / 2)];
    console.log(`  threads=${threads}: best fit ${walls[0].toFixed(2)} s (${(walls[0] / 15).toFixed(3)} s/iteration), median ${median.toFixed(2)} s (${(median / 15).toFixed(3)} s/iteration)`);
  }
}

async function timeSynthetic(threadList: number[], shape: [number, number, number], kernel: AlsKernel): Promise<void> {
  const buildStart = performance.now();
  const matrix = syntheticMatrix(...shape);
  const nnz = matrix.indices.length;
  console.log(`synthetic: ${matrix.users} users × ${matrix.items} items, ${nnz} non-zeros (built in ${((performance.now() - buildStart) / 1000).toFixed(1)} s); load average ${os.loadavg()[0].toFixed(2)}`);
  const iterations = 3;
  const theirs = (1.37 * 8) / 17.5e6;
  for (const threads of threadList) {
    const model = new ImplicitALS({ factors: 64, iterations, threads, kernel });
    const t = await timeFit(model, matrix);
    const perIteration = mean(t.iterations);
    const ours = (perIteration * threads) / nnz;
    const oursCpu = t.cpuSeconds / iterations / nnz;
    const steadyCpu = mean(t.iterationsCpu.slice(1));
    console.log(
      `  threads=${threads} (${model.kernelUsed} kernel): fit ${t.wallSeconds.toFixed(1)} s; per iteration ${t.iterations.map((x) => x.toFixed(2)).join(', ')} s (mean ${perIteration.toFixed(2)} s); ` +
        `${(t.cpuSeconds / iterations).toFixed(2)} CPU s/iteration over the whole fit (per iteration ${t.iterationsCpu.map((x) => x.toFixed(2)).join(', ')}; after the first ${steadyCpu.toFixed(2)})`,
    );
    console.log(`  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
    console.log(`  implicit (published): 1.37 s/iteration on 8 cores, last.fm-360k (17.5M non-zeros, 64 factors)`);
    console.log(`  core-seconds per non-zero per iteration: ours ${ours.toExponential(3)} (wall × ${threads} threads; by CPU time ${oursCpu.toExponential(3)}) vs implicit ${theirs.toExponential(3)} (ratio ${(ours / theirs).toFixed(2)}; by CPU time ${(oursCpu / theirs).toFixed(2)})`);
    console.log(`  by CPU time of the iterations after the first (no set-up): ${(steadyCpu / nnz).toExponential(3)} (ratio ${(steadyCpu / nnz / theirs).toFixed(2)})`);
  }
}

async function quality(dir: string): Promise<void> {
  const split = splitPerUser(loadLastfm(dir));
  console.log(`Last.fm 2K split 80/10/10 per user (seed 1): ${split.train.indices.length} train non-zeros`);
  const names: RecommenderName[] = ['popularity', 'item-knn', 'als', 'bpr'];
  for (const name of names) {
    const model = createRecommender(name);
    const start = performance.now();
    await model.fit(split.train);
    const seconds = (performance.now() - start) / 1000;
    const validation = recallAt(model, split, split.validation, null);
    const test = recallAt(model, split, split.test, split.validation);
    console.log(`  ${name.padEnd(10)} Recall@10 validation ${validation.toFixed(4)}  test ${test.toFixed(4)}  (fit ${seconds.toFixed(1)} s)`);
  }
}

export async function run(args: string[]): Promise<void> {
  const dir = flag(args, '--lastfm') ?? DEFAULT_LASTFM;
  if (args.includes('--quality')) return quality(dir);
  const threads = flag(args, '--threads');
  const shape = (flag(args, '--shape') ?? '1000000,100000,10000000').split(',').map(Number) as [number, number, number];
  const kernel = (flag(args, '--kernel') ?? 'auto') as AlsKernel;
  if (args.includes('--synthetic')) return timeSynthetic(threads ? threads.split(',').map(Number) : [os.availableParallelism()], shape, kernel);
  return timeLastfm(dir, Number(flag(args, '--repeats') ?? 3), kernel);
}
