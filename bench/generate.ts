/**
 * `npm run bench -- generate [--interactions N] [--users N] [--tracks N] [--workers N] [--out <dir>] [--keep]`
 * `npm run bench -- generate --store [--interactions N] [--users N] [--tracks N]`
 *
 * The scale generator's speed: by default 10,000,000 interactions of 1,000,000 listeners over
 * 1,000,000 tracks to files in a temporary folder (deleted afterwards unless --keep); with
 * --store, 1,000,000 interactions (100,000 listeners, 100,000 tracks) into an in-memory
 * embedded store. Files are written by --workers threads (default: the CPU count, at most 8).
 * Prints the interactions/s rate (wall clock and per CPU-second) and the peak RSS.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { consoleProgress } from '../src/lib/progress.js';
import { describeStats, generateToFiles, generateToStore } from '../src/sim/scale-output.js';
import { openStore } from '../src/store/index.js';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

export async function run(args: string[]): Promise<void> {
  const toStore = args.includes('--store');
  const number = (name: string, fallback: number) => Number((option(args, name) ?? String(fallback)).replace(/_/g, ''));
  const config = {
    seed: number('seed', 42),
    interactions: number('interactions', toStore ? 1_000_000 : 10_000_000),
    users: number('users', toStore ? 100_000 : 1_000_000),
    tracks: number('tracks', toStore ? 100_000 : 1_000_000),
    days: number('days', 28),
  };
  const workers = number('workers', Math.min(8, os.availableParallelism()));
  console.log(`generate: ${JSON.stringify(config)} → ${toStore ? 'in-memory embedded store' : `files, ${workers} worker${workers === 1 ? '' : 's'}`} (Node ${process.version}, ${os.cpus().length} CPUs)`);
  if (toStore) {
    const store = await openStore({ dataDir: ':memory:' });
    try {
      console.log(describeStats(await generateToStore(config, store, consoleProgress()), 'an in-memory embedded store'));
    } finally {
      await store.close();
    }
  } else {
    const dir = option(args, 'out') ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mixtape-generate-'));
    try {
      console.log(describeStats(await generateToFiles(config, dir, consoleProgress(), { workers }), dir));
    } finally {
      if (!args.includes('--keep') && !option(args, 'out')) fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(`  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
}
