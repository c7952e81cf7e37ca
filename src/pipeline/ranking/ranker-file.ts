/**
 * A trained LambdaMART on disk (`ranker.json` in a model version's folder): its parameters,
 * the feature names it was trained on, and its trees. Loading refuses a file whose feature
 * names differ from the pipeline's, so a changed feature set falls back to the weighted blend
 * instead of feeding a model the wrong columns.
 *
 * LambdaMart (src/models/ranker/) does not expose its trees yet; until it has its own
 * serialisation, this module reads and writes them through `treesOf`/`withTrees`, which check
 * the shape they rely on and fail loudly if it changes (test/pipeline/ranker-file.test.ts).
 */
import fs from 'node:fs/promises';
import { LambdaMart, type LambdaMartParams } from '../../models/ranker/lambdamart.js';
import { FEATURE_NAMES } from '../features.js';

export const RANKER_FILE = 'ranker.json';
const FORMAT = 'mixtape-lambdamart';
const FORMAT_VERSION = 1;

interface TreeJson {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

interface RankerJson {
  format: string;
  version: number;
  featureNames: string[];
  params: LambdaMartParams;
  trees: TreeJson[];
}

interface TreeArrays {
  feature: Int32Array;
  threshold: Float32Array;
  left: Int32Array;
  right: Int32Array;
  value: Float32Array;
}

function treesOf(model: LambdaMart): TreeArrays[] {
  const trees = (model as unknown as { trees?: unknown }).trees;
  const ok = Array.isArray(trees) && trees.every((t: Partial<TreeArrays>) => t && t.feature instanceof Int32Array && t.threshold instanceof Float32Array && t.left instanceof Int32Array && t.right instanceof Int32Array && t.value instanceof Float32Array);
  if (!ok) throw new Error('LambdaMart no longer keeps its trees as typed arrays in `trees`: update src/pipeline/ranking/ranker-file.ts');
  return trees as TreeArrays[];
}

function withTrees(params: LambdaMartParams, numFeatures: number, trees: TreeArrays[]): LambdaMart {
  const model = new LambdaMart(params);
  treesOf(model); // the shape check, on an empty model
  (model as unknown as { trees: TreeArrays[] }).trees = trees;
  model.numFeatures = numFeatures;
  return model;
}

export async function saveRanker(model: LambdaMart, file: string): Promise<void> {
  const json: RankerJson = {
    format: FORMAT,
    version: FORMAT_VERSION,
    featureNames: [...FEATURE_NAMES],
    params: model.params,
    trees: treesOf(model).map((t) => ({
      feature: Array.from(t.feature), threshold: Array.from(t.threshold), left: Array.from(t.left), right: Array.from(t.right), value: Array.from(t.value),
    })),
  };
  const temporary = `${file}.tmp`;
  await fs.writeFile(temporary, JSON.stringify(json));
  await fs.rename(temporary, file);
}

/** The ranker in `file`; undefined when there is none. Throws when it is unreadable or for other features. */
export async function loadRanker(file: string): Promise<LambdaMart | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const json = JSON.parse(text) as RankerJson;
  if (json.format !== FORMAT || json.version !== FORMAT_VERSION) throw new Error(`${file} is not a ${FORMAT} v${FORMAT_VERSION} file`);
  if (json.featureNames.join(',') !== FEATURE_NAMES.join(',')) {
    throw new Error(`${file} was trained on other features than the pipeline computes (retrain the model version)`);
  }
  return withTrees(json.params, json.featureNames.length, json.trees.map((t) => ({
    feature: Int32Array.from(t.feature), threshold: Float32Array.from(t.threshold), left: Int32Array.from(t.left), right: Int32Array.from(t.right), value: Float32Array.from(t.value),
  })));
}
