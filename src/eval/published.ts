/**
 * Published results for the same protocol, as numbers, to print next to ours. Last.fm 2K:
 * RecBole-GNN, results/social/lastfm.md (random 80/10/10 per user, full ranking over all
 * artists, training + validation artists masked at test, metrics at 10). These are the rows
 * of the dataset README in /work/shared/data.
 */
export interface PublishedTable {
  source: string;
  /** Model → metric name ("recall@10", …) → value. */
  models: Record<string, Record<string, number>>;
}

export const PUBLISHED: Record<string, PublishedTable> = {
  'lastfm-2k': {
    source: 'RecBole-GNN results/social/lastfm.md (ratio 8:1:1 per user, full sort, @10)',
    models: {
      BPR: { 'recall@10': 0.1761, 'ndcg@10': 0.1674, 'precision@10': 0.0858, 'hit@10': 0.5573, 'mrr@10': 0.3026 },
      NGCF: { 'recall@10': 0.196, 'ndcg@10': 0.1898, 'precision@10': 0.0961, 'hit@10': 0.6141, 'mrr@10': 0.3479 },
      LightGCN: { 'recall@10': 0.2064, 'ndcg@10': 0.1972, 'precision@10': 0.1009, 'hit@10': 0.6322, 'mrr@10': 0.3559 },
      'MHCN (friend graph)': { 'recall@10': 0.2123, 'ndcg@10': 0.2068, 'precision@10': 0.1042, 'hit@10': 0.6523, 'mrr@10': 0.3782 },
      'SEPT (friend graph)': { 'recall@10': 0.2127, 'ndcg@10': 0.2057, 'precision@10': 0.1044, 'hit@10': 0.6465, 'mrr@10': 0.3703 },
    },
  },
};
