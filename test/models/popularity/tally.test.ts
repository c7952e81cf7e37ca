import { describe, expect, it } from 'vitest';
import { Tally } from '../../../src/models/popularity/tally.js';
import { lcg } from '../../pipeline/helpers.js';

/** The chart by a full sort: count descending, then id. */
function sortedChart(counts: ReadonlyMap<string, number>, size: number): [string, number][] {
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, size);
}

describe('Tally', () => {
  it('keeps its head equal to the first ids of a full sort after every add', () => {
    for (const seed of [1, 2, 3]) {
      const next = lcg(seed);
      const tally = new Tally(20);
      for (let n = 0; n < 3000; n++) {
        // Skewed ids and weights with many ties (integers and halves), as plays, likes and tags give.
        const id = `t${Math.floor(next() ** 2 * 200)}`;
        tally.add(id, [1, 1, 2, 0.5][Math.floor(next() * 4)]);
        if (n % 97 === 0 || n > 2950) expect(tally.chart()).toEqual(sortedChart(tally.counts, 20));
      }
      expect(tally.total).toBeCloseTo([...tally.counts.values()].reduce((a, b) => a + b), 9);
    }
  });

  it('lets an id from far below climb into the head and pushes the last one out', () => {
    const tally = new Tally(3);
    for (const [id, count] of [['a', 5], ['b', 4], ['c', 3], ['d', 2]] as const) tally.add(id, count);
    expect(tally.chart().map(([id]) => id)).toEqual(['a', 'b', 'c']);
    tally.add('d', 4); // d: 6
    expect(tally.chart()).toEqual([['d', 6], ['a', 5], ['b', 4]]);
    tally.add('c', 1); // c: 4 ties b, and b < c
    expect(tally.chart()).toEqual([['d', 6], ['a', 5], ['b', 4]]);
    expect(tally.share('c')).toBeCloseTo(4 / 19);
  });

  it('refuses weights that would lower a count', () => {
    const tally = new Tally(3);
    expect(() => tally.add('a', 0)).toThrow(RangeError);
    expect(() => tally.add('a', -1)).toThrow(RangeError);
    expect(() => new Tally(0)).toThrow(RangeError);
  });
});
