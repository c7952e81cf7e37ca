/**
 * The evaluation loop: for each seed, split the data; for each model, choose hyperparameters
 * (and epochs) on validation with `tuneModel`, which is handed the training and validation
 * matrices only; refit the chosen parameters on the final training matrix; rank the test part
 * once. Metrics are then aggregated over seeds as mean ± sample standard deviation.
 *
 * The test part of a split is touched in exactly one place, `testModel`, after the parameters
 * are fixed.
 */
import type { Progress } from '../lib/progress.js';
import { type StackedRecommender, isStacked } from '../models/hybrid/stacked.js';
import { silentProgress } from '../lib/progress.js';
import type { EvalDataset } from './dataset.js';
import { evaluateRanking, metricNames } from './metrics.js';
import { type EvalSplit, type TestData, type TuningData, usersWithItems } from './split.js';
import { type GridPointResult, type ModelSpec, type Params, type TuningResult, assertTuningOnly, tuneModel } from './tuning.js';

export type { EvalDataset } from './dataset.js';

export interface RunOptions {
  dataset: EvalDataset;
  models: readonly ModelSpec[];
  seeds: readonly number[];
  /** Default [10, 20]. */
  ks?: readonly number[];
  /** Coverage/novelty cut-off; default 10. */
  beyondK?: number;
  /** Selection metric on validation; default "ndcg@10". */
  metric?: string;
  blockSize?: number;
  progress?: Progress;
  /** Told about each finished (seed, model). */
  onResult?: (seed: number, model: string, run: ModelRun) => void;
  /**
   * Stop before the test part: tune on validation and give a stacked model its stacked fit (its
   * out-of-fold figures land in `stack`), but no final fit, no test ranking and no test figure —
   * for trying settings without ever seeing a test number. Every run's `test` is empty.
   */
  tuningOnly?: boolean;
}

export interface Stat {
  mean: number;
  std: number;
  /** Per seed, in seed order. */
  values: number[];
}

export interface ModelRun {
  /** The chosen grid point. */
  params: Params;
  /** Every parameter of the final model (defaults included), when the spec can tell. */
  fullParams?: Params;
  validation: Record<string, number>;
  test: Record<string, number>;
  testUsers: number;
  tuning: GridPointResult[];
  seconds: { tuning: number; fit: number; test: number };
  /** What a stacked model reports about its stacked fit (the hybrid: ranker or fusion, inner scores). */
  stack?: unknown;
}

export interface ModelSummary {
  metrics: Record<string, Stat>;
  /** Per seed (keyed by the seed). */
  runs: Record<string, ModelRun>;
}

export interface RunResult {
  dataset: string;
  protocol: Record<string, unknown>;
  seeds: number[];
  metricNames: string[];
  splits: Record<string, Record<string, number>>;
  models: Record<string, ModelSummary>;
  seconds: number;
}

/** Mean and sample standard deviation (n − 1; 0 for a single value). */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, std: 0 };
  const ss = values.reduce((a, v) => a + (v - mean) * (v - mean), 0);
  return { mean, std: Math.sqrt(ss / (n - 1)) };
}

/** Only the part the search may see, as a new object (never the split itself). */
export function tuningPart(split: EvalSplit): TuningData {
  return { train: split.tuning.train, validation: split.tuning.validation };
}

/** Options of the stacked fit a stacked model gets before its final fit. */
interface StackingOptions {
  progress?: Progress;
  label?: string;
  stacking?: TuningData;
  /** Extra labelled windows for a stacked model, made from the tuning part's training data (EvalSplit.stackingWindows). */
  stackingWindows?: (count: number, rounds?: number) => TuningData[];
}

/** `fitStacked` on the tuning part (and the windows the model asks for), each checked to hold no test cell. */
async function fitStackedPart(model: StackedRecommender, spec: ModelSpec, options: StackingOptions): Promise<void> {
  const progress = options.progress ?? silentProgress;
  const label = options.label ?? spec.name;
  const stacking = options.stacking;
  if (!stacking) throw new Error(`${spec.name} is a stacked model: its stacked fit needs the tuning part (train and validation)`);
  assertTuningOnly(stacking);
  const windows = model.stackingWindows > 0 && options.stackingWindows ? options.stackingWindows(model.stackingWindows, model.stackingRounds ?? 1) : [];
  for (const w of windows) assertTuningOnly(w);
  let shownTotal = -1;
  await model.fitStacked(
    { train: stacking.train, validation: stacking.validation },
    (done, total) => {
      if (total !== shownTotal) progress.start(`${label} · stacked fit`, (shownTotal = total));
      progress.update(done);
    },
    windows.map((w) => ({ train: w.train, validation: w.validation })),
  );
  progress.stop();
}

/**
 * Fits the chosen parameters on the final training matrix and ranks the test part. A stacked
 * model (one with `fitStacked`, e.g. the hybrid, whose ranker learns from validation labels)
 * first gets `stacking` — the tuning part, train and validation only, never test — and, when it
 * asks for them, extra labelled windows made from the tuning part's training data
 * (`stackingWindows`), then the final `fit`.
 */
export async function testModel(
  spec: ModelSpec,
  params: Params,
  seed: number,
  test: TestData,
  options: StackingOptions & { ks?: readonly number[]; beyondK?: number; blockSize?: number } = {},
): Promise<{ metrics: Record<string, number>; users: number; seconds: { fit: number; test: number }; stack?: unknown }> {
  const progress = options.progress ?? silentProgress;
  const label = options.label ?? spec.name;
  const model = spec.create(params, seed);
  const t0 = performance.now();
  if (isStacked(model)) await fitStackedPart(model, spec, options);
  let shownTotal = -1;
  await model.fit(test.train, (done, total) => {
    if (total !== shownTotal) progress.start(`${label} · test fit`, (shownTotal = total));
    progress.update(done);
  });
  progress.stop();
  const t1 = performance.now();
  progress.start(`${label} · test ranking`, usersWithItems(test.target));
  const result = evaluateRanking(
    model,
    { target: test.target, exclude: test.exclude, train: test.train },
    { ks: options.ks, beyondK: options.beyondK, blockSize: options.blockSize, onProgress: (done) => progress.update(done) },
  );
  progress.stop();
  const stack = isStacked(model) ? model.stackReport?.() : undefined;
  return { metrics: result.metrics, users: result.users, seconds: { fit: (t1 - t0) / 1000, test: (performance.now() - t1) / 1000 }, ...(stack === undefined ? {} : { stack }) };
}

/**
 * The tuning-only counterpart of `testModel`: a stacked model's stacked fit and its report (the
 * hybrid's out-of-fold figures), nothing of the test part — no final fit, no test ranking. A
 * model that is not stacked has nothing to do here (its validation figure is the tuning's).
 */
export async function stackOnly(spec: ModelSpec, params: Params, seed: number, options: StackingOptions = {}): Promise<{ seconds: number; stack?: unknown }> {
  const model = spec.create(params, seed);
  if (!isStacked(model)) return { seconds: 0 };
  const t0 = performance.now();
  await fitStackedPart(model, spec, options);
  const stack = model.stackReport?.();
  return { seconds: (performance.now() - t0) / 1000, ...(stack === undefined ? {} : { stack }) };
}

export async function runEvaluation(options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const ks = options.ks ?? [10, 20];
  const beyondK = options.beyondK ?? 10;
  const names = metricNames(ks, beyondK);
  const progress = options.progress ?? silentProgress;
  const seeds = [...options.seeds];
  if (seeds.length === 0) throw new RangeError('at least one seed');
  if (options.models.length === 0) throw new RangeError('at least one model');

  const specs = options.models.map((spec) => spec.bind?.(options.dataset) ?? spec);
  const runs = new Map<string, Map<number, ModelRun>>(specs.map((m) => [m.name, new Map()]));
  const splits: Record<string, Record<string, number>> = {};
  for (let s = 0; s < seeds.length; s++) {
    const seed = seeds[s];
    const split = await options.dataset.split(seed);
    splits[String(seed)] = { ...split.stats };
    for (const spec of specs) {
      const label = `seed ${seed} (${s + 1}/${seeds.length}) · ${spec.name}`;
      const t0 = performance.now();
      const tuned: TuningResult = await tuneModel(tuningPart(split), spec, seed, { metric: options.metric, blockSize: options.blockSize, progress, label });
      const tuningSeconds = (performance.now() - t0) / 1000;
      const stacking = { progress, label, stacking: tuningPart(split), stackingWindows: split.stackingWindows };
      const tested = options.tuningOnly
        ? await stackOnly(spec, tuned.best.params, seed, stacking).then((r) => ({ metrics: {}, users: 0, seconds: { fit: r.seconds, test: 0 }, stack: r.stack }))
        : await testModel(spec, tuned.best.params, seed, split.test, { ks, beyondK, blockSize: options.blockSize, ...stacking });
      const run: ModelRun = {
        params: tuned.best.params,
        fullParams: spec.describe?.(tuned.best.params, seed),
        validation: tuned.best.validation,
        test: tested.metrics,
        testUsers: tested.users,
        tuning: tuned.points,
        seconds: { tuning: tuningSeconds, ...tested.seconds },
        ...(tested.stack === undefined ? {} : { stack: tested.stack }),
      };
      runs.get(spec.name)?.set(seed, run);
      options.onResult?.(seed, spec.name, run);
    }
  }

  const models: Record<string, ModelSummary> = {};
  for (const spec of options.models) {
    const bySeed = runs.get(spec.name) as Map<number, ModelRun>;
    const metrics: Record<string, Stat> = {};
    for (const name of options.tuningOnly ? [] : names) {
      const values = seeds.map((seed) => (bySeed.get(seed) as ModelRun).test[name]);
      metrics[name] = { ...meanStd(values), values };
    }
    models[spec.name] = { metrics, runs: Object.fromEntries(seeds.map((seed) => [String(seed), bySeed.get(seed) as ModelRun])) };
  }
  return {
    dataset: options.dataset.name,
    protocol: { ...options.dataset.protocol, seeds, ks, beyondK, selection: `${options.metric ?? 'ndcg@10'} on validation`, ...(options.tuningOnly ? { tuningOnly: true } : {}) },
    seeds,
    metricNames: names,
    splits,
    models,
    seconds: (performance.now() - started) / 1000,
  };
}
