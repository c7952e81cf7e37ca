/** Small builders for pipeline unit tests: catalogue snapshots, source outputs and CF views. */
import type { Track } from '../../src/domain/types.js';
import { CatalogueIndex, type CfModelView, type SourceOutput } from '../../src/pipeline/index.js';

export interface TrackSpec {
  id: string;
  artist?: string;
  album?: string;
  genres?: string[];
  tags?: string[];
  releaseDate?: string;
}

export function catalogueOf(specs: readonly TrackSpec[]): CatalogueIndex {
  return CatalogueIndex.ofTracks(specs.map((s): Track => ({
    id: s.id, title: `Title ${s.id}`, artistIds: [s.artist ?? `artist-${s.id}`], ...(s.album ? { album: s.album } : {}),
    ...(s.releaseDate ? { releaseDate: s.releaseDate } : {}), genres: s.genres ?? [], tags: s.tags ?? [], searchText: s.id, source: 'test',
  })));
}

/** A source output listing items (snapshot numbers) with the given scores, best first. */
export function output(items: number[], scores: number[] = items.map((_, i) => 1 - i * 0.01), reason = 'because'): SourceOutput {
  return { items: Int32Array.from(items), scores: Float32Array.from(scores), reason: (position) => `${reason} #${position}` };
}

/** A CF view over explicit item vectors, one per catalogue item (same ids). */
export function cfViewOf(catalogue: CatalogueIndex, vectors: readonly number[][]): CfModelView {
  const factors = vectors[0].length;
  const itemFactors = Float32Array.from(vectors.flat());
  const itemNorms = Float32Array.from(vectors, (v) => Math.hypot(...v));
  const ids = [...catalogue.ids];
  const byId = new Map(ids.map((id, i) => [id, i]));
  return {
    versionId: 'test', kind: 'TRACK', items: { get: (id) => byId.get(id), ids, size: ids.length }, factors, itemFactors, itemNorms,
    userVector: () => undefined,
  };
}

/** A deterministic pseudo-random walk in [0, 1). */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}
