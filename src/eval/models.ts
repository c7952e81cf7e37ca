/**
 * The real recommenders (src/models/cf registry) as {@link ModelSpec}s for the runner: each
 * with its grid from grids.ts, created with the evaluation seed as its own seed.
 */
import { DEFAULT_PARAMS, RECOMMENDER_NAMES, type RecommenderName, createRecommender } from '../models/cf/index.js';
import { GRIDS } from './grids.js';
import { HYBRID_GRIDS, HYBRID_MODEL_NAMES, hybridModelSpec, isHybridModelName } from './hybrid-models.js';
import type { GridSpec, ModelSpec, ParamValue, Params } from './tuning.js';

export { RECOMMENDER_NAMES };

export function isRecommenderName(name: string): name is RecommenderName {
  return (RECOMMENDER_NAMES as readonly string[]).includes(name);
}

/** Throws when a grid names a parameter the model does not have, or a value of the wrong type. */
export function checkGrid(name: RecommenderName, grid: GridSpec): void {
  const defaults = DEFAULT_PARAMS[name] as Readonly<Record<string, unknown>>;
  const check = (param: string, value: ParamValue): void => {
    if (!(param in defaults)) throw new RangeError(`${name} has no parameter "${param}" (it has: ${Object.keys(defaults).join(', ') || 'none'})`);
    const expected = typeof defaults[param];
    // 'auto'-style parameters take numbers too.
    if (typeof value !== expected && !(param === 'threads' && typeof value === 'number')) {
      throw new RangeError(`${name}.${param} takes a ${expected}, got ${JSON.stringify(value)}`);
    }
  };
  for (const [param, values] of Object.entries(grid.values)) for (const v of values) check(param, v);
  for (const [param, v] of Object.entries(grid.fixed ?? {})) check(param, v);
  if (grid.epochs && !(grid.epochs.param in defaults)) throw new RangeError(`${name} has no parameter "${grid.epochs.param}"`);
}

export function modelSpec(name: RecommenderName, grid: GridSpec = GRIDS[name].full): ModelSpec {
  checkGrid(name, grid);
  const seeded = 'seed' in DEFAULT_PARAMS[name];
  return {
    name,
    grid,
    create: (params, seed) => createRecommender(name, (seeded ? { ...params, seed } : { ...params }) as never),
    describe: (params, seed) => ({ ...(DEFAULT_PARAMS[name] as Readonly<Params>), ...params, ...(seeded ? { seed } : {}) }),
  };
}

/**
 * Specs for `names`, with the quick or full grids; `overrides` replaces the grid values of the
 * models it names (their pinned parameters stay unless overridden).
 */
export function modelSpecs(names: readonly string[], quick: boolean, overrides: Record<string, Record<string, readonly ParamValue[]>> = {}): ModelSpec[] {
  for (const name of Object.keys(overrides)) if (!names.includes(name)) throw new RangeError(`the grid names "${name}", which is not among the models evaluated`);
  return names.map((name) => {
    if (isHybridModelName(name)) {
      const base = quick ? HYBRID_GRIDS[name].quick : HYBRID_GRIDS[name].full;
      return hybridModelSpec(name, overrides[name] ? overrideGrid(base, overrides[name]) : base);
    }
    if (!isRecommenderName(name)) throw new RangeError(`unknown model "${name}" (${[...RECOMMENDER_NAMES, ...HYBRID_MODEL_NAMES].join(', ')})`);
    const base = quick ? GRIDS[name].quick : GRIDS[name].full;
    return modelSpec(name, overrides[name] ? overrideGrid(base, overrides[name]) : base);
  });
}

/** `base` with its values replaced by `values`; pinned parameters named in `values` are unpinned. */
export function overrideGrid(base: GridSpec, values: Record<string, readonly ParamValue[]>): GridSpec {
  const fixed = Object.fromEntries(Object.entries(base.fixed ?? {}).filter(([name]) => !(name in values)));
  return { fixed, values, epochs: base.epochs && !(base.epochs.param in values) ? base.epochs : undefined };
}
