import { describe, expect, it } from 'vitest';
import { CandidatePool } from '../../src/pipeline/candidates.js';
import { explanation, ReasonStrength, SPECIFIC_MIN } from '../../src/pipeline/explain.js';
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

  it('orders the proposing sources by weighted strength, ties in source order, as a comparator sort would', () => {
    // Every source proposes items 0..5 with scores from a small set, so that strengths tie often.
    const levels = [0.2, 0.5, 0.5, 1];
    const outputs: (SourceOutput | undefined)[] = SOURCE_NAMES.map((name, s) => output([0, 1, 2, 3, 4, 5, 6], [1, ...[0, 1, 2, 3, 4, 5].map((i) => levels[(i * 7 + s * 3) % 4])], name));
    outputs[2] = undefined; // one source proposes nothing
    const pool = CandidatePool.merge(outputs, 20);
    const equalWeights = new ReasonStrength(Object.fromEntries(SOURCE_NAMES.map((name) => [name, 1])) as Record<(typeof SOURCE_NAMES)[number], number>);
    for (let item = 1; item <= 6; item++) {
      const slot = pool.slotOf(item);
      const proposing = SOURCE_NAMES.map((_, s) => s).filter((s) => pool.proposed(slot, s));
      const strength = (s: number) => pool.normalised(slot, s);
      const expected = [...proposing].sort((a, b) => strength(b) - strength(a) || a - b);
      const personal = [1, 2, 5, 0].find((s) => pool.proposed(slot, s) && pool.normalised(slot, s) >= SPECIFIC_MIN);
      const order = equalWeights.order(pool, slot);
      // The explaining (personal) source leads; the rest keep the comparator's order.
      expect(order.filter((s) => s !== personal)).toEqual(expected.filter((s) => s !== personal));
      if (personal !== undefined) expect(order[0]).toBe(personal);
    }
  });
});

