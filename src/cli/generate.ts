/**
 * Streams a simulated world of any size into files for bulk import, or into the store:
 *
 *   npm run generate -- --tracks 1000000 --users 1000000 --interactions 100000000 [--out <dir>]
 *
 * With --out: artists.ndjson, tracks.ndjson, users.ndjson, interactions.tsv and
 * manifest.json in <dir> (see src/sim/scale-output.ts). Without: into the configured store
 * (DATA_DIR or MONGODB_URI), in chunks. Prints the counts and the rate.
 *
 * Exit codes: 0 done; 1 failed; 2 bad usage.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../config.js';
import { consoleProgress } from '../lib/progress.js';
import { renderTrackAudio, writeWav } from '../sim/audio.js';
import { ScaleWorld, type ScaleConfig } from '../sim/scale.js';
import { describeStats, generateToFiles, generateToStore } from '../sim/scale-output.js';
import { openStore } from '../store/index.js';

const USAGE = [
  'Usage: npm run generate -- --tracks <n> --users <n> --interactions <n> [options]',
  '',
  '  --artists <n>        default: tracks / 8',
  '  --days <n>           window the interactions fall in, ending 2026-11-01 (default 28)',
  '  --seed <n>           default 42',
  '  --out <dir>          write files for bulk import there; without it, write into the configured store',
  '  --workers <n>        threads generating interactions into part files (default: the CPU count, at most 8; 1 for one interactions.tsv)',
  '  --audio <n>          also render 5-second WAV clips of the first n tracks into <dir>/audio (needs --out)',
].join('\n');

class UsageError extends Error {}

const FLAGS = ['tracks', 'users', 'interactions', 'artists', 'days', 'seed', 'out', 'audio', 'workers'];

function parse(argv: string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') throw new UsageError('');
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, eq > 0 ? eq : undefined) : '';
    if (!FLAGS.includes(name)) throw new UsageError(`unknown option ${arg}`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    values.set(name, value);
  }
  return values;
}

function count(values: Map<string, string>, name: string, fallback: number | undefined, min: number): number | undefined {
  const raw = values.get(name);
  if (raw === undefined) return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got "${raw}"`);
  return value;
}

async function main(): Promise<number> {
  let values: Map<string, string>;
  let config: ScaleConfig;
  let audio: number;
  let workers: number;
  try {
    values = parse(process.argv.slice(2));
    config = {
      tracks: count(values, 'tracks', undefined, 1)!,
      users: count(values, 'users', undefined, 1)!,
      interactions: count(values, 'interactions', undefined, 0)!,
      artists: count(values, 'artists', undefined, 1),
      days: count(values, 'days', 28, 1)!,
      seed: count(values, 'seed', 42, 0)!,
    };
    if (values.get('tracks') === undefined || values.get('users') === undefined || values.get('interactions') === undefined) {
      throw new UsageError('--tracks, --users and --interactions are required');
    }
    audio = count(values, 'audio', 0, 0)!;
    workers = count(values, 'workers', Math.min(8, os.availableParallelism()), 1)!;
    if (workers > 1 && !values.get('out')) throw new UsageError('--workers needs --out (the store is written from one thread)');
    if (audio > 0 && !values.get('out')) throw new UsageError('--audio needs --out');
  } catch (error) {
    const message = (error as Error).message;
    console.error(message ? `${message}\n\n${USAGE}` : USAGE);
    return message ? 2 : 0;
  }
  const progress = consoleProgress();
  const out = values.get('out');
  if (out) {
    const stats = await generateToFiles(config, out, progress, { workers });
    console.log(describeStats(stats, path.resolve(out)));
    if (audio > 0) {
      const dir = path.join(out, 'audio');
      fs.mkdirSync(dir, { recursive: true });
      const world = new ScaleWorld(config);
      let n = 0;
      for (const track of world.tracks()) {
        if (n++ >= audio) break;
        writeWav(path.join(dir, `${track.id}.wav`), renderTrackAudio(track), 22050);
      }
      console.log(`  ${Math.min(audio, world.trackCount)} audio clips in ${dir}`);
    }
    return 0;
  }
  const appConfig = loadConfig();
  const store = await openStore(appConfig);
  try {
    const stats = await generateToStore(config, store, progress);
    console.log(describeStats(stats, appConfig.mongodbUri ? 'MongoDB' : path.join(appConfig.dataDir, 'mixtape.db')));
  } finally {
    await store.close();
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exitCode = 1;
  },
);
