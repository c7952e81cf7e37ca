import { describe, expect, it } from 'vitest';
import { hybridModelSpec } from '../../../src/eval/hybrid-models.js';
import { type EvalDataset, runEvaluation } from '../../../src/eval/runner.js';
import { DAY_MS, type EvalSplit, listeningContextOf, randomEvalSplit, temporalSplit } from '../../../src/eval/split.js';
import type { ModelSpec } from '../../../src/eval/tuning.js';
import type { InteractionMatrix } from '../../../src/models/cf/matrix.js';
import type { TrainProgress } from '../../../src/models/cf/recommender.js';
import { HybridRecommender } from '../../../src/models/hybrid/hybrid.js';
import type { StackingData } from '../../../src/models/hybrid/stacked.js';
import type { ListeningHistory, SideData } from '../../../src/models/hybrid/side-data.js';
import { FAST_HYBRID, blockData, temporalLog } from './helpers.js';

function cells(m: InteractionMatrix): number[] {
  const out: number[] = [];
  for (let u = 0; u < m.users; u++) for (let k = m.indptr[u]; k < m.indptr[u + 1]; k++) out.push(u * m.items + m.indices[k]);
  return out;
}

/** Records every matrix and object the lab hands the hybrid. */
class RecordingHybrid extends HybridRecommender {
  static received: { seed: number; call: string; keys: string[]; matrices: InteractionMatrix[] }[] = [];
  override async fit(train: InteractionMatrix, onProgress?: TrainProgress): Promise<void> {
    RecordingHybrid.received.push({ seed: this.params.seed, call: 'fit', keys: [], matrices: [train] });
    await super.fit(train, onProgress);
  }
  override async fitStacked(data: StackingData, onProgress?: TrainProgress, windows: readonly StackingData[] = []): Promise<void> {
    RecordingHybrid.received.push({ seed: this.params.seed, call: 'fitStacked', keys: Object.keys(data), matrices: Object.values(data) as InteractionMatrix[] });
    for (const w of windows) RecordingHybrid.received.push({ seed: this.params.seed, call: 'window', keys: Object.keys(w), matrices: Object.values(w) as InteractionMatrix[] });
    await super.fitStacked(data, onProgress, windows);
  }
}

describe('hybrid in the lab', () => {
  it('never receives a test cell, yet is stacked on validation and tested once', async () => {
    const { pairs, side } = blockData();
    const splits = new Map<number, EvalSplit>();
    const dataset: EvalDataset = {
      name: 'blocks',
      protocol: {},
      side,
      split: (seed) => {
        const s = randomEvalSplit(pairs, seed);
        splits.set(seed, s);
        return s;
      },
    };
    const base = hybridModelSpec('hybrid', { fixed: { ...FAST_HYBRID, windows: 2 }, values: {} });
    const spec: ModelSpec = {
      ...base,
      bind: (d) => ({ ...base, create: (params, seed) => new RecordingHybrid({ ...params, seed }, d.side as SideData) }),
    };
    RecordingHybrid.received = [];
    const result = await runEvaluation({ dataset, models: [spec], seeds: [1, 2], ks: [10] });
    expect(result.models.hybrid.metrics['ndcg@10'].mean).toBeGreaterThan(0);
    // The run records what the stacked fit chose, per seed.
    const stack = result.models.hybrid.runs['1'].stack as { combiner: string; windows: unknown[] };
    expect(['ranker', 'rrf']).toContain(stack.combiner);
    expect(stack.windows).toHaveLength(2);

    const stacked = RecordingHybrid.received.filter((r) => r.call === 'fitStacked');
    expect(stacked).toHaveLength(2); // once per seed, in the final fit only
    for (const r of stacked) expect(r.keys.sort()).toEqual(['train', 'validation']);
    // The extra windows asked for (2 per seed) are folds of the training part: every cell a training cell.
    const windows = RecordingHybrid.received.filter((r) => r.call === 'window');
    expect(windows).toHaveLength(4);
    for (const r of windows) {
      expect(r.keys.sort()).toEqual(['train', 'validation']);
      const train = new Set(cells((splits.get(r.seed) as EvalSplit).tuning.train));
      for (const m of r.matrices) for (const c of cells(m)) expect(train.has(c)).toBe(true);
    }
    for (const seed of [1, 2]) {
      const split = splits.get(seed) as EvalSplit;
      const test = new Set(cells(split.test.target));
      expect(test.size).toBeGreaterThan(0);
      // The received matrices of this seed's runs: none may hold a test cell, none may be the test matrix.
      const received = RecordingHybrid.received.filter((r) => r.seed === seed);
      expect(received.length).toBeGreaterThanOrEqual(3); // tuning fit, stacked fit, final fit
      for (const r of received) {
        for (const m of r.matrices) {
          expect(m).not.toBe(split.test.target);
          if (m.users !== split.test.target.users) continue;
          for (const c of cells(m)) if (test.has(c)) throw new Error(`${r.call} received test cell ${c} of seed ${seed}`);
        }
      }
    }
    // Validation is handed to fitStacked (the same matrix the tuning sees).
    expect(stacked[0].matrices).toContain((splits.get(1) as EvalSplit).tuning.validation);
  });

  it('on a temporal split, receives no test cell and looks up listening histories from before the cut-offs only', async () => {
    const log = temporalLog();
    const split = temporalSplit(log, { cutoff: 'per-user', testDays: 28, validationDays: 14, skipMs: 30_000, strength: 'plays' });
    const looked: { train: InteractionMatrix; history: ListeningHistory }[] = [];
    const side: SideData = {
      listening: (m) => {
        const history = listeningContextOf(m);
        if (history) looked.push({ train: m, history });
        return history;
      },
    };
    const dataset: EvalDataset = { name: 'temporal', protocol: {}, side, split: () => split };
    const base = hybridModelSpec('hybrid', { fixed: { ...FAST_HYBRID, windows: 2 }, values: {} });
    const spec: ModelSpec = {
      ...base,
      bind: (d) => ({ ...base, create: (params, seed) => new RecordingHybrid({ ...params, seed }, d.side as SideData) }),
    };
    RecordingHybrid.received = [];
    const result = await runEvaluation({ dataset, models: [spec], seeds: [1], ks: [10] });
    expect(result.models.hybrid.metrics['ndcg@10'].mean).toBeGreaterThan(0);
    const test = new Set(cells(split.test.target));
    expect(test.size).toBeGreaterThan(0);
    expect(RecordingHybrid.received.filter((r) => r.call === 'window')).toHaveLength(2);
    for (const r of RecordingHybrid.received) for (const m of r.matrices) for (const c of cells(m)) if (test.has(c)) throw new Error(`${r.call} received test cell ${c}`);

    // Per-user cut-off: the last listen − 28 days; the tuning part and the windows end 14 days earlier.
    const items = log.items.size;
    const cutoff = new Float64Array(log.users.size).fill(-Infinity);
    for (let k = 0; k < log.user.length; k++) cutoff[log.user[k]] = Math.max(cutoff[log.user[k]], log.time[k]);
    for (let u = 0; u < cutoff.length; u++) cutoff[u] -= 28 * DAY_MS;
    const firstListen = new Map<number, number>();
    for (let k = 0; k < log.user.length; k++) {
      const c = log.user[k] * items + log.item[k];
      firstListen.set(c, Math.min(firstListen.get(c) ?? Infinity, log.time[k]));
    }
    const trainsSeen = new Set(looked.map((l) => l.train));
    expect(trainsSeen.has(split.tuning.train)).toBe(true);
    expect(trainsSeen.has(split.test.train)).toBe(true);
    expect(trainsSeen.size).toBeGreaterThanOrEqual(4); // tuning, final, two windows
    for (const { train, history } of looked) {
      const end = (u: number): number => (train === split.test.train ? cutoff[u] : cutoff[u] - 14 * DAY_MS);
      expect(history.skips.indices.length + history.recent.indices.length).toBeGreaterThan(0);
      for (const m of [history.skips, history.recent]) {
        for (const c of cells(m)) {
          expect(test.has(c)).toBe(false);
          const u = Math.floor(c / items);
          expect(firstListen.get(c) as number).toBeLessThan(end(u));
        }
      }
    }
  });
});
