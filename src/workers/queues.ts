/**
 * Queue names and job payloads shared by the API (producer) and `npm run worker` (consumer).
 * Changing a payload is a protocol change: old workers may still be draining old jobs.
 */
import type { Interaction } from '../domain/types.js';

export const QUEUES = {
  /** Stored interactions on their way to the online learners. */
  signals: 'signals',
} as const;

export interface SignalJob {
  /** The events, already stored; a worker applies them to online state. */
  events: Interaction[];
}

/** Connection options for BullMQ from a redis:// URL. Workers need maxRetriesPerRequest: null. */
export function redisConnection(url: string) {
  return { url, maxRetriesPerRequest: null };
}
