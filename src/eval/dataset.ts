import type { SideData } from '../models/hybrid/side-data.js';
import type { EvalSplit } from './split.js';

/** A dataset under a protocol: how to split it per seed, and any side data models may bind to. */
export interface EvalDataset {
  readonly name: string;
  /** How the data is split and ranked, for the report. */
  readonly protocol: Record<string, unknown>;
  /** The split for one seed (a deterministic split may ignore the seed). */
  split(seed: number): EvalSplit | Promise<EvalSplit>;
  /** Data besides the interactions (friend graph, tags), indexed like the split; for models bound to the dataset. */
  readonly side?: SideData;
}
