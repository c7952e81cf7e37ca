import { describe, expect, it } from 'vitest';
import { CompleteForest, MAX_COMPLETE_DEPTH, type PointerTree } from '../../../src/models/ranker/complete-forest.js';
import { LambdaMart } from '../../../src/models/ranker/lambdamart.js';
import { synthetic } from './synthetic.js';

/** The pointer walk LambdaMART's trees were always scored by: the reference. */
function walk(trees: readonly PointerTree[], features: Float32Array, f: number): Float64Array {
  const rows = features.length / f;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    for (const tree of trees) {
      let node = 0;
      while (tree.feature[node] >= 0) node = features[i * f + tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
      sum += tree.value[node];
    }
    out[i] = sum;
  }
  return out;
}

/** A random tree of at most `depth` levels whose leaves stop at random depths. */
function randomTree(random: () => number, depth: number, features: number): PointerTree {
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const grow = (level: number): number => {
    const node = feature.length;
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    value.push(0);
    if (level === depth || (level > 0 && random() < 0.3)) {
      value[node] = random() * 2 - 1;
      return node;
    }
    feature[node] = Math.floor(random() * features);
    threshold[node] = Math.fround(random() * 2 - 1);
    left[node] = grow(level + 1);
    right[node] = grow(level + 1);
    return node;
  };
  grow(0);
  return {
    feature: Int32Array.from(feature), threshold: Float32Array.from(threshold), left: Int32Array.from(left), right: Int32Array.from(right), value: Float32Array.from(value),
  };
}

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('CompleteForest', () => {
  it('scores exactly as the pointer trees do: unbalanced trees, NaN and infinite features, ties at thresholds', () => {
    const random = seeded(7);
    const f = 6;
    const trees = Array.from({ length: 40 }, (_, t) => randomTree(random, 1 + (t % 5), f));
    const rows = 503; // not a multiple of the four rows walked together
    const features = new Float32Array(rows * f);
    for (let i = 0; i < features.length; i++) {
      const r = random();
      features[i] = r < 0.05 ? Number.NaN : r < 0.08 ? Number.POSITIVE_INFINITY : r < 0.2 ? trees[i % trees.length].threshold[0] : random() * 2 - 1;
    }
    const forest = CompleteForest.from(trees)!;
    expect(forest.depth).toBe(5);
    const out = new Float64Array(rows);
    forest.predict(features, f, out);
    expect(Array.from(out)).toEqual(Array.from(walk(trees, features, f)));
  });

  it('handles a forest of single leaves (depth 0)', () => {
    const leaf = (v: number): PointerTree => ({
      feature: Int32Array.of(-1), threshold: Float32Array.of(0), left: Int32Array.of(-1), right: Int32Array.of(-1), value: Float32Array.of(v),
    });
    const forest = CompleteForest.from([leaf(0.25), leaf(-1)])!;
    const out = new Float32Array(2);
    forest.predict(new Float32Array(2 * 3), 3, out);
    expect(Array.from(out)).toEqual([-0.75, -0.75]);
  });

  it('declines forests deeper than it lays out', () => {
    // A chain of splits one level deeper than the limit.
    const n = MAX_COMPLETE_DEPTH + 1;
    const chain: PointerTree = {
      feature: Int32Array.from({ length: 2 * n + 1 }, (_, i) => (i < n ? 0 : -1)),
      threshold: new Float32Array(2 * n + 1),
      left: Int32Array.from({ length: 2 * n + 1 }, (_, i) => (i < n ? i + 1 : -1)),
      right: Int32Array.from({ length: 2 * n + 1 }, (_, i) => (i < n ? n + 1 + i : -1)),
      value: new Float32Array(2 * n + 1),
    };
    expect(CompleteForest.from([chain])).toBeUndefined();
  });

  it("is what a fitted LambdaMART predicts with, and follows its trees when they are cut", () => {
    const train = synthetic(80, 20, 11);
    const ranker = new LambdaMart({ trees: 30, maxDepth: 4, minLeaf: 5 });
    ranker.fit(train);
    const trees = (ranker as unknown as { trees: PointerTree[] }).trees;
    const out = new Float64Array(train.labels.length);
    ranker.predict(train.features, out);
    expect(Array.from(out)).toEqual(Array.from(walk(trees, train.features, train.numFeatures)));
    ranker.truncate(10);
    ranker.predict(train.features, out);
    expect(Array.from(out)).toEqual(Array.from(walk(trees.slice(0, 10), train.features, train.numFeatures)));
  });
});
