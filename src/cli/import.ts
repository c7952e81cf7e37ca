/**
 * Imports a dataset into the configured store:
 *
 *   npm run import -- <format> <path> [--user <id>]
 *
 * Exit codes: 0 imported; 1 the input or the import failed (a format error names file:line);
 * 2 bad usage.
 */
import { loadConfig } from '../config.js';
import { DomainError, ImportFormatError } from '../domain/errors.js';
import { IMPORTERS, ImportInputError } from '../importers/index.js';
import type { ImportOptions } from '../importers/index.js';
import { consoleProgress } from '../lib/progress.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/ports.js';
import { runCli } from './run-cli.js';

function usage(problem?: string): never {
  const width = Math.max(...Object.keys(IMPORTERS).map((name) => `${name} ${IMPORTERS[name].path}`.length));
  const lines = [
    ...(problem ? [problem, ''] : []),
    'Usage: npm run import -- <format> <path> [--user <id>]',
    '',
    'Formats:',
    ...Object.entries(IMPORTERS).map(([name, entry]) => `  ${`${name} ${entry.path}`.padEnd(width)}  ${entry.description}`),
  ];
  console.error(lines.join('\n'));
  process.exit(2);
}

function parseArgs(argv: string[]): { format: string; path: string; options: ImportOptions } {
  const positional: string[] = [];
  const options: ImportOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--user') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) usage('--user needs a value');
      options.user = value;
    } else if (arg.startsWith('--user=')) {
      options.user = arg.slice('--user='.length);
    } else if (arg === '--help' || arg === '-h') {
      usage();
    } else if (arg.startsWith('--')) {
      usage(`Unknown option ${arg}`);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length === 0) usage();
  const [format, path, ...rest] = positional;
  if (!(format in IMPORTERS)) usage(`Unknown format "${format}"`);
  if (path === undefined) usage(`Missing the path to import (${format} ${IMPORTERS[format].path})`);
  if (rest.length > 0) usage(`Unexpected arguments: ${rest.join(' ')}`);
  if (options.user !== undefined && format !== 'spotify-history') usage('--user applies to spotify-history only');
  return { format, path, options };
}

async function storeTotals(store: Store): Promise<Record<string, number>> {
  return {
    users: await store.users.count(),
    artists: await store.artists.count(),
    tracks: await store.tracks.count(),
    playlists: await store.playlists.count(),
    interactions: await store.interactions.count(),
  };
}

function printCounts(title: string, counts: Record<string, number>): void {
  const width = Math.max(...Object.keys(counts).map((k) => k.length));
  console.log(title);
  for (const [name, value] of Object.entries(counts)) console.log(`  ${name.padEnd(width)}  ${value.toLocaleString('en-US').padStart(10)}`);
}

async function main(): Promise<number> {
  const { format, path, options } = parseArgs(process.argv.slice(2));
  const config = loadConfig();
  const store = await openStore({ dataDir: config.dataDir, mongodbUri: config.mongodbUri, mongodbDatabase: config.mongodbDatabase });
  const started = Date.now();
  try {
    const summary = await IMPORTERS[format].run(store, path, consoleProgress(), options);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    printCounts(`Imported ${format} from ${path} in ${seconds} s:`, summary);
    printCounts(`Store totals (${config.mongodbUri ? 'mongodb' : config.dataDir}):`, await storeTotals(store));
    return 0;
  } catch (error) {
    if (error instanceof ImportFormatError) {
      console.error(`Import failed, nothing was written: ${error.message}`);
    } else if (error instanceof ImportInputError || error instanceof DomainError) {
      console.error(`Import failed: ${error.message}`);
    } else {
      console.error('Import failed:', error);
    }
    return 1;
  } finally {
    await store.close();
  }
}

runCli(main);
