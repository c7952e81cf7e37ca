/**
 * `npx tsx bench/pipeline-latency.ts [--data ./.bench/pipeline] [--requests 2000] [--limit 30] [--no-reuse] [--after-play]`
 *
 * In-process latency of one `recommendations` request on the demo world (the DEMO_* settings
 * of the environment; generated and trained on first use in --data): the service's
 * `recommend` called one request at a time, no HTTP or GraphQL, so the figures are the
 * recommendation pipeline's own cost. Prints p50/p90/p99 and each source's mean time.
 * `--after-play` records one play of a random track by the listener before each request (as
 * `recordInteractions` would), so every measured request is the listener's first after a play
 * (the warm-up visits every demo listener once); the recording's own CPU is reported apart.
 * `npm run bench -- serve` measures the whole server under load.
 */
import 'reflect-metadata';
import path from 'node:path';
import { MixtapeApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { consoleProgress } from '../src/lib/progress.js';
import { ADMIN } from '../src/services/access.js';
import { createLoaders } from '../src/services/loaders.js';

const DEVICES = ['MOBILE', 'DESKTOP', 'SPEAKER', 'CAR'] as const;
const ACTIVITIES = ['COMMUTE', 'WORK', 'WORKOUT', 'RELAX', 'PARTY'] as const;

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

async function main(): Promise<void> {
  const requests = Number(option('requests', '2000'));
  const limit = Number(option('limit', '30'));
  const reuse = !process.argv.includes('--no-reuse');
  const afterPlay = process.argv.includes('--after-play');
  const config = loadConfig({ ...process.env, DATA_DIR: path.resolve(option('data', './.bench/pipeline')), MODEL_SYNC_SECONDS: '0' });
  const app = await MixtapeApp.create(config, { progress: consoleProgress(), log: (line) => console.log(line) });
  try {
    const users = config.demo.users;
    const width = String(users).length;
    const userOf = (n: number) => `demo-u${String(1 + ((n * 7919) % users)).padStart(width, '0')}`;
    const tracks = config.demo.tracks;
    const trackOf = (n: number) => `demo-t${String(1 + ((n * 104_729 + 17) % tracks)).padStart(String(tracks).length, '0')}`;
    const cpuRecord: number[] = [];
    const times: number[] = [];
    /** CPU ms of each request that reused the listener's source outputs, and of each that did not. */
    const cpuReused: number[] = [];
    const cpuFirst: number[] = [];
    const sourceMs = new Map<string, number>();
    // After plays, every listener is first seen once in the warm-up, so that each measured
    // request follows that listener's earlier request and a play (not a first visit).
    const warmup = afterPlay ? users : Math.min(500, requests);
    const { sourceCache } = app.services.recommendations.pipeline;
    let hits = 0;
    let cpuAtStart = process.cpuUsage();
    for (let n = 0; n < warmup + requests; n++) {
      if (!reuse) sourceCache.clear();
      if (afterPlay) {
        const before = process.cpuUsage();
        await app.services.ingestion.record(ADMIN, [{ eventId: `latency-${process.pid}-${n}`, userId: userOf(n), trackId: trackOf(n), type: 'PLAY', msPlayed: 180_000 }]);
        const used = process.cpuUsage(before);
        if (n >= warmup) cpuRecord.push((used.user + used.system) / 1000);
      }
      if (n === warmup) {
        hits = sourceCache.hits;
        cpuAtStart = process.cpuUsage();
      }
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      const hitsBefore = sourceCache.hits;
      const list = await app.services.recommendations.recommend(ADMIN, {
        userId: userOf(n), target: 'TRACK', limit,
        context: { timestamp: Date.UTC(2026, 10, 2) + (n % 168) * 3_600_000, device: DEVICES[n % 4], activity: ACTIVITIES[n % 5] },
      }, createLoaders(app.store, app.services.cf));
      if (n < warmup) continue;
      times.push(performance.now() - started);
      const used = process.cpuUsage(cpuBefore);
      (sourceCache.hits > hitsBefore ? cpuReused : cpuFirst).push((used.user + used.system) / 1000);
      for (const source of list.sources) sourceMs.set(source.name, (sourceMs.get(source.name) ?? 0) + source.ms);
    }
    const cpu = process.cpuUsage(cpuAtStart);
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(2);
    console.log(`recommend(limit: ${limit}), ${requests} requests one at a time: p50 ${at(0.5)} ms, p90 ${at(0.9)} ms, p99 ${at(0.99)} ms`);
    // CPU time is what a busy machine cannot hide: wall-clock times include waiting for a core.
    console.log(`CPU per request (this process, all threads${afterPlay ? ', recording the plays included' : ''}): ${((cpu.user + cpu.system) / 1000 / requests).toFixed(2)} ms`);
    const median = (values: number[]) => (values.length === 0 ? 'n/a' : `${values.sort((a, b) => a - b)[Math.floor(values.length / 2)].toFixed(2)} ms`);
    console.log(`CPU per request, median: ${median(cpuReused)} when reusing (${cpuReused.length}), ${median(cpuFirst)} otherwise (${cpuFirst.length})`);
    if (afterPlay) console.log(`CPU of recording the play before each request, median: ${median(cpuRecord)} (not in the figures above)`);
    console.log(`listeners' source outputs reused in ${sourceCache.hits - hits} of ${requests} requests${reuse ? '' : ' (--no-reuse)'}`);
    console.log(`sources, mean ms from start to answer (they overlap): ${[...sourceMs].map(([name, ms]) => `${name} ${(ms / requests).toFixed(2)}`).join(', ')}`);
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
