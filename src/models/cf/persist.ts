/**
 * Saving and loading trained factor models (ALS, BPR) as a directory:
 *
 *   meta.json          { format, version, model, factors, users, items, params, files, dtype, byteOrder }
 *   user_factors.bin   users × factors Float32, row-major, little-endian, no header
 *   item_factors.bin   items × factors Float32, row-major, little-endian, no header
 *
 * `factors` is the row width of both files (for BPR: the latent dimension + 1, the item bias
 * being the last column). meta.json is written last, so a directory with a meta.json is
 * complete. A loaded model scores exactly as the saved one did.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type AlsParams, ImplicitALS } from './als.js';
import { type BprParams, BprRecommender } from './bpr.js';

export const FACTOR_MODEL_FORMAT = 'mixtape-factor-model';
export const FACTOR_MODEL_VERSION = 1;

export type FactorModel = ImplicitALS | BprRecommender;

export interface FactorModelMeta {
  format: typeof FACTOR_MODEL_FORMAT;
  version: number;
  model: 'als' | 'bpr';
  factors: number;
  users: number;
  items: number;
  params: Partial<AlsParams> | Partial<BprParams>;
  files: { userFactors: string; itemFactors: string };
  dtype: 'float32';
  byteOrder: 'little';
}

const USER_FILE = 'user_factors.bin';
const ITEM_FILE = 'item_factors.bin';

export async function saveFactorModel(model: FactorModel, dir: string): Promise<void> {
  const width = model.factors;
  if (model.itemFactors.length === 0) throw new Error(`cannot save an untrained ${model.name} model`);
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, USER_FILE), littleEndianBytes(model.userFactors));
  await fs.writeFile(path.join(dir, ITEM_FILE), littleEndianBytes(model.itemFactors));
  const meta: FactorModelMeta = {
    format: FACTOR_MODEL_FORMAT,
    version: FACTOR_MODEL_VERSION,
    model: model instanceof ImplicitALS ? 'als' : 'bpr',
    factors: width,
    users: model.userFactors.length / width,
    items: model.itemFactors.length / width,
    params: { ...model.params },
    files: { userFactors: USER_FILE, itemFactors: ITEM_FILE },
    dtype: 'float32',
    byteOrder: 'little',
  };
  await fs.writeFile(path.join(dir, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
}

export async function loadFactorModel(dir: string): Promise<FactorModel> {
  const meta = JSON.parse(await fs.readFile(path.join(dir, 'meta.json'), 'utf8')) as FactorModelMeta;
  if (meta.format !== FACTOR_MODEL_FORMAT) throw new Error(`${dir}: not a ${FACTOR_MODEL_FORMAT} directory`);
  if (meta.version !== FACTOR_MODEL_VERSION) throw new Error(`${dir}: unsupported version ${meta.version}`);
  if (meta.dtype !== 'float32' || meta.byteOrder !== 'little') throw new Error(`${dir}: unsupported dtype ${meta.dtype}/${meta.byteOrder}`);
  const userFactors = await readFloat32(path.join(dir, meta.files.userFactors), meta.users * meta.factors);
  const itemFactors = await readFloat32(path.join(dir, meta.files.itemFactors), meta.items * meta.factors);
  switch (meta.model) {
    case 'als':
      return ImplicitALS.fromFactors(meta.params as Partial<AlsParams>, userFactors, itemFactors);
    case 'bpr':
      return BprRecommender.fromFactors(meta.params as Partial<BprParams>, userFactors, itemFactors);
    default:
      throw new Error(`${dir}: unknown model ${String(meta.model)}`);
  }
}

function littleEndianBytes(array: Float32Array): Uint8Array {
  if (os.endianness() === 'LE') return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  const bytes = new Uint8Array(array.byteLength);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < array.length; i++) view.setFloat32(4 * i, array[i], true);
  return bytes;
}

/** Reads exactly `count` little-endian Float32 values from a headerless file. */
async function readFloat32(file: string, count: number): Promise<Float32Array> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size !== count * 4) throw new Error(`${file}: ${size} bytes, expected ${count * 4}`);
    const out = new Float32Array(count);
    const bytes = new Uint8Array(out.buffer);
    const chunk = 1 << 26;
    for (let at = 0; at < bytes.length; ) {
      const { bytesRead } = await handle.read(bytes, at, Math.min(chunk, bytes.length - at), at);
      if (bytesRead === 0) throw new Error(`${file}: unexpected end of file`);
      at += bytesRead;
    }
    if (os.endianness() !== 'LE') {
      const view = new DataView(out.buffer);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
    }
    return out;
  } finally {
    await handle.close();
  }
}
