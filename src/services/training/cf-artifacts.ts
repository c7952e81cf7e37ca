/**
 * A CF model version on disk: the factor model (persist.ts), the id maps that turn the
 * store's ids into its row numbers, and two ANN indexes over the item factors. Everything a
 * version needs is in its own folder, so activating or rolling back is only a pointer change.
 *
 *   <artifactPath>/model/        user_factors.bin, item_factors.bin, meta.json
 *   <artifactPath>/ids.json      { users: [...], items: [...] }
 *   <artifactPath>/user.ann      inner-product index (user vector → items)
 *   <artifactPath>/similar.ann   cosine index (item → similar items)
 *   <artifactPath>/ranker.json   the learned ranker trained next to the model (optional)
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ModelVersion, TargetKind } from '../../domain/types.js';
import { type AnnIndex, createAnnIndex, loadAnnIndex } from '../../models/ann/index.js';
import { type FactorModel, loadFactorModel, saveFactorModel } from '../../models/cf/index.js';
import { IdIndex } from '../../models/cf/matrix.js';
import { LambdaMartRanker, type LearnedRanker, loadRanker, RANKER_FILE } from '../../pipeline/index.js';
import type { CfBundle } from '../cf-serving.js';

/** Below this many items an exact index is as fast as a graph and always right. */
const EXACT_INDEX_MAX_ITEMS = 2000;

export type AnnChoice = 'auto' | 'usearch' | 'exact';

export function buildItemIndexes(model: FactorModel, items: number, choice: AnnChoice): { userIndex: AnnIndex; similarIndex: AnnIndex } {
  const kind = choice === 'auto' ? (items <= EXACT_INDEX_MAX_ITEMS ? 'exact' : 'usearch') : choice;
  const k = model.factors;
  const keys = Uint32Array.from({ length: items }, (_, i) => i);
  const userIndex = createAnnIndex(kind, { dimensions: k, metric: 'ip' });
  userIndex.add(keys, model.itemFactors);
  const similarIndex = createAnnIndex(kind, { dimensions: k, metric: 'cos' });
  // A zero vector has no cosine; an item with all-zero factors (never trained) stays out.
  const nonZero = [...keys].filter((i) => model.itemFactors.subarray(i * k, (i + 1) * k).some((v) => v !== 0));
  const rows = new Float32Array(nonZero.length * k);
  nonZero.forEach((item, n) => rows.set(model.itemFactors.subarray(item * k, (item + 1) * k), n * k));
  similarIndex.add(Uint32Array.from(nonZero), rows);
  return { userIndex, similarIndex };
}

export async function saveCfArtifacts(
  dir: string,
  parts: { model: FactorModel; users: IdIndex; items: IdIndex; userIndex: AnnIndex; similarIndex: AnnIndex },
): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await saveFactorModel(parts.model, path.join(dir, 'model'));
  await fs.writeFile(path.join(dir, 'ids.json'), JSON.stringify({ users: parts.users.ids, items: parts.items.ids }));
  await parts.userIndex.save(path.join(dir, 'user.ann'));
  await parts.similarIndex.save(path.join(dir, 'similar.ann'));
}

export async function loadCfBundle(version: ModelVersion): Promise<CfBundle> {
  if (!version.artifactPath) throw new Error(`model version ${version.id} has no artifacts`);
  const dir = version.artifactPath;
  const kind = (version.params.kind as TargetKind | undefined) ?? (version.model.endsWith('ARTIST') ? 'ARTIST' : 'TRACK');
  const ids = JSON.parse(await fs.readFile(path.join(dir, 'ids.json'), 'utf8')) as { users: string[]; items: string[] };
  const [model, userIndex, similarIndex, ranker] = await Promise.all([
    loadFactorModel(path.join(dir, 'model')),
    loadAnnIndex(path.join(dir, 'user.ann')),
    loadAnnIndex(path.join(dir, 'similar.ann')),
    loadVersionRanker(version, dir),
  ]);
  return { version, kind, users: IdIndex.from(ids.users), items: IdIndex.from(ids.items), model, userIndex, similarIndex, ...(ranker ? { ranker } : {}) };
}

/**
 * The version's learned ranker, if it has a usable one. A ranker for other features than the
 * pipeline computes is left out (the weighted blend ranks instead) rather than failing the
 * version: the CF model itself is still good.
 */
async function loadVersionRanker(version: ModelVersion, dir: string): Promise<LearnedRanker | undefined> {
  try {
    const model = await loadRanker(path.join(dir, RANKER_FILE));
    return model ? new LambdaMartRanker(model, version.id) : undefined;
  } catch (error) {
    console.warn(`model version ${version.id}: ranker not used (${error instanceof Error ? error.message : String(error)})`);
    return undefined;
  }
}
