import { describe, expect, it } from 'vitest';
import { GRIDS } from '../../src/eval/grids.js';
import { checkGrid, modelSpecs, overrideGrid } from '../../src/eval/models.js';
import { gridPoints } from '../../src/eval/tuning.js';
import { RECOMMENDER_NAMES } from '../../src/models/cf/index.js';

describe('declared grids', () => {
  it('name only parameters the models have, with values of the right type', () => {
    for (const name of RECOMMENDER_NAMES) {
      expect(() => checkGrid(name, GRIDS[name].full)).not.toThrow();
      expect(() => checkGrid(name, GRIDS[name].quick)).not.toThrow();
      expect(gridPoints(GRIDS[name].quick).length).toBeLessThanOrEqual(2);
    }
    expect(() => checkGrid('als', { values: { factorz: [1] } })).toThrow(/no parameter "factorz"/);
    expect(() => checkGrid('als', { values: { factors: ['64'] } })).toThrow(/takes a number/);
  });

  it('overrides replace values and unpin what they name', () => {
    const g = overrideGrid({ fixed: { a: 1, b: 2 }, values: { c: [1, 2] } }, { b: [3, 4] });
    expect(g).toEqual({ fixed: { a: 1 }, values: { b: [3, 4] }, epochs: undefined });
    expect(() => modelSpecs(['als'], true, { bpr: { epochs: [1] } })).toThrow(/not among the models/);
  });

  it('creates seeded recommenders and reports their full parameters', () => {
    const [als] = modelSpecs(['als'], true);
    const full = als.describe?.({ factors: 8 }, 3);
    expect(full).toMatchObject({ factors: 8, seed: 3 });
    expect(als.create({ factors: 8 }, 3).name).toBeTruthy();
  });
});
