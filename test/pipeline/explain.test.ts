import { describe, expect, it } from 'vitest';
import { CandidatePool } from '../../src/pipeline/candidates.js';
import { explanation, ReasonStrength } from '../../src/pipeline/explain.js';
import { pipelineSettings, SOURCE_NAMES, type SourceOutput } from '../../src/pipeline/index.js';
import { output } from './helpers.js';

const named = (byName: Record<string, SourceOutput>) => SOURCE_NAMES.map((name) => byName[name]);

describe('explanations', () => {
  const reasons = new ReasonStrength(pipelineSettings().explanationWeights);

  it('states a personal reason its source is sure of before a broad one', () => {
    // Item 1: the tag source rates it as highly as everything (1 = its best), item-to-item at 0.6 of its best.
    const outputs = named({
      'item-to-item': output([0, 1], [1, 0.6], 'Because you played'),
      'tag-affinity': output([1, 2], [1, 1], 'Tagged'),
    });
    const pool = CandidatePool.merge(outputs, 10);
    const slot = pool.slotOf(1);
    const order = reasons.order(pool, slot);
    expect(order.map((s) => SOURCE_NAMES[s])).toEqual(['item-to-item', 'tag-affinity']);
    expect(explanation(pool, outputs, order, slot)).toBe('Because you played #1');
  });

  it('falls back to the strongest weighted source when no personal source is sure', () => {
    const outputs = named({
      cf: output([0, 1], [1, 0.1], 'CF'),
      'popular-in-context': output([1], [0.5], 'Popular'),
      'tag-affinity': output([2, 1], [1, 0.5], 'Tagged'),
    });
    const pool = CandidatePool.merge(outputs, 10);
    const slot = pool.slotOf(1);
    // cf is at 0.1 of its best (below the bar); popular at 1 × 0.7 beats tags at 0.5 × 0.6.
    expect(reasons.order(pool, slot).map((s) => SOURCE_NAMES[s])).toEqual(['popular-in-context', 'tag-affinity', 'cf']);
    expect(explanation(pool, outputs, reasons.order(pool, slot), slot)).toBe('Popular #0');
  });
});
