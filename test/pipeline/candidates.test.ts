import { describe, expect, it } from 'vitest';
import { CandidatePool } from '../../src/pipeline/candidates.js';
import { SOURCE_NAMES, type SourceOutput } from '../../src/pipeline/index.js';
import { output } from './helpers.js';

const at = (name: string) => SOURCE_NAMES.indexOf(name as (typeof SOURCE_NAMES)[number]);

function outputs(byName: Record<string, SourceOutput>): (SourceOutput | undefined)[] {
  return SOURCE_NAMES.map((name) => byName[name]);
}

describe('CandidatePool', () => {
  it('keeps every score and rank each source gave an item', () => {
    const pool = CandidatePool.merge(outputs({ cf: output([5, 6], [0.9, 0.8]), social: output([6, 7], [2, 1]) }), 100);
    expect(Array.from(pool.items).sort()).toEqual([5, 6, 7]);
    const six = pool.slotOf(6);
    expect(pool.scores[six * SOURCE_NAMES.length + at('cf')]).toBeCloseTo(0.8);
    expect(pool.ranks[six * SOURCE_NAMES.length + at('cf')]).toBe(1);
    expect(pool.scores[six * SOURCE_NAMES.length + at('social')]).toBe(2);
    expect(pool.ranks[six * SOURCE_NAMES.length + at('social')]).toBe(0);
    expect(pool.sourceCount(six)).toBe(2);
    expect(pool.proposed(pool.slotOf(5), at('social'))).toBe(false);
    // Normalised by each source's best: social's 1 is half its best.
    expect(pool.normalised(pool.slotOf(7), at('social'))).toBeCloseTo(0.5);
  });

  it('takes every source’s best candidates first when the total cap bites', () => {
    const long = Array.from({ length: 50 }, (_, i) => 100 + i);
    const pool = CandidatePool.merge(outputs({ cf: output(long), 'fresh-releases': output([1, 2, 3]) }), 6);
    expect(Array.from(pool.items)).toEqual([100, 1, 101, 2, 102, 3]);
  });
});
