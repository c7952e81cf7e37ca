/**
 * Training as a service: train a CF version for a target kind and (by default) make it the
 * one that serves. The API (embedded mode, at start-up), `npm run train` and the BullMQ
 * training worker all call this, so a version is made the same way wherever it is trained.
 */
import { DomainError } from '../../domain/errors.js';
import type { ModelVersion, TargetKind } from '../../domain/types.js';
import type { Progress } from '../../lib/progress.js';
import type { AlsParams } from '../../models/cf/index.js';
import type { PipelineSettings } from '../../pipeline/index.js';
import type { Store } from '../../store/ports.js';
import { cfModelName } from '../cf-serving.js';
import type { ModelService } from '../model.service.js';
import type { AnnChoice } from './cf-artifacts.js';
import { trainCfVersion } from './cf-training.js';

export interface TrainingSettings {
  artifactsDir: string;
  ann: AnnChoice;
  params?: Partial<AlsParams>;
  /** The serving pipeline's settings: the learned ranker is trained for them (unset: no ranker). */
  pipeline?: PipelineSettings;
}

export class TrainingService {
  constructor(private readonly store: Store, private readonly models: ModelService, private readonly settings: TrainingSettings) {}

  async trainCf(kind: TargetKind, progress: Progress, options: { activate?: boolean; params?: Partial<AlsParams> } = {}): Promise<ModelVersion> {
    const version = await trainCfVersion(this.store, {
      kind, progress, artifactsDir: this.settings.artifactsDir, ann: this.settings.ann, params: { ...this.settings.params, ...options.params },
      ...(this.settings.pipeline ? { pipeline: this.settings.pipeline } : {}),
    });
    return options.activate === false ? version : this.models.publish(version);
  }

  /** Trains every kind that has data but no serving version; reports what it did. */
  async trainMissing(progress: Progress, log: (line: string) => void): Promise<ModelVersion[]> {
    const trained: ModelVersion[] = [];
    for (const kind of ['TRACK', 'ARTIST'] as const) {
      if (await this.store.modelVersions.active(cfModelName(kind))) continue;
      try {
        const version = await this.trainCf(kind, progress);
        log(`Trained ${version.id}: ndcg@10 ${version.metrics['ndcg@10']?.toFixed(4)} on a held-out slice (popularity: ${version.metrics['popularity.ndcg@10']?.toFixed(4)})`);
        trained.push(version);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        log(`No ${cfModelName(kind)} model: ${error.message}`);
      }
    }
    return trained;
  }
}
