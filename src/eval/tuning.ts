/**
 * Hyperparameter selection on validation data. `tuneModel` receives a {@link TuningData}
 * (training + validation matrices) and nothing else: it cannot see a test part, and refuses an
 * argument that carries more than those two matrices.
 *
 * Each grid point is trained on the training matrix and ranked on validation with the
 * training items masked. When the model has an epochs/iterations parameter, the number of
 * epochs is chosen too: the point is trained once up to `max` epochs, measured every `every`
 * epochs from the training callback, optionally stopped early after `patience` measurements
 * without improvement, and its best measurement (and that epoch count) is kept — RecBole's
 * early stopping on the validation metric. The chosen point is the one with the best
 * validation metric (ties: the earlier point in grid order).
 */
import type { Recommender } from '../models/cf/recommender.js';
import type { Progress } from '../lib/progress.js';
import { silentProgress } from '../lib/progress.js';
import { evaluateRanking } from './metrics.js';
import type { EvalDataset } from './dataset.js';
import type { TuningData } from './split.js';

export type ParamValue = number | string | boolean;
export type Params = Record<string, ParamValue>;

export interface EpochSearch {
  /** The parameter holding the number of epochs (or iterations). */
  param: string;
  /** Train up to this many epochs. */
  max: number;
  /** Measure validation every this many epochs (and after the last). */
  every: number;
  /** Stop a point after this many measurements in a row without improvement; default never. */
  patience?: number;
}

export interface GridSpec {
  /** Values to try per parameter; the grid is their product, in declaration order. */
  values: Record<string, readonly ParamValue[]>;
  /** Parameters set at every point. */
  fixed?: Params;
  /** Training length chosen on validation. */
  epochs?: EpochSearch;
}

export interface ModelSpec {
  readonly name: string;
  /** A fresh, untrained recommender with these parameters; `seed` drives its randomness. */
  create(params: Params, seed: number): Recommender;
  readonly grid: GridSpec;
  /** Every parameter the model runs with for these (defaults filled in), for the report. */
  describe?(params: Params, seed: number): Params;
  /** For models that need the dataset's side data: the spec bound to `dataset` (the runner calls it first). */
  bind?(dataset: EvalDataset): ModelSpec;
}

export interface GridPointResult {
  /** Parameters of the point, the chosen epochs included. */
  params: Params;
  /** Validation metrics at the chosen epoch count. */
  validation: Record<string, number>;
  /** Validation metric per measured epoch (epoch-searched models only). */
  curve?: { epoch: number; value: number }[];
  /** Training + measuring time. */
  seconds: number;
}

export interface TuningResult {
  model: string;
  metric: string;
  best: GridPointResult;
  points: GridPointResult[];
}

export interface TuneOptions {
  /** Selection metric; default "ndcg@10". */
  metric?: string;
  /** Cut-offs measured on validation; default [10]. */
  ks?: readonly number[];
  blockSize?: number;
  progress?: Progress;
  /** Prefix of the progress labels, e.g. "seed 1 · als". */
  label?: string;
  /** Called after each grid point (for printing as the search goes). */
  onPoint?: (point: GridPointResult, index: number, total: number) => void;
}

/** The points of a grid (product of `values`, each with `fixed`), in declaration order. */
export function gridPoints(grid: GridSpec): Params[] {
  let points: Params[] = [{ ...(grid.fixed ?? {}) }];
  for (const [name, values] of Object.entries(grid.values)) {
    if (values.length === 0) throw new RangeError(`grid: no values for ${name}`);
    points = points.flatMap((p) => values.map((v) => ({ ...p, [name]: v })));
  }
  return points;
}

/** Thrown from the training callback to end a grid point early. */
class EarlyStop extends Error {}

/** Refuses anything but { train, validation }: the search must never be handed test data. */
export function assertTuningOnly(data: TuningData): void {
  const extra = Object.keys(data).filter((k) => k !== 'train' && k !== 'validation');
  if (extra.length > 0) throw new TypeError(`tuning data must hold only train and validation, got also: ${extra.join(', ')}`);
  const { train, validation } = data;
  if (train.users !== validation.users || train.items !== validation.items) throw new RangeError('train and validation shapes differ');
}

export async function tuneModel(data: TuningData, spec: ModelSpec, seed: number, options: TuneOptions = {}): Promise<TuningResult> {
  assertTuningOnly(data);
  const metric = options.metric ?? 'ndcg@10';
  const ks = options.ks ?? [10];
  const progress = options.progress ?? silentProgress;
  const task = { target: data.validation, exclude: [data.train], train: data.train };
  const measure = (model: Recommender): Record<string, number> => evaluateRanking(model, task, { ks, beyondK: 0, blockSize: options.blockSize }).metrics;

  const grid = gridPoints(spec.grid);
  const epochs = spec.grid.epochs;
  const points: GridPointResult[] = [];
  for (let p = 0; p < grid.length; p++) {
    const started = performance.now();
    const params: Params = { ...grid[p] };
    if (epochs) params[epochs.param] = epochs.max;
    const model = spec.create(params, seed);
    const label = `${options.label ? `${options.label} · ` : ''}grid ${p + 1}/${grid.length}`;

    const state = { best: undefined as { epoch: number; metrics: Record<string, number> } | undefined, lastMeasured: -1, lastEpoch: 0, sinceBest: 0 };
    const curve: { epoch: number; value: number }[] = [];
    const record = (epoch: number): { epoch: number; metrics: Record<string, number> } => {
      const metrics = measure(model);
      state.lastMeasured = epoch;
      curve.push({ epoch, value: metrics[metric] });
      if (!state.best || metrics[metric] > state.best.metrics[metric]) {
        state.best = { epoch, metrics };
        state.sinceBest = 0;
      } else {
        state.sinceBest++;
      }
      return state.best;
    };
    // The phase starts with the first callback, which tells the total.
    let shownTotal = -1;
    let stopped = false;
    try {
      await model.fit(data.train, (done, total) => {
        if (total !== shownTotal) progress.start(label, (shownTotal = total));
        progress.update(done);
        if (!epochs) return;
        state.lastEpoch = done;
        if (done % epochs.every === 0 || done >= total) {
          record(done);
          if (epochs.patience !== undefined && state.sinceBest >= epochs.patience) throw new EarlyStop();
        }
      });
    } catch (error) {
      if (!(error instanceof EarlyStop)) throw error;
      stopped = true;
    }
    let chosen = state.best;
    if (!epochs) {
      chosen = record(0);
    } else if (!chosen || state.lastMeasured !== state.lastEpoch) {
      // The last epochs were not measured (or no callback came): measure the trained state.
      chosen = record(state.lastEpoch > 0 ? state.lastEpoch : epochs.max);
    } else if (!stopped) {
      // Measurements from the callback are only valid if scoring sees the model as trained so
      // far; a model that publishes its state only when fit returns would fool the search.
      const last = curve[curve.length - 1].value;
      const final = measure(model)[metric];
      if (Math.abs(final - last) > 1e-9) {
        throw new Error(
          `${spec.name}: scoring during training (epoch ${state.lastEpoch}: ${metric} ${last}) differs from scoring after fit (${final}); ` +
            `the model does not expose its state from the training callback, so make "${epochs.param}" a grid value instead of an epoch search`,
        );
      }
    }
    progress.stop();
    if (epochs) params[epochs.param] = chosen.epoch;
    const point: GridPointResult = { params, validation: chosen.metrics, seconds: (performance.now() - started) / 1000 };
    if (epochs) point.curve = curve;
    points.push(point);
    options.onPoint?.(point, p, grid.length);
  }
  let bestPoint = points[0];
  for (const point of points) if (point.validation[metric] > bestPoint.validation[metric]) bestPoint = point;
  return { model: spec.name, metric, best: bestPoint, points };
}
