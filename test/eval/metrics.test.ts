import { describe, expect, it } from 'vitest';
import { evaluateRanking, listMetrics, topK } from '../../src/eval/metrics.js';
import { FixedScores, matrix } from './helpers.js';

const log2 = Math.log2;

describe('listMetrics', () => {
  it('hits at ranks 1 and 3 of 3 held-out items', () => {
    // ranked: 0 (hit), 5, 1 (hit), 6, 7, ...; held out {0, 1, 2}
    const ranked = [0, 5, 1, 6, 7, 8, 9, 10, 11, 12];
    const relevant = new Set([0, 1, 2]);
    const m = listMetrics(ranked, ranked.length, (i) => relevant.has(i), 3, [10]);
    expect(m['recall@10']).toBeCloseTo(2 / 3, 12);
    expect(m['precision@10']).toBeCloseTo(0.2, 12);
    expect(m['hit@10']).toBe(1);
    expect(m['mrr@10']).toBe(1);
    const idcg = 1 + 1 / log2(3) + 1 / log2(4);
    expect(m['ndcg@10']).toBeCloseTo((1 + 1 / log2(4)) / idcg, 12);
    expect(m['ndcg@10']).toBeCloseTo(0.703918, 6);
  });

  it('first hit at rank 2 gives MRR 1/2; ideal DCG over min(|T|, K)', () => {
    const ranked = [9, 1, 2];
    const relevant = new Set([1, 2, 3, 4, 5]);
    const m = listMetrics(ranked, 3, (i) => relevant.has(i), 5, [2, 3]);
    expect(m['mrr@2']).toBe(0.5);
    expect(m['recall@2']).toBeCloseTo(1 / 5, 12);
    expect(m['precision@2']).toBeCloseTo(1 / 2, 12);
    // K = 2 < |T| = 5: ideal = 1 + 1/log2(3)
    expect(m['ndcg@2']).toBeCloseTo(1 / log2(3) / (1 + 1 / log2(3)), 12);
    expect(m['ndcg@3']).toBeCloseTo((1 / log2(3) + 1 / log2(4)) / (1 + 1 / log2(3) + 1 / log2(4)), 12);
  });

  it('no hit: everything 0', () => {
    const m = listMetrics([4, 5], 2, () => false, 2, [10]);
    expect(Object.values(m)).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('topK', () => {
  it('selects the best k, breaks ties by lower index, treats NaN as lowest, skips masked items', () => {
    const scores = Float32Array.from([0.5, NaN, 0.9, 0.5, 0.1, 0.9, 0.7]);
    const skip = Uint8Array.from([0, 0, 0, 0, 0, 1, 0]);
    const items = new Int32Array(4);
    const values = new Float64Array(4);
    expect(topK(scores, 0, 7, 4, skip, items, values)).toBe(4);
    expect(Array.from(items)).toEqual([2, 6, 0, 3]);
    const all = new Int32Array(7);
    expect(topK(scores, 0, 7, 7, undefined, all, new Float64Array(7))).toBe(7);
    expect(Array.from(all)).toEqual([2, 5, 6, 0, 3, 4, 1]);
  });

  it('returns fewer than k when fewer items are eligible', () => {
    const items = new Int32Array(3);
    expect(topK(Float32Array.from([1, 2]), 0, 2, 3, Uint8Array.from([1, 0]), items, new Float64Array(3))).toBe(1);
    expect(items[0]).toBe(1);
  });
});

describe('evaluateRanking', () => {
  // 12 items; user 0 holds out {0, 1, 2}; the model ranks 0, 5, 1, 6, 7, ... (as in the hand example).
  const items = 12;
  const order = [0, 5, 1, 6, 7, 8, 9, 10, 11, 3, 2, 4];
  const row = new Array<number>(items);
  order.forEach((item, rank) => (row[item] = items - rank));

  it('matches the hand-computed example and averages over users with held-out items only', () => {
    const target = matrix(items, [[0, 1, 2], []]);
    const empty = matrix(items, [[], []]);
    const r = evaluateRanking(new FixedScores([row, row]), { target, exclude: [empty], train: empty }, { ks: [10], beyondK: 0 });
    expect(r.users).toBe(1);
    expect(r.metrics['recall@10']).toBeCloseTo(2 / 3, 12);
    expect(r.metrics['ndcg@10']).toBeCloseTo(0.703918, 6);
    expect(r.metrics['mrr@10']).toBe(1);
    expect(r.metrics['precision@10']).toBeCloseTo(0.2, 6);
  });

  it('masking: a model that scores training items highest still gets full credit', () => {
    // Scores: training items {6, 7, 8} highest, then validation {9, 10}, then test {1, 2}, then the rest.
    const scores = [0, 5, 5, 0, 0, 0, 10, 10, 10, 8, 8, 0];
    const train = matrix(items, [[6, 7, 8]]);
    const validation = matrix(items, [[9, 10]]);
    const test = matrix(items, [[1, 2]]);
    const model = new FixedScores([scores]);
    const masked = evaluateRanking(model, { target: test, exclude: [train, validation], train }, { ks: [2, 10], beyondK: 0 });
    expect(masked.metrics['recall@2']).toBe(1);
    expect(masked.metrics['ndcg@2']).toBeCloseTo(1, 12);
    expect(masked.metrics['mrr@2']).toBe(1);
    expect(masked.metrics['precision@2']).toBe(1);
    // Masking only the training items pushes the test items down behind the validation items.
    const trainOnly = evaluateRanking(model, { target: test, exclude: [train], train }, { ks: [2, 10], beyondK: 0 });
    expect(trainOnly.metrics['recall@2']).toBe(0);
    expect(trainOnly.metrics['mrr@10']).toBeCloseTo(1 / 3, 12);
    // Without any mask, the training items fill the top 3.
    const none = evaluateRanking(model, { target: test, exclude: [], train }, { ks: [2], beyondK: 0 });
    expect(none.metrics['hit@2']).toBe(0);
  });

  it('coverage and novelty of the top K', () => {
    // 4 items, 3 users. Training: item 0 by all 3 users, item 1 by 1 user, items 2, 3 by none.
    const train = matrix(4, [[0], [0, 1], [0]]);
    const target = matrix(4, [[2], [3], [3]]);
    const scores = [
      [0, 1, 2, 3], // top 1 after masking 0: item 3
      [0, 0, 3, 2], // masks 0, 1: item 2
      [0, 1, 0, 3], // item 3
    ];
    const r = evaluateRanking(new FixedScores(scores), { target, exclude: [train], train }, { ks: [1], beyondK: 1 });
    expect(r.metrics['coverage@1']).toBeCloseTo(2 / 4, 12);
    // Self-information with (users + 1) / (trainUsers + 1): items 2 and 3 → −log2(1/4) = 2.
    expect(r.metrics['novelty@1']).toBeCloseTo(2, 12);
    expect(r.metrics['hit@1']).toBeCloseTo(1 / 3, 12);
  });

  it('gives the same result for any block size', () => {
    const users = 37;
    const rows: number[][] = [];
    const targets: number[][] = [];
    const trains: number[][] = [];
    for (let u = 0; u < users; u++) {
      rows.push(Array.from({ length: items }, (_, i) => Math.sin(u * 13 + i * 7)));
      targets.push([(u * 5) % items, (u * 7 + 1) % items].filter((v, k, a) => a.indexOf(v) === k));
      trains.push([(u * 3 + 2) % items].filter((v) => !targets[u].includes(v)));
    }
    const task = { target: matrix(items, targets), exclude: [matrix(items, trains)], train: matrix(items, trains) };
    const a = evaluateRanking(new FixedScores(rows), task, { blockSize: 1 });
    const b = evaluateRanking(new FixedScores(rows), task, { blockSize: 256 });
    const c = evaluateRanking(new FixedScores(rows), task, { blockSize: 10 });
    expect(a).toEqual(b);
    expect(c).toEqual(b);
  });
});
