// eslint-disable-next-line @typescript-eslint/ban-ts-comment -- see the next line
// @ts-nocheck: AssemblyScript, not TypeScript. asc type-checks this file (npm run build:wasm);
// tsc lacks AssemblyScript's types (f32, v128, load<T>…), so it only parses it.
/**
 * WebAssembly SIMD (f32x4) cosines between a CF model's unit item vectors, for serving (MMR in
 * ../blend.ts, the recent-play similarity features in ../features.ts). Compiled by
 * `npm run build:wasm` into similarity.wasm beside this file (committed, so a fresh clone needs
 * no build step; test/pipeline/similarity-wasm.test.ts checks that it matches this source).
 *
 * The unit rows live in a WebAssembly.Memory that ../cf-view.ts (unitFactors) fills once per
 * model and that the instance imports; arguments are byte addresses into it plus row numbers.
 * Nothing here allocates and no state lives in the module.
 *
 * Products and the lane sums are float32, the final sum of the four lanes float64 (the dot
 * product of src/models/cf/wasm/simd-dot.ts, which ALS uses too); the JavaScript fallback (factor-utils.ts dot) is float64
 * throughout, so the two agree up to float32 rounding (~1e-7 for unit vectors).
 * k must be a multiple of 4 and `units` 16-byte aligned (cf-view.ts uses JavaScript otherwise).
 */
import { dot as dotOf } from '../../models/cf/wasm/simd-dot';

function rowAt(units: usize, k: i32, row: i32): usize {
  return units + ((<usize>row * <usize>k) << 2);
}

/** Row a · row b. */
export function dot(units: usize, k: i32, a: i32, b: i32): f64 {
  return dotOf(rowAt(units, k, a), rowAt(units, k, b), k);
}

/**
 * max(start, max over v in [from, to) of row key · row keys[v]); `keys` is an int32 array.
 * MMR's refresh: one candidate against the items picked since it was last brought up to date.
 */
export function maxDot(units: usize, k: i32, key: i32, keys: usize, from: i32, to: i32, start: f64): f64 {
  const a = rowAt(units, k, key);
  let max = start;
  for (let v = from; v < to; v++) {
    const s = dotOf(a, rowAt(units, k, load<i32>(keys + (<usize>v << 2))), k);
    if (s > max) max = s;
  }
  return max;
}

/** out[v] = row key · row keys[v] for v in [0, n) (out: float64, keys: int32). */
export function dots(units: usize, k: i32, key: i32, keys: usize, n: i32, out: usize): void {
  const a = rowAt(units, k, key);
  for (let v = 0; v < n; v++) store<f64>(out + (<usize>v << 3), dotOf(a, rowAt(units, k, load<i32>(keys + (<usize>v << 2))), k));
}
