import { describe, expect, it } from 'vitest';
import type { InteractionMatrix } from '../../src/models/cf/matrix.js';
import type { Recommender, TrainProgress } from '../../src/models/cf/recommender.js';
import type { StackedRecommender, StackingData } from '../../src/models/hybrid/stacked.js';
import { PUBLISHED } from '../../src/eval/published.js';
import { markdownTable, reportJson, stackHeldOutNdcg, tuningTable } from '../../src/eval/report.js';
import { type EvalDataset, meanStd, runEvaluation, tuningPart } from '../../src/eval/runner.js';
import { type EvalSplit, randomEvalSplit } from '../../src/eval/split.js';
import { type ModelSpec, assertTuningOnly, gridPoints, tuneModel } from '../../src/eval/tuning.js';
import { TestPopularity, syntheticPairs } from './helpers.js';

const data = syntheticPairs(80, 200);
const dataset: EvalDataset = { name: 'synthetic', protocol: { split: 'random 80/10/10' }, split: (seed) => randomEvalSplit(data, seed) };

function popularitySpec(grid: ModelSpec['grid'] = { values: { unused: [1, 2] } }): ModelSpec {
  return { name: 'popularity', grid, create: () => new TestPopularity() };
}

function cells(m: InteractionMatrix): Set<number> {
  const out = new Set<number>();
  for (let u = 0; u < m.users; u++) for (let k = m.indptr[u]; k < m.indptr[u + 1]; k++) out.add(u * m.items + m.indices[k]);
  return out;
}

/** Throws if it is ever fitted on a matrix holding a test-only cell. */
class TestGuard implements Recommender {
  readonly name = 'guard';
  private inner = new TestPopularity();
  constructor(private readonly forbidden: Set<number>) {}
  async fit(train: InteractionMatrix, onProgress?: TrainProgress): Promise<void> {
    for (const c of cells(train)) if (this.forbidden.has(c)) throw new Error(`fitted on a test cell ${c}`);
    await this.inner.fit(train, onProgress);
  }
  scoreUsers(users: Int32Array, out: Float32Array): void {
    this.inner.scoreUsers(users, out);
  }
}

/** Its validation quality peaks after `peak` epochs: before, it scores at random-ish; after, reversed. */
class PeakingModel implements Recommender {
  readonly name = 'peaking';
  private epoch = 0;
  private counts = new Float32Array(0);
  constructor(private readonly epochs: number, private readonly peak: number) {}
  async fit(train: InteractionMatrix, onProgress?: TrainProgress): Promise<void> {
    this.counts = new Float32Array(train.items);
    for (let k = 0; k < train.indices.length; k++) this.counts[train.indices[k]]++;
    for (let e = 1; e <= this.epochs; e++) {
      this.epoch = e;
      onProgress?.(e, this.epochs);
    }
  }
  scoreUsers(users: Int32Array, out: Float32Array): void {
    const n = this.counts.length;
    // Popularity blended with its reverse; pure popularity exactly at the peak.
    const w = 1 - Math.abs(this.epoch - this.peak) / this.epochs;
    for (let b = 0; b < users.length; b++) for (let i = 0; i < n; i++) out[b * n + i] = w * this.counts[i] - (1 - w) * this.counts[i] + (1 - w) * 3 * ((i * 7919) % 13);
  }
}

describe('grid and tuning', () => {
  it('enumerates the grid product in declaration order', () => {
    expect(gridPoints({ values: { a: [1, 2], b: ['x', 'y'] }, fixed: { c: true } })).toEqual([
      { c: true, a: 1, b: 'x' },
      { c: true, a: 1, b: 'y' },
      { c: true, a: 2, b: 'x' },
      { c: true, a: 2, b: 'y' },
    ]);
  });

  it('refuses tuning data that carries anything besides train and validation', async () => {
    const split = randomEvalSplit(data, 1);
    const leaky = { train: split.tuning.train, validation: split.tuning.validation, test: split.test.target };
    expect(() => assertTuningOnly(leaky)).toThrow(/only train and validation/);
    await expect(tuneModel(leaky, popularitySpec(), 1)).rejects.toThrow(/only train and validation/);
    await expect(tuneModel(split as unknown as EvalSplit['tuning'], popularitySpec(), 1)).rejects.toThrow();
    expect(Object.keys(tuningPart(split)).sort()).toEqual(['train', 'validation']);
  });

  it('chooses the epoch count on validation', async () => {
    const split = randomEvalSplit(data, 1);
    const spec: ModelSpec = { name: 'peaking', grid: { values: {}, epochs: { param: 'epochs', max: 10, every: 1 } }, create: (p) => new PeakingModel(p.epochs as number, 4) };
    const result = await tuneModel(tuningPart(split), spec, 1);
    expect(result.best.params.epochs).toBe(4);
    expect(result.best.curve?.map((c) => c.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // With patience 2, training stops two measurements after the peak.
    const early = await tuneModel(tuningPart(split), { ...spec, grid: { values: {}, epochs: { param: 'epochs', max: 10, every: 1, patience: 2 } } }, 1);
    expect(early.best.params.epochs).toBe(4);
    expect(early.best.curve?.length).toBe(6);
  });
  it('refuses an epoch search on a model that only publishes its state when fit returns', async () => {
    class Late extends PeakingModel {
      private done = false;
      override async fit(train: InteractionMatrix, onProgress?: TrainProgress): Promise<void> {
        this.done = false;
        await super.fit(train, onProgress);
        this.done = true;
      }
      override scoreUsers(users: Int32Array, out: Float32Array): void {
        if (this.done) super.scoreUsers(users, out);
        else out.fill(0);
      }
    }
    const split = randomEvalSplit(data, 1);
    const spec: ModelSpec = { name: 'late', grid: { values: {}, epochs: { param: 'epochs', max: 6, every: 2 } }, create: (p) => new Late(p.epochs as number, 6) };
    await expect(tuneModel(tuningPart(split), spec, 1)).rejects.toThrow(/does not expose its state/);
  });
});

describe('runEvaluation', () => {
  it('never fits on test cells, and its choices do not depend on the test part', async () => {
    const forbidden = new Map<number, Set<number>>();
    const splitWithForbidden = (seed: number): EvalSplit => {
      const s = randomEvalSplit(data, seed);
      forbidden.set(seed, cells(s.test.target));
      return s;
    };
    const guarded: ModelSpec = { name: 'guard', grid: { values: { x: [1, 2, 3] } }, create: (_p, seed) => new TestGuard(forbidden.get(seed) as Set<number>) };
    const result = await runEvaluation({ dataset: { ...dataset, split: splitWithForbidden }, models: [guarded], seeds: [1, 2] });
    expect(result.models.guard.metrics['recall@10'].values).toHaveLength(2);

    // Same train/validation, a different test part: same choice and validation scores.
    const scrambled: EvalDataset = {
      ...dataset,
      split: (seed) => {
        const s = randomEvalSplit(data, seed);
        return { ...s, test: { ...s.test, target: randomEvalSplit(data, seed + 100).test.target } };
      },
    };
    const spec = popularitySpec();
    const a = await runEvaluation({ dataset, models: [spec], seeds: [1] });
    const b = await runEvaluation({ dataset: scrambled, models: [spec], seeds: [1] });
    expect(b.models.popularity.runs['1'].params).toEqual(a.models.popularity.runs['1'].params);
    expect(b.models.popularity.runs['1'].validation).toEqual(a.models.popularity.runs['1'].validation);
    expect(b.models.popularity.runs['1'].test).not.toEqual(a.models.popularity.runs['1'].test);
  });

  it('produces the report shape', async () => {
    const result = await runEvaluation({ dataset, models: [popularitySpec()], seeds: [1, 2, 3] });
    const json = reportJson(result, PUBLISHED['lastfm-2k']) as {
      dataset: string;
      protocol: Record<string, unknown>;
      models: Record<string, Record<string, unknown>>;
      published: { models: Record<string, Record<string, number>> };
    };
    expect(json.dataset).toBe('synthetic');
    expect(json.protocol).toMatchObject({ split: 'random 80/10/10', seeds: [1, 2, 3], ks: [10, 20] });
    const pop = json.models.popularity;
    for (const name of ['recall@10', 'ndcg@10', 'precision@10', 'hit@10', 'mrr@10', 'recall@20', 'ndcg@20', 'coverage@10', 'novelty@10']) {
      const stat = pop[name] as { mean: number; std: number; values: number[] };
      expect(stat.values).toHaveLength(3);
      expect(stat.mean).toBeCloseTo(meanStd(stat.values).mean, 12);
      expect(stat.std).toBeGreaterThanOrEqual(0);
    }
    expect((pop['ndcg@10'] as { mean: number }).mean).toBeGreaterThan(0);
    expect(Object.keys(pop.params as object)).toEqual(['1', '2', '3']);
    expect(json.published.models.BPR['recall@10']).toBe(0.1761);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);

    const table = markdownTable(result, PUBLISHED['lastfm-2k']);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^\| model +\| Recall@10 +\| NDCG@10 +\| Precision@10 +\| Hit@10 +\| MRR@10 +\|/);
    expect(lines).toHaveLength(2 + 1 + 5);
    expect(lines[2]).toMatch(/popularity \(ours, 3 seeds\) .* ± /);
    expect(lines[3].split('|').map((c) => c.trim())).toEqual(['', 'BPR (published)', '0.1761', '0.1674', '0.0858', '0.5573', '0.3026', '—', '—', '—', '—', '—', '—', '—', '']);
  });

  it('tuning only: a stacked model gets its stacked fit and reports its held-out figure; the test part is never read', async () => {
    /** Popularity with a stacked fit whose "held-out figure" is its validation cells' share (a number the data decides). */
    class StackedPopularity extends TestPopularity implements StackedRecommender {
      readonly stackingWindows = 0;
      stackedOn: StackingData | undefined;
      async fitStacked(data: StackingData): Promise<void> {
        this.stackedOn = data;
      }
      stackReport(): unknown {
        const v = this.stackedOn?.validation.indices.length ?? 0;
        const t = this.stackedOn?.train.indices.length ?? 1;
        return { perDepth: [{ depth: 2, trees: 1, ndcg: 0.5 }, { depth: 3, trees: 1, ndcg: v / t }], chosen: { depth: 3, trees: 1 } };
      }
    }
    // A dataset whose test target throws when read: a tuning-only run must never touch it.
    const poisoned: EvalDataset = {
      ...dataset,
      split: async (seed) => {
        const s = await randomEvalSplit(data, seed);
        const test = { train: s.test.train, exclude: s.test.exclude } as EvalSplit['test'];
        Object.defineProperty(test, 'target', { get: () => { throw new Error('the test target was read'); } });
        return { ...s, test };
      },
    };
    const stacked: ModelSpec = { name: 'stacked', grid: { values: {} }, create: () => new StackedPopularity() };
    await expect(runEvaluation({ dataset: poisoned, models: [stacked], seeds: [1] })).rejects.toThrow(/the test target was read/);
    const result = await runEvaluation({ dataset: poisoned, models: [stacked, popularitySpec()], seeds: [1, 2], tuningOnly: true });
    expect(result.protocol.tuningOnly).toBe(true);
    for (const seed of ['1', '2']) {
      const split = randomEvalSplit(data, Number(seed));
      const run = result.models.stacked.runs[seed];
      expect(run.test).toEqual({});
      expect(stackHeldOutNdcg(run.stack)).toBeCloseTo(split.tuning.validation.indices.length / split.tuning.train.indices.length, 12);
      expect(result.models.popularity.runs[seed].stack).toBeUndefined();
    }
    expect(result.models.stacked.metrics).toEqual({});
    const lines = tuningTable(result).split('\n');
    expect(lines[0]).toMatch(/^\| model +\| validation NDCG@10 +\| per seed +\| stacked, held out NDCG@10 +\| per seed +\|$/);
    expect(lines[2]).toMatch(/^\| stacked +\| \d\.\d{4} ± \d\.\d{4} +\| \d\.\d{4} \/ \d\.\d{4} +\| \d\.\d{4} ± \d\.\d{4} +\| \d\.\d{4} \/ \d\.\d{4} +\|$/);
    expect(lines[3].split('|').map((c) => c.trim()).slice(4, 6)).toEqual(['—', '—']);
    expect(stackHeldOutNdcg({ something: 'else' })).toBeUndefined();
  });

  it("hands a stacked model the windows and rounds it asks for, each of tuning cells only", async () => {
    class Windowed extends TestPopularity implements StackedRecommender {
      readonly stackingWindows = 3;
      readonly stackingRounds = 2;
      windows: readonly StackingData[] = [];
      async fitStacked(_data: StackingData, _progress?: unknown, windows: readonly StackingData[] = []): Promise<void> {
        this.windows = windows;
      }
    }
    let made: Windowed | undefined;
    const spec: ModelSpec = { name: 'windowed', grid: { values: {} }, create: () => (made = new Windowed()) };
    await runEvaluation({ dataset, models: [spec], seeds: [4], tuningOnly: true });
    const split = randomEvalSplit(data, 4);
    const expected = split.stackingWindows?.(3, 2) ?? [];
    expect(made?.windows).toHaveLength(6);
    made?.windows.forEach((w, k) => expect(Array.from(w.validation.indices)).toEqual(Array.from(expected[k].validation.indices)));
  });

  it('mean and sample standard deviation', () => {
    expect(meanStd([1, 2, 3])).toEqual({ mean: 2, std: 1 });
    expect(meanStd([5])).toEqual({ mean: 5, std: 0 });
  });
});
