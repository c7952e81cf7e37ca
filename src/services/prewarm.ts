/**
 * Pre-warming: before an API process reports ready, it asks for the recommendations of the
 * listeners most likely to come back (the most recently active), through the same public
 * service a request uses. That leaves their profiles, folded-in vectors and reusable source
 * outputs in the process's caches (src/pipeline/source-cache.ts), so their first real
 * request costs what a repeat request costs. A listener whose request fails is logged and
 * skipped: pre-warming is an optimisation and must never keep the process from serving.
 */
import type { TargetKind } from '../domain/types.js';
import type { Progress } from '../lib/progress.js';
import type { Store } from '../store/ports.js';
import { ADMIN } from './access.js';
import type { Services } from './index.js';
import { createLoaders } from './loaders.js';

/** The list length a client asks for most (the home screen's `recommendations(limit: 30)`). */
export const PREWARM_LIMIT = 30;
/** Failures logged one by one; beyond this only the total is logged. */
const LOGGED_FAILURES = 5;

export interface PrewarmReport {
  listeners: number;
  kinds: TargetKind[];
  requests: number;
  failed: number;
  ms: number;
}

/**
 * Computes `recommendations(limit: 30)` once per listener (`listeners`: most recently active
 * first) for tracks, and for artists when an artist CF model serves (without one the artist
 * list has no reusable model-backed source worth the start-up time).
 */
export async function prewarmRecommendations(
  services: Pick<Services, 'recommendations' | 'cf'>,
  store: Store,
  listeners: readonly string[],
  progress: Progress,
  log: (line: string) => void,
): Promise<PrewarmReport> {
  const started = performance.now();
  const kinds: TargetKind[] = services.cf.bundle('ARTIST') ? ['TRACK', 'ARTIST'] : ['TRACK'];
  const report: PrewarmReport = { listeners: listeners.length, kinds, requests: 0, failed: 0, ms: 0 };
  progress.start('Pre-warming recommendations', listeners.length * kinds.length);
  // Least recent first: where the caches (LRU) hold fewer listeners than this, the most
  // recently active are the ones left in them.
  for (const userId of [...listeners].reverse()) {
    for (const target of kinds) {
      try {
        // Fresh loaders per request, as a request gets: they cache for one request only.
        await services.recommendations.recommend(ADMIN, { userId, target, limit: PREWARM_LIMIT }, createLoaders(store, services.cf));
      } catch (error) {
        if (++report.failed <= LOGGED_FAILURES) log(`pre-warming ${target} recommendations of ${userId} failed: ${String(error)}`);
      }
      progress.update(++report.requests);
    }
  }
  progress.stop();
  if (report.failed > LOGGED_FAILURES) log(`pre-warming: ${report.failed - LOGGED_FAILURES} more requests failed`);
  report.ms = performance.now() - started;
  return report;
}
