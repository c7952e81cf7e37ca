import type { InteractionMatrix } from '../cf/matrix.js';
import type { Recommender, TrainProgress } from '../cf/recommender.js';

/** Mean score of several fits of one model (e.g. ALS from different seeds): less seed noise. */
export class AveragedRecommender implements Recommender {
  private items = 0;
  constructor(
    readonly name: string,
    readonly models: readonly Recommender[],
  ) {}
  async fit(train: InteractionMatrix, onProgress?: TrainProgress): Promise<void> {
    this.items = train.items;
    for (let m = 0; m < this.models.length; m++) {
      await this.models[m].fit(train);
      onProgress?.(m + 1, this.models.length);
    }
  }
  scoreUsers(users: Int32Array, out: Float32Array): void {
    const size = users.length * this.items;
    const tmp = new Float32Array(size);
    out.fill(0, 0, size);
    for (const m of this.models) {
      m.scoreUsers(users, tmp);
      for (let k = 0; k < size; k++) out[k] += tmp[k];
    }
    const inv = 1 / this.models.length;
    for (let k = 0; k < size; k++) out[k] *= inv;
  }
}
