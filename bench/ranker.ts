/**
 * `npm run bench -- ranker [--ranker FILE] [--rows real|synthetic] [--data DIR] [--onnx FILE] [--runs 2000]
 *   [--python BIN] [--ort-from DIR]`
 *
 * The learned ranker (LambdaMART) served two ways on the same trees and the same rows: the
 * TypeScript `LambdaMartRanker.score` the pipeline calls, and onnxruntime-node running the
 * model that training/ranker_to_onnx.py converts it into (ai.onnx.ml TreeEnsembleRegressor),
 * once with 1 intra-op thread and once with onnxruntime's default threads. First it checks
 * that both give the same scores (max |difference| ≤ 1e-4 × the largest |score|) and throws
 * otherwise; then it times batches of 1, 100 (what a request scores) and 1000 rows and prints
 * p50 / mean / p90 wall µs per call, and the process's CPU µs per call (all its threads: V8's
 * GC helpers and onnxruntime's pool too, so more than wall time where they run).
 *
 * - `--ranker`: default the newest `.bench/serve-100000/models/cf-track-*` ranker.json, which
 *   `npm run bench -- serve` trains.
 * - `--onnx`: a model already converted from that ranker; default: convert it now with
 *   `--python` (default /usr/bin/python3, where Debian's python3-onnx installs).
 * - onnxruntime-node comes from the project's node_modules, else from `--ort-from` (default
 *   .bench/onnxruntime, e.g. `npm install --prefix .bench/onnxruntime --ignore-scripts
 *   --no-save onnxruntime-node`: its CPU binaries ship inside the package, the install script
 *   would only fetch GPU ones).
 * - `--rows real` (default): the feature rows the pipeline itself scores. The app runs
 *   in-process on a temporary copy of `--data` (default: the data folder the ranker is in), asks
 *   for TRACK recommendations of its listeners in varied contexts and keeps each request's
 *   ranked rows (trace.ranked.scored), as served by this very ranker file (checked). About 15 s.
 *   `--rows synthetic`: rows from a seeded generator instead (below), no data folder needed.
 *   Tree inference is branchy, so the rows matter: in one run the same trees cost TypeScript
 *   0.5 µs/row on uniform noise (most rows take the same paths), 0.7 on the pipeline's rows and
 *   0.8 on the synthetic ones.
 *
 * The parity check uses the timed rows plus synthetic ones built to catch a wrong split rule:
 * per feature, drawn between the smallest and largest threshold the trees split it at (±10 %),
 * a fifth exactly at a threshold (`<=` vs `<`), a tenth one float32 step above one, 5 % NaN
 * (the pipeline writes -1 for missing values, but the two must still agree); features no tree
 * splits on are 0.
 *
 * TypeScript and the 1-thread session run interleaved in rounds, so a shared machine's changing
 * load hits both alike. The default-threads session runs after them, alone: its thread pool
 * spins after each call and, on 2 cores, doubled the CPU per call measured for whatever ran
 * next to it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FEATURE_COUNT } from '../src/pipeline/features.js';
import { loadRanker } from '../src/pipeline/ranking/ranker-file.js';
import { LambdaMartRanker } from '../src/pipeline/ranking/ranker.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BATCHES = [1, 100, 1000];
/** Distinct row sets per batch size, cycled through, so a batch of 1 is not the same row 2,000 times (branch predictors would learn it). */
const DISTINCT = 16;
const WARMUP = 200;
const ROUNDS = 10;
const TOLERANCE = 1e-4;

// The few onnxruntime-node types used here, declared rather than imported: the package is
// optional (not a dependency of the project), so type-checking must not need it.
interface OrtTensor {
  readonly data: unknown;
}
interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
interface Ort {
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor;
  InferenceSession: { create(file: string, options: Record<string, unknown>): Promise<OrtSession> };
  env: { versions: Record<string, string> };
}

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}

function newestRanker(): string {
  const models = path.join(root, '.bench/serve-100000/models');
  const files = (fs.existsSync(models) ? fs.readdirSync(models) : [])
    .filter((name) => name.startsWith('cf-track-'))
    .map((name) => path.join(models, name, 'ranker.json'))
    .filter((file) => fs.existsSync(file))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  if (files.length === 0) throw new Error(`no ${models}/cf-track-*/ranker.json: run \`npm run bench -- serve\` to train one, or pass --ranker FILE`);
  return files[0];
}

function loadOrt(from: string): { ort: Ort; where: string } {
  for (const dir of [root, path.resolve(from)]) {
    const require = createRequire(path.join(dir, 'package.json'));
    try {
      const where = path.dirname(require.resolve('onnxruntime-node/package.json'));
      return { ort: require('onnxruntime-node') as Ort, where };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    }
  }
  throw new Error(`onnxruntime-node is neither in the project's node_modules nor in ${from}: ` +
    `npm install --prefix ${from} --ignore-scripts --no-save --no-audit --no-fund onnxruntime-node`);
}

function convert(python: string, ranker: string): string {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mixtape-ranker-')), 'ranker.onnx');
  const result = spawnSync(python, [path.join(root, 'training/ranker_to_onnx.py'), ranker, out], { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${python} training/ranker_to_onnx.py failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stderr}\n` +
      'it needs Debian\'s onnx: apt-get update && apt-get install -y python3-onnx (or pass --onnx FILE)');
  }
  process.stdout.write(result.stdout.replace(out, 'converted'));
  return out;
}

/** Per feature, the thresholds the trees split it at (read from the file: LambdaMart keeps its trees private). */
function splitsPerFeature(ranker: string): number[][] {
  const json = JSON.parse(fs.readFileSync(ranker, 'utf8')) as { trees: { feature: number[]; threshold: number[] }[] };
  const splits: number[][] = Array.from({ length: FEATURE_COUNT }, () => []);
  for (const tree of json.trees) tree.feature.forEach((j, node) => j >= 0 && splits[j].push(tree.threshold[node]));
  return splits;
}

/** A seeded xorshift32 in [0, 1): the same rows every run. */
function seeded(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

const f32 = new Float32Array(1);
const f32bits = new Int32Array(f32.buffer);
/** The next float32 above x (x finite): must go right like any larger value; catches thresholds rounded on the way (decimal text, float16). */
function nextUp(x: number): number {
  f32[0] = x;
  if (f32[0] === 0) return 1.4e-45;
  f32bits[0] += f32[0] > 0 ? 1 : -1;
  return f32[0];
}

function makeRows(count: number, splits: number[][], random: () => number, nanShare = 0): Float32Array {
  const rows = new Float32Array(count * FEATURE_COUNT);
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < FEATURE_COUNT; j++) {
      const at = splits[j];
      let x = 0;
      if (at.length > 0) {
        const pick = random();
        const t = at[Math.floor(random() * at.length)];
        if (pick < 0.2) x = t;
        else if (pick < 0.3) x = nextUp(t);
        else {
          const lo = Math.min(...at);
          const hi = Math.max(...at);
          const margin = 0.1 * Math.max(hi - lo, 1e-3);
          x = lo - margin + random() * (hi - lo + 2 * margin);
        }
      }
      rows[i * FEATURE_COUNT + j] = random() < nanShare ? NaN : x;
    }
  }
  return rows;
}

type Scorer = (rows: Float32Array, count: number, out: Float32Array) => void | Promise<void>;

/** Throws unless `scorer` gives `reference`'s scores (within TOLERANCE of the largest |score|). */
async function checkParity(name: string, scorer: Scorer, reference: Scorer, sets: Float32Array[]): Promise<{ maxAbs: number; scale: number; rows: number }> {
  let maxAbs = 0;
  let scale = 0;
  let rows = 0;
  let worst = '';
  const distinct = new Set<number>();
  for (const set of sets) {
    const count = set.length / FEATURE_COUNT;
    const expected = new Float32Array(count);
    const actual = new Float32Array(count).fill(NaN);
    await reference(set, count, expected);
    await scorer(set, count, actual);
    for (let i = 0; i < count; i++) {
      const diff = Math.abs(expected[i] - actual[i]);
      scale = Math.max(scale, Math.abs(expected[i]));
      distinct.add(expected[i]);
      // `!(diff <= maxAbs)` also catches a NaN score.
      if (!(diff <= maxAbs)) {
        maxAbs = Number.isNaN(diff) ? Infinity : diff;
        worst = `row ${i} of a batch of ${count}: TypeScript ${expected[i]}, ${name} ${actual[i]}`;
      }
    }
    rows += count;
  }
  // Constant scores would make the check vacuous (e.g. a model that lost its trees).
  if (distinct.size < 10) throw new Error(`parity check: only ${distinct.size} distinct TypeScript scores over ${rows} rows; the rows do not exercise the trees`);
  // Written so that a NaN anywhere fails too.
  if (!(maxAbs <= TOLERANCE * scale)) throw new Error(`${name} disagrees with TypeScript: max |difference| ${maxAbs} > ${TOLERANCE} × ${scale} (${worst})`);
  return { maxAbs, scale, rows };
}

interface Timing {
  times: number[];
  cpuMicros: number;
}

/** Runs `scorer` over the batches, one call at a time; records each call's wall µs and the process CPU µs of the whole block. */
async function timeCalls(scorer: Scorer, batches: Float32Array[], count: number, calls: number, into?: Timing): Promise<void> {
  const out = new Float32Array(count);
  const cpu = process.cpuUsage();
  for (let n = 0; n < calls; n++) {
    const started = performance.now();
    const pending = scorer(batches[n % batches.length], count, out);
    if (pending) await pending;
    into?.times.push((performance.now() - started) * 1000);
  }
  if (!into) return;
  const used = process.cpuUsage(cpu);
  into.cpuMicros += used.user + used.system;
}

/**
 * The rows the pipeline ranks, from `requests` TRACK requests of the app on a copy of `dataDir`
 * (a copy, so that nothing the app writes touches a folder other benchmarks use).
 */
async function pipelineRows(dataDir: string, rankerFile: string, requests: number): Promise<Float32Array> {
  if (!fs.existsSync(path.join(dataDir, 'models'))) throw new Error(`${dataDir} is no data folder (no models/): pass --data DIR or --rows synthetic`);
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'mixtape-ranker-data-'));
  const started = performance.now();
  try {
    fs.cpSync(dataDir, copy, { recursive: true });
    // Imported here so that `--rows synthetic` does not load the whole app.
    const { MixtapeApp } = await import('../src/app.js');
    const { loadConfig } = await import('../src/config.js');
    const { ADMIN } = await import('../src/services/access.js');
    const { createLoaders } = await import('../src/services/loaders.js');
    const config = loadConfig({ ...process.env, DATA_DIR: copy, MODEL_SYNC_SECONDS: '0', RECOMMEND_PREWARM_LISTENERS: '0' });
    const app = await MixtapeApp.create(config, { log: () => {} });
    try {
      const users = (await app.store.users.list({ first: requests })).items.map((user) => user.id);
      if (users.length === 0) throw new Error(`${dataDir} has no listeners`);
      const devices = ['MOBILE', 'DESKTOP', 'SPEAKER', 'CAR'] as const;
      const activities = ['COMMUTE', 'WORK', 'WORKOUT', 'RELAX', 'PARTY'] as const;
      const rows: Float32Array[] = [];
      const version = path.basename(path.dirname(rankerFile));
      for (let n = 0; n < requests; n++) {
        const list = await app.services.recommendations.recommend(ADMIN, {
          userId: users[n % users.length], target: 'TRACK', limit: 30,
          context: { timestamp: Date.UTC(2026, 10, 2) + (n % 168) * 3_600_000, device: devices[n % 4], activity: activities[n % 5] },
        }, createLoaders(app.store, app.services.cf));
        const { ranker, scored } = list.trace.ranked;
        // Rows another model (or the blend) ranked would time this ranker on someone else's inputs.
        if (!ranker.includes(version)) throw new Error(`the app ranked with "${ranker}", not ${rankerFile}: pass --data for that ranker's folder`);
        if (scored) rows.push(scored.features.slice());
      }
      const all = new Float32Array(rows.reduce((n, r) => n + r.length, 0));
      if (all.length === 0) throw new Error(`the app ranked no candidates in ${requests} requests`);
      rows.reduce((at, r) => (all.set(r, at), at + r.length), 0);
      console.log(`rows: ${all.length / FEATURE_COUNT} the pipeline ranked in ${requests} TRACK requests of ${users.length} listeners ` +
        `(${path.relative(root, dataDir) || dataDir}, copied; ${((performance.now() - started) / 1000).toFixed(1)} s)`);
      return all;
    } finally {
      await app.close();
    }
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

/** `sets` batches of `count` consecutive rows of `rows` (wrapping around), each its own array as a request's would be. */
function batchesOf(rows: Float32Array, count: number, sets: number): Float32Array[] {
  const total = rows.length / FEATURE_COUNT;
  return Array.from({ length: sets }, (_, k) => {
    const batch = new Float32Array(count * FEATURE_COUNT);
    for (let i = 0; i < count; i++) {
      const row = (k * count + i) % total;
      batch.set(rows.subarray(row * FEATURE_COUNT, (row + 1) * FEATURE_COUNT), i * FEATURE_COUNT);
    }
    return batch;
  });
}

function report(count: number, name: string, { times, cpuMicros }: Timing): void {
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  const mean = times.reduce((s, t) => s + t, 0) / times.length;
  console.log(`| ${count} | ${name} | ${at(0.5).toFixed(1)} | ${mean.toFixed(1)} | ${at(0.9).toFixed(1)} | ${(cpuMicros / times.length).toFixed(1)} | ${(at(0.5) / count).toFixed(3)} |`);
}

export async function run(args: string[]): Promise<void> {
  const rankerFile = path.resolve(option(args, 'ranker') ?? newestRanker());
  const rowsFrom = option(args, 'rows') ?? 'real';
  if (rowsFrom !== 'real' && rowsFrom !== 'synthetic') throw new Error('--rows is real or synthetic');
  const runs = Number(option(args, 'runs') ?? 2000);
  const python = option(args, 'python') ?? (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  const { ort, where } = loadOrt(option(args, 'ort-from') ?? path.join(root, '.bench/onnxruntime'));

  const model = await loadRanker(rankerFile);
  if (!model) throw new Error(`${rankerFile} does not exist`);
  const ranker = new LambdaMartRanker(model, path.basename(path.dirname(rankerFile)));
  console.log(`ranker: ${path.relative(root, rankerFile)} (${model.size} trees, ${FEATURE_COUNT} features)`);
  const prebuilt = option(args, 'onnx');
  const onnxFile = prebuilt ?? convert(python, rankerFile);
  console.log(`onnx: ${prebuilt ?? 'converted now'}; onnxruntime-node ${ort.env.versions.node ?? '?'} from ${path.relative(root, where)}`);

  const sessions = {
    // The pipeline scores one request per call on the event loop's thread: 1 thread is the like-for-like comparison.
    'onnx 1 thread': await ort.InferenceSession.create(onnxFile, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' }),
    'onnx default threads': await ort.InferenceSession.create(onnxFile, {}),
  };
  // The sessions hold the model in memory: a file converted here is not needed any more.
  if (!prebuilt) fs.rmSync(path.dirname(onnxFile), { recursive: true, force: true });
  const scorers: Record<string, Scorer> = { typescript: (rows, count, out) => ranker.score(rows, count, out) };
  for (const [name, session] of Object.entries(sessions)) {
    // Tensor creation and copying the scores out are part of serving a request, so they are timed too.
    scorers[name] = async (rows, count, out) => {
      const result = await session.run({ features: new ort.Tensor('float32', rows, [count, FEATURE_COUNT]) });
      out.set(result.score.data as Float32Array);
    };
  }

  const splits = splitsPerFeature(rankerFile);
  const random = seeded(20261127);
  const rows = rowsFrom === 'real'
    ? await pipelineRows(path.resolve(option(args, 'data') ?? path.join(path.dirname(rankerFile), '../..')), rankerFile, 200)
    : makeRows(DISTINCT * Math.max(...BATCHES), splits, random);
  if (rowsFrom === 'synthetic') console.log(`rows: ${rows.length / FEATURE_COUNT} synthetic (seeded, spread over each feature's thresholds)`);
  const rowSets = new Map(BATCHES.map((count) => [count, batchesOf(rows, count, DISTINCT)]));
  const edgeRows = [makeRows(2000, splits, random), makeRows(1000, splits, random, 0.05)];

  for (const name of Object.keys(sessions)) {
    const parity = await checkParity(name, scorers[name], scorers.typescript, [...[...rowSets.values()].flat(), ...edgeRows]);
    console.log(`parity ${name}: ${parity.rows} rows (the timed ones, 2000 at and next to thresholds, 1000 with 5 % NaN), ` +
      `max |difference| ${parity.maxAbs.toExponential(2)}, largest |score| ${parity.scale.toFixed(3)}: OK`);
  }

  const [load1, load5, load15] = os.loadavg();
  console.log(`\n${runs} timed calls per method and batch after ${5 * WARMUP} + ${WARMUP} warm-up calls (TypeScript and 1 thread interleaved in ${ROUNDS} rounds); ` +
    `${os.cpus().length} CPUs, load average ${load1.toFixed(2)} / ${load5.toFixed(2)} / ${load15.toFixed(2)} (1 / 5 / 15 min) at start`);
  console.log('\n| rows | method | p50 µs | mean µs | p90 µs | CPU µs/call | p50 µs/row |');
  console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: |');
  const perRound = Math.ceil(runs / ROUNDS);
  // A first warm-up of everything: whichever method was timed first otherwise caught one-off
  // stalls of the process (once ~18 ms in a single call), tripling its mean.
  for (const count of BATCHES) for (const scorer of Object.values(scorers)) await timeCalls(scorer, rowSets.get(count) ?? [], count, 5 * WARMUP);
  for (const count of BATCHES) {
    const batches = rowSets.get(count) ?? [];
    const interleaved = ['typescript', 'onnx 1 thread'];
    const timings = new Map(Object.keys(scorers).map((name) => [name, { times: [], cpuMicros: 0 } as Timing]));
    for (const name of interleaved) await timeCalls(scorers[name], batches, count, WARMUP);
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of interleaved) await timeCalls(scorers[name], batches, count, perRound, timings.get(name));
    }
    const alone = scorers['onnx default threads'];
    await timeCalls(alone, batches, count, WARMUP);
    await timeCalls(alone, batches, count, perRound * ROUNDS, timings.get('onnx default threads'));
    for (const [name, timing] of timings) report(count, name, timing);
  }
  console.log(`\nload average at end: ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')} (1 / 5 / 15 min)`);
  for (const session of Object.values(sessions)) await session.release();
}
