/**
 * A forest laid out for prediction: every tree padded to one complete binary tree of the
 * forest's depth, all trees in three flat arrays. A row then walks exactly `depth` nodes per
 * tree by index arithmetic (children of n at 2n + 1 and 2n + 2), with no child arrays to read
 * and one loop shape for every tree.
 *
 * Padding keeps the scores exact: a leaf above the full depth becomes a chain of splits whose
 * both sides end in copies of its value, so whatever a padding split compares, the row lands
 * on the same value; real splits compare exactly as the pointer trees do, and the trees'
 * values are summed in the same order. Served requests score their candidates here.
 */

/** One grown tree as LambdaMART keeps it: per node a split feature (−1 for a leaf) and its children. */
export interface PointerTree {
  feature: Int32Array;
  threshold: Float32Array;
  left: Int32Array;
  right: Int32Array;
  value: Float32Array;
}

/** Deeper forests keep the pointer trees: the padded layout doubles with every level. */
export const MAX_COMPLETE_DEPTH = 12;

export class CompleteForest {
  private constructor(
    readonly depth: number,
    readonly trees: number,
    /** Per tree, 2^depth − 1 split features (padding splits read feature 0). */
    private readonly feature: Int32Array,
    private readonly threshold: Float32Array,
    /** Per tree, 2^depth leaf values. */
    private readonly value: Float32Array,
  ) {}

  /** The forest in the complete layout, or undefined when a tree is deeper than MAX_COMPLETE_DEPTH. */
  static from(trees: readonly PointerTree[]): CompleteForest | undefined {
    let depth = 0;
    for (const tree of trees) depth = Math.max(depth, depthOf(tree, 0));
    if (depth > MAX_COMPLETE_DEPTH) return undefined;
    const inner = 2 ** depth - 1;
    const leaves = 2 ** depth;
    const feature = new Int32Array(trees.length * inner);
    const threshold = new Float32Array(trees.length * inner);
    const value = new Float32Array(trees.length * leaves);
    trees.forEach((tree, t) => {
      const place = (node: number, at: number, level: number): void => {
        if (tree.feature[node] < 0) return pad(tree.value[node], at, level);
        feature[t * inner + at] = tree.feature[node];
        threshold[t * inner + at] = tree.threshold[node];
        place(tree.left[node], 2 * at + 1, level + 1);
        place(tree.right[node], 2 * at + 2, level + 1);
      };
      const pad = (leafValue: number, at: number, level: number): void => {
        if (level === depth) {
          value[t * leaves + at - inner] = leafValue;
          return;
        }
        feature[t * inner + at] = 0;
        threshold[t * inner + at] = Number.POSITIVE_INFINITY;
        pad(leafValue, 2 * at + 1, level + 1);
        pad(leafValue, 2 * at + 2, level + 1);
      };
      place(0, 0, 0);
    });
    return new CompleteForest(depth, trees.length, feature, threshold, value);
  }

  /** Sum over the trees for each row of `features` (rows × numFeatures) into `out`. */
  predict(features: Float32Array, numFeatures: number, out: Float32Array | Float64Array): void {
    const { depth, trees, feature, threshold, value } = this;
    const inner = 2 ** depth - 1;
    const leaves = inner + 1;
    const rows = features.length / numFeatures;
    let i = 0;
    // Four rows at a time: their walks are independent chains of loads and compares, which
    // the processor overlaps; the comparison's 0/1 picks the child without a branch.
    for (; i + 4 <= rows; i += 4) {
      const r0 = i * numFeatures;
      const r1 = r0 + numFeatures;
      const r2 = r1 + numFeatures;
      const r3 = r2 + numFeatures;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let t = 0, splits = 0, values = -inner; t < trees; t++, splits += inner, values += leaves) {
        let n0 = 0;
        let n1 = 0;
        let n2 = 0;
        let n3 = 0;
        for (let level = 0; level < depth; level++) {
          n0 = 2 * n0 + 2 - +(features[r0 + feature[splits + n0]] <= threshold[splits + n0]);
          n1 = 2 * n1 + 2 - +(features[r1 + feature[splits + n1]] <= threshold[splits + n1]);
          n2 = 2 * n2 + 2 - +(features[r2 + feature[splits + n2]] <= threshold[splits + n2]);
          n3 = 2 * n3 + 2 - +(features[r3 + feature[splits + n3]] <= threshold[splits + n3]);
        }
        s0 += value[values + n0];
        s1 += value[values + n1];
        s2 += value[values + n2];
        s3 += value[values + n3];
      }
      out[i] = s0;
      out[i + 1] = s1;
      out[i + 2] = s2;
      out[i + 3] = s3;
    }
    for (; i < rows; i++) {
      const row = i * numFeatures;
      let sum = 0;
      for (let t = 0, splits = 0, values = -inner; t < trees; t++, splits += inner, values += leaves) {
        let node = 0;
        for (let level = 0; level < depth; level++) node = 2 * node + 2 - +(features[row + feature[splits + node]] <= threshold[splits + node]);
        sum += value[values + node];
      }
      out[i] = sum;
    }
  }
}

function depthOf(tree: PointerTree, node: number): number {
  if (tree.feature[node] < 0) return 0;
  return 1 + Math.max(depthOf(tree, tree.left[node]), depthOf(tree, tree.right[node]));
}
