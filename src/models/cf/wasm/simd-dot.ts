// eslint-disable-next-line @typescript-eslint/ban-ts-comment -- see the next line
// @ts-nocheck: AssemblyScript, not TypeScript. asc type-checks this file (npm run build:wasm);
// tsc lacks AssemblyScript's types (f32, v128, load<T>…), so it only parses it.
/**
 * The f32x4 dot product both WebAssembly kernels use: ALS training (als.ts) and serving's
 * cosines (src/pipeline/wasm/similarity.ts). k % 4 == 0; addresses 16-byte aligned.
 */

/** Σ a[f]·b[f] over k floats in four float32 lanes (four accumulators), summed as float64. */
export function dot(a: usize, b: usize, k: i32): f64 {
  let s0 = f32x4.splat(0);
  let s1 = s0;
  let s2 = s0;
  let s3 = s0;
  const end = a + (<usize>k << 2);
  const end16 = a + (<usize>(k & ~15) << 2);
  for (; a < end16; a += 64, b += 64) {
    s0 = f32x4.add(s0, f32x4.mul(v128.load(a), v128.load(b)));
    s1 = f32x4.add(s1, f32x4.mul(v128.load(a, 16), v128.load(b, 16)));
    s2 = f32x4.add(s2, f32x4.mul(v128.load(a, 32), v128.load(b, 32)));
    s3 = f32x4.add(s3, f32x4.mul(v128.load(a, 48), v128.load(b, 48)));
  }
  for (; a < end; a += 16, b += 16) s0 = f32x4.add(s0, f32x4.mul(v128.load(a), v128.load(b)));
  const s = f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3));
  return <f64>f32x4.extract_lane(s, 0) + <f64>f32x4.extract_lane(s, 1) + (<f64>f32x4.extract_lane(s, 2) + <f64>f32x4.extract_lane(s, 3));
}
