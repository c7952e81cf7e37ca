/**
 * Context popularity: the online popularity model's chart for the request's context (time of
 * week, activity, device, weather, country), everything the listener heard excluded. The
 * explanation names the context segment that lifts the item most.
 */
import { describeSegment } from '../../domain/context-segments.js';
import type { PopularityCandidate } from '../../models/popularity/context-popularity.js';
import type { CatalogueIndex } from '../catalogue-index.js';
import { type CandidateSource, EMPTY_OUTPUT, kindNoun, type SourceInput, type SourceOutput } from './source.js';

const chartNumberCache = new WeakMap<CatalogueIndex, WeakMap<readonly PopularityCandidate[], Int32Array>>();

/** A shared chart's snapshot item numbers (−1: not in the snapshot), made once per chart and snapshot. */
function chartNumbers(catalogue: CatalogueIndex, chart: readonly PopularityCandidate[]): Int32Array {
  let byChart = chartNumberCache.get(catalogue);
  if (!byChart) chartNumberCache.set(catalogue, (byChart = new WeakMap()));
  let numbers = byChart.get(chart);
  if (!numbers) {
    numbers = new Int32Array(chart.length);
    for (let i = 0; i < chart.length; i++) numbers[i] = catalogue.indexOf(chart[i].id);
    byChart.set(chart, numbers);
  }
  return numbers;
}

export class PopularSource implements CandidateSource {
  readonly name = 'popular-in-context' as const;

  async generate(input: SourceInput): Promise<SourceOutput> {
    if (input.cap === 0) return EMPTY_OUTPUT;
    const { kind, context } = input.request;
    const { catalogue, popularity } = input.models;
    const items = new Int32Array(input.cap);
    const scores = new Float32Array(input.cap);
    const segments: (string | undefined)[] = [];
    let n = 0;
    // The fast path: the context's shared chart walked by snapshot item numbers (a number set
    // lookup per item, not a string one), with what `rank` would return.
    const shared = popularity.sharedChart?.(kind, context);
    let walked = false;
    if (shared) {
      const { chart } = shared;
      const numbers = chartNumbers(catalogue, chart);
      const { excludedItems, excludedIdSet } = input.profile;
      let taken = 0;
      for (let i = 0; i < chart.length && taken < input.cap; i++) {
        const item = numbers[i];
        // Items outside the snapshot count as `rank` counts them, then are left out below.
        if (item >= 0 ? excludedItems.has(item) : excludedIdSet.has(chart[i].id)) continue;
        taken++;
        if (item < 0) continue;
        items[n] = item;
        scores[n++] = chart[i].score;
        segments.push(chart[i].strongestSegment);
      }
      walked = taken >= input.cap || !shared.cut;
      if (!walked) {
        n = 0;
        segments.length = 0;
      }
    }
    if (!walked) {
      // The rare path (a listener past a cut chart, or a model without a shared chart, whose
      // candidates are new objects each call): one id lookup per candidate.
      const ranked = await popularity.rank(kind, context, input.cap, input.profile.excludedIdSet);
      for (const candidate of ranked) {
        const item = catalogue.indexOf(candidate.id);
        if (item < 0) continue; // counted by popularity but not (yet) in the catalogue snapshot
        items[n] = item;
        scores[n++] = candidate.score;
        segments.push(candidate.strongestSegment);
      }
    }
    return {
      items: items.subarray(0, n),
      scores: scores.subarray(0, n),
      reason: (position) => {
        const segment = segments[position];
        return segment
          ? `Popular with listeners ${describeSegment(segment)}, and new to you`
          : `One of the most played ${kindNoun(input)} right now, and new to you`;
      },
    };
  }
}
