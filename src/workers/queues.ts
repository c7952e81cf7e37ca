/**
 * Queue names and job payloads shared by the API (producer) and `npm run worker` (consumer).
 * Changing a payload is a protocol change: old workers may still be draining old jobs.
 */
import type { Interaction, TargetKind } from '../domain/types.js';

export const QUEUES = {
  /** Stored interactions on their way to the online learners. */
  signals: 'signals',
  /** Model training runs (minutes): one job per model and target kind. */
  training: 'training',
} as const;

export interface TrainingJob {
  model: 'cf';
  kind: TargetKind;
  /** Hyperparameter overrides (factors, iterations, alpha, lambda, …). */
  params?: Record<string, number | string | boolean>;
  /** Make the new version serve when training succeeds (default true). */
  activate?: boolean;
}

export interface TrainingResult {
  versionId: string;
  metrics: Record<string, number>;
  active: boolean;
}

export interface SignalJob {
  /** The events, already stored; a worker applies them to online state. */
  events: Interaction[];
}

/** Connection options for BullMQ from a redis:// URL. Workers need maxRetriesPerRequest: null. */
export function redisConnection(url: string) {
  return { url, maxRetriesPerRequest: null };
}
