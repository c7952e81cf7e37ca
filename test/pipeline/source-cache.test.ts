import { describe, expect, it } from 'vitest';
import type { Interaction } from '../../src/domain/types.js';
import { ContextPopularity } from '../../src/models/popularity/context-popularity.js';
import {
  type CandidateSource, type CfModelView, ItemStats, type PipelineModels, type PipelineRequest, pipelineSettings,
  RecommendationPipeline, SocialSource, SOURCE_NAMES, type SourceName, type SourceOutput,
} from '../../src/pipeline/index.js';
import { KEYS_PER_SOURCE } from '../../src/pipeline/source-cache.js';
import { CatalogueIndex } from '../../src/pipeline/catalogue-index.js';
import { cfViewOf, output } from './helpers.js';
import { NOW, worldEvents, worldTracks } from './world.js';

const DAY = 86_400_000;

/** A source that counts its runs; reusable (keyed by `key`) unless `key` is undefined. */
class Counting implements CandidateSource {
  runs = 0;
  reuseKey?: (request: PipelineRequest) => number;

  constructor(readonly name: SourceName, key?: (request: PipelineRequest) => number, private readonly answer: () => Promise<SourceOutput> = async () => output([0, 1, 2])) {
    if (key) this.reuseKey = key;
  }

  generate(): Promise<SourceOutput> {
    this.runs++;
    return this.answer();
  }
}

function setup(capacity = 100) {
  const cf = new Counting('cf', () => 0);
  const popular = new Counting('popular-in-context');
  const fresh = new Counting('fresh-releases', (request) => Math.floor(request.context.timestamp / DAY));
  const pipeline = new RecommendationPipeline(pipelineSettings(), [cf, popular, fresh], undefined, capacity);
  return { pipeline, cf, popular, fresh };
}

const catalogue = CatalogueIndex.ofTracks(worldTracks());
const trackArtists = (id: string) => catalogue.artistIdsOf(id);
const events = worldEvents();
const historyOf = (userId: string): readonly Interaction[] => events.filter((e) => e.userId === userId);

function modelsOf(snapshot = catalogue, cf?: CfModelView): PipelineModels {
  return {
    catalogue: snapshot, trackArtists, popularity: new ContextPopularity(async (ids) => ids.map(trackArtists)),
    itemStats: new ItemStats(async (ids) => ids.map(trackArtists)), ...(cf ? { cf } : {}),
  };
}

function request(userId: string, history: readonly Interaction[], timestamp = NOW): PipelineRequest {
  return { kind: 'TRACK', userId, context: { timestamp, timezone: 'UTC' }, history, depth: 10, ann: async () => [], friends: async () => [] };
}

describe('reusing context-independent source outputs', () => {
  it('reruns only the context-dependent sources while history, snapshot and model are the same', async () => {
    const { pipeline, cf, popular, fresh } = setup();
    const history = historyOf('alice');
    const models = modelsOf();
    const first = await pipeline.gather(request('alice', history), models);
    const second = await pipeline.gather(request('alice', history, NOW + 3_600_000), models);
    expect([cf.runs, popular.runs, fresh.runs]).toEqual([1, 2, 1]);
    expect(second.outputs[0]).toBe(first.outputs[0]);
    expect(second.reports.map((r) => [r.name, r.state, r.candidates])).toEqual(first.reports.map((r) => [r.name, r.state, r.candidates]));
    expect(second.reports.find((r) => r.name === 'cf')?.ms).toBe(0);
    expect(Array.from(second.pool.items)).toEqual(Array.from(first.pool.items));
    // Fresh releases end on the request's day: the next day reruns them, not CF.
    await pipeline.gather(request('alice', history, NOW + DAY), models);
    expect([cf.runs, popular.runs, fresh.runs]).toEqual([1, 3, 2]);
    // Another listener has their own entry.
    await pipeline.gather(request('bob', historyOf('bob')), models);
    expect(cf.runs).toBe(2);
  });

  it('misses on a new history array, a new catalogue snapshot or a new model', async () => {
    const { pipeline, cf } = setup();
    const history = historyOf('alice');
    const models = modelsOf();
    await pipeline.gather(request('alice', history), models);
    // The history cache hands out a new array when the listener's events change.
    await pipeline.gather(request('alice', [...history]), models);
    expect(cf.runs).toBe(2);
    const rebuilt = CatalogueIndex.ofTracks(worldTracks());
    await pipeline.gather(request('alice', history), modelsOf(rebuilt));
    expect(cf.runs).toBe(3);
    await pipeline.gather(request('alice', history), modelsOf(rebuilt));
    expect(cf.runs).toBe(3);
    const vectors = Array.from({ length: catalogue.size }, (_, i) => [1, i % 7]);
    const view = cfViewOf(rebuilt, vectors);
    await pipeline.gather(request('alice', history), modelsOf(rebuilt, view));
    expect(cf.runs).toBe(4);
    // A new view of the same model (one per request online) reuses.
    await pipeline.gather(request('alice', history), modelsOf(rebuilt, { ...view, userVector: () => undefined }));
    expect(cf.runs).toBe(4);
    // Another model of the same shape does not.
    await pipeline.gather(request('alice', history), modelsOf(rebuilt, cfViewOf(rebuilt, vectors)));
    expect(cf.runs).toBe(5);
  });

  it('keeps an answer that missed the budget for the next request, not a failure, for a bounded number of listeners', async () => {
    let fail = true;
    const flaky = new Counting('cf', () => 0, async () => {
      if (fail) throw new Error('down');
      return output([0]);
    });
    const slow = new Counting('tag-affinity', () => 0, () => new Promise((resolve) => setTimeout(() => resolve(output([1, 2])), 60)));
    const pipeline = new RecommendationPipeline(pipelineSettings({ budgetMs: 20 }), [flaky, slow], () => {}, 2);
    const models = modelsOf();
    const history = historyOf('alice');
    const states = async (userId = 'alice', h = history) => (await pipeline.gather(request(userId, h), models)).reports.map((r) => r.state);
    expect(await states()).toEqual(['FAILED', 'TIMEOUT']);
    await new Promise((resolve) => setTimeout(resolve, 80)); // the slow answer arrives after all
    fail = false;
    expect(await states()).toEqual(['OK', 'OK']);
    expect(await states()).toEqual(['OK', 'OK']);
    expect([flaky.runs, slow.runs]).toEqual([2, 1]);
    await states('bob', historyOf('bob'));
    await states('carol', historyOf('carol'));
    expect(pipeline.sourceCache.size).toBe(2);
    await states(); // alice was evicted (least recently used)
    expect(flaky.runs).toBe(5);
  });

  it('keeps one output per key, up to KEYS_PER_SOURCE keys per source', async () => {
    const { pipeline, fresh } = setup();
    const history = historyOf('alice');
    const models = modelsOf();
    // A listener's requests alternating between two days reuse both days' outputs.
    for (const day of [0, 1, 0, 1]) await pipeline.gather(request('alice', history, NOW + day * DAY), models);
    expect(fresh.runs).toBe(2);
    // Beyond KEYS_PER_SOURCE days the oldest day's output is dropped.
    for (let day = 2; day <= KEYS_PER_SOURCE; day++) await pipeline.gather(request('alice', history, NOW + day * DAY), models);
    expect(fresh.runs).toBe(KEYS_PER_SOURCE + 1);
    await pipeline.gather(request('alice', history, NOW + KEYS_PER_SOURCE * DAY), models);
    expect(fresh.runs).toBe(KEYS_PER_SOURCE + 1);
    await pipeline.gather(request('alice', history, NOW), models);
    expect(fresh.runs).toBe(KEYS_PER_SOURCE + 2);
  });

  it('words a reused output\'s reasons once', async () => {
    let worded = 0;
    const cf = new Counting('cf', () => 0, async () => ({ ...output([0, 1, 2]), reason: (position: number) => `reason ${position} (${++worded})` }));
    const pipeline = new RecommendationPipeline(pipelineSettings(), [cf], undefined, 10);
    const history = historyOf('alice');
    const first = await pipeline.gather(request('alice', history), modelsOf());
    const second = await pipeline.gather(request('alice', history), modelsOf());
    expect(first.outputs[0]!.reason(1)).toBe('reason 1 (1)');
    expect(second.outputs[0]!.reason(1)).toBe('reason 1 (1)');
    expect(worded).toBe(1);
  });

  it('reuses the social source within the listener\'s wall-clock minute, whatever moment the context names, without reading friends again', async () => {
    const pipeline = new RecommendationPipeline(pipelineSettings(), [new SocialSource()], undefined, 10);
    const history = historyOf('alice');
    const models = modelsOf();
    let reads = 0;
    const friends = async () => {
      reads++;
      return ['bob', 'carol'].map((id) => ({ id, name: id, history: historyOf(id) }));
    };
    const at = (timestamp: number, receivedAt: number) => ({ ...request('alice', history, timestamp), friends, receivedAt });
    const first = await pipeline.gather(at(NOW, NOW), models);
    expect(first.outputs[SOURCE_NAMES.indexOf('social')]!.items.length).toBeGreaterThan(0);
    await pipeline.gather(at(NOW + DAY, NOW + 1), models); // the same minute, another listening moment
    expect(reads).toBe(1);
    await pipeline.gather(at(NOW, NOW + 61_000), models); // a minute later: friends may have played since
    expect(reads).toBe(2);
  });

  it('lets taste sources lag a few of the listener\'s newest events, and no other source', async () => {
    const taste = new Counting('cf', () => 0);
    Object.assign(taste, { staleness: { events: 2, ms: 60_000 } });
    const recent = new Counting('item-to-item', () => 0);
    const pipeline = new RecommendationPipeline(pipelineSettings(), [taste, recent], undefined, 10);
    const models = modelsOf();
    const history = historyOf('alice');
    const play = (n: number): Interaction => ({ ...history[0], eventId: `new-${n}` });
    const at = (h: readonly Interaction[], receivedAt: number) => ({ ...request('alice', h), receivedAt });
    await pipeline.gather(at(history, NOW), models);
    // One new play, then another: a new history array each time; CF's output is carried over.
    const first = await pipeline.gather(at([...history, play(1)], NOW + 1000), models);
    await pipeline.gather(at([...history, play(1), play(2)], NOW + 2000), models);
    expect([taste.runs, recent.runs]).toEqual([1, 3]);
    expect(first.reports[0].ms).toBe(0);
    // A third play puts the output three events behind its basis: it runs again, and its new
    // output is the basis from then on.
    const three = [...history, play(1), play(2), play(3)];
    await pipeline.gather(at(three, NOW + 3000), models);
    expect(taste.runs).toBe(2);
    await pipeline.gather(at([...three, play(4)], NOW + 4000), models);
    expect(taste.runs).toBe(2);
    // And never for longer than its time limit.
    await pipeline.gather(at([...three, play(4), play(5)], NOW + 3000 + 60_001), models);
    expect(taste.runs).toBe(3);
    // A new model starts afresh.
    await pipeline.gather(at([...three, play(4), play(5), play(6)], NOW + 70_000), modelsOf(catalogue, cfViewOf(catalogue, Array.from({ length: catalogue.size }, () => [1, 0]))));
    expect(taste.runs).toBe(4);
  });

  it('never lists what the listener just played, though a carried-over output proposes it', async () => {
    const history = historyOf('alice');
    const unheard = [...new Set(events.filter((e) => e.userId !== 'alice').map((e) => catalogue.indexOf(e.targetId)))].filter((item) => item >= 0 && !history.some((e) => catalogue.indexOf(e.targetId) === item));
    const taste = new Counting('cf', () => 0, async () => output(unheard.slice(0, 20)));
    Object.assign(taste, { staleness: { events: 10, ms: 60_000 } });
    const pipeline = new RecommendationPipeline(pipelineSettings({ explorationEvery: 0 }), [taste], undefined, 10);
    const models = modelsOf();
    const before = await pipeline.run({ ...request('alice', history), receivedAt: NOW }, models);
    const top = before.items[0].id;
    const played: Interaction = { ...history[history.length - 1], eventId: 'just-now', targetId: top, type: 'PLAY' };
    const after = await pipeline.run({ ...request('alice', [...history, played]), receivedAt: NOW + 1000 }, models);
    expect(taste.runs).toBe(1);
    expect(after.items.map((item) => item.id)).not.toContain(top);
    expect(after.items.length).toBe(before.items.length);
  });

  it('is off with capacity 0', async () => {
    const { pipeline, cf } = setup(0);
    const history = historyOf('alice');
    await pipeline.gather(request('alice', history), modelsOf());
    await pipeline.gather(request('alice', history), modelsOf());
    expect(cf.runs).toBe(2);
  });
});
