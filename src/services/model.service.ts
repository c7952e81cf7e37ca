/**
 * Model versions: which trained versions exist, which one serves, and switching between
 * them. Activation is one store write; the serving side watches it and swaps atomically.
 */
import { InvalidInputError, NotFoundError } from '../domain/errors.js';
import type { ModelVersion } from '../domain/types.js';
import type { Store } from '../store/ports.js';
import { assertAdmin, type Viewer } from './access.js';

/** Called after a version is activated, so serving can load it at once. */
export type ActivationListener = (version: ModelVersion) => Promise<void>;

export class ModelService {
  private readonly listeners: ActivationListener[] = [];

  constructor(private readonly store: Store) {}

  onActivated(listener: ActivationListener): void {
    this.listeners.push(listener);
  }

  versions(model: string): Promise<ModelVersion[]> {
    return this.store.modelVersions.list(model);
  }

  async activate(viewer: Viewer, id: string): Promise<ModelVersion> {
    assertAdmin(viewer, 'activateModelVersion');
    const version = await this.store.modelVersions.get(id);
    if (!version) throw new NotFoundError('ModelVersion', id);
    return this.switchTo(version);
  }

  /** Activates the version trained just before the active one. */
  async rollback(viewer: Viewer, model: string): Promise<ModelVersion> {
    assertAdmin(viewer, 'rollbackModel');
    const versions = await this.store.modelVersions.list(model);
    if (versions.length === 0) throw new NotFoundError('Model', model);
    const at = versions.findIndex((v) => v.active);
    const previous = versions[at + 1];
    if (at < 0 || !previous) {
      throw new InvalidInputError(`model "${model}" has no version older than ${at < 0 ? 'the (no) active one' : `the active "${versions[at].id}"`} to roll back to`);
    }
    return this.switchTo(previous);
  }

  /** Activates a freshly trained version (the training job's last step). */
  async publish(version: ModelVersion): Promise<ModelVersion> {
    return this.switchTo(version);
  }

  private async switchTo(version: ModelVersion): Promise<ModelVersion> {
    await this.store.modelVersions.activate(version.id);
    const active = { ...version, active: true };
    for (const listener of this.listeners) await listener(active);
    return active;
  }
}
