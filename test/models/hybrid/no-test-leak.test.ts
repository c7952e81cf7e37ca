import { describe, expect, it } from 'vitest';
import { hybridModelSpec } from '../../../src/eval/hybrid-models.js';
import { type EvalDataset, runEvaluation } from '../../../src/eval/runner.js';
import { type EvalSplit, randomEvalSplit } from '../../../src/eval/split.js';
import type { ModelSpec } from '../../../src/eval/tuning.js';
import type { InteractionMatrix } from '../../../src/models/cf/matrix.js';
import type { TrainProgress } from '../../../src/models/cf/recommender.js';
import { HybridRecommender, type StackingData } from '../../../src/models/hybrid/hybrid.js';
import type { SideData } from '../../../src/models/hybrid/side-data.js';
import { FAST_HYBRID, blockData } from './helpers.js';

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
  override async fitStacked(data: StackingData, onProgress?: TrainProgress): Promise<void> {
    RecordingHybrid.received.push({ seed: this.params.seed, call: 'fitStacked', keys: Object.keys(data), matrices: Object.values(data) as InteractionMatrix[] });
    await super.fitStacked(data, onProgress);
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
    const base = hybridModelSpec('hybrid', { fixed: FAST_HYBRID, values: {} });
    const spec: ModelSpec = {
      ...base,
      bind: (d) => ({ ...base, create: (params, seed) => new RecordingHybrid({ ...params, seed }, d.side as SideData) }),
    };
    RecordingHybrid.received = [];
    const result = await runEvaluation({ dataset, models: [spec], seeds: [1, 2], ks: [10] });
    expect(result.models.hybrid.metrics['ndcg@10'].mean).toBeGreaterThan(0);

    const stacked = RecordingHybrid.received.filter((r) => r.call === 'fitStacked');
    expect(stacked).toHaveLength(2); // once per seed, in the final fit only
    for (const r of stacked) expect(r.keys.sort()).toEqual(['train', 'validation']);
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
});
