/**
 * Command-line options shared by `npm run eval` and `npm run tune`: which dataset, where its
 * files are, and the Spotify protocol knobs.
 */
import { DATASETS, type DatasetName, lastfmDataset, parseCutoff, spotifyDataset } from './protocols.js';
import type { EvalDataset } from './runner.js';
import type { ParamValue } from './tuning.js';

export class UsageError extends Error {}

export interface ParsedArgs {
  positional: string[];
  options: Map<string, string>;
  flags: Set<string>;
}

/**
 * `parseArgv` for a command with `--help`: prints `usage` (for `--help`, to stdout) or the parse
 * error and `usage` (to stderr) and returns the exit code (0 or 2) when the command should stop
 * there, else the parsed arguments.
 */
export function parseCommandArgs(argv: readonly string[], valueNames: readonly string[], flagNames: readonly string[], usage: string): ParsedArgs | number {
  let args: ParsedArgs;
  try {
    args = parseArgv(argv, valueNames, [...flagNames, 'help']);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (args.flags.has('help')) {
    console.log(usage);
    return 0;
  }
  return args;
}

/** `--name value`, `--name=value` and bare flags (only those listed in `flagNames`). */
export function parseArgv(argv: readonly string[], valueNames: readonly string[], flagNames: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (flagNames.includes(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags.add(name);
    } else if (valueNames.includes(name)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
      options.set(name, value);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return { positional, options, flags };
}

export const DATASET_OPTIONS = ['data', 'cutoff', 'target', 'test-days', 'validation-days', 'strength', 'skips'] as const;

export const DATASET_USAGE = [
  '  --data <dir>              the dataset folder (required)',
  'spotify-history only:',
  '  --cutoff per-user|<date>  per-user (default): each listener’s last --test-days are the test window;',
  '                            a date (YYYY-MM-DD, UTC): one global cut-off for everyone',
  '  --test-days <n>           test window length (default 28 per user; unlimited after a date)',
  '  --validation-days <n>     the validation slice before the cut-off (default 14)',
  '  --target artist|track     what is recommended (default artist)',
  '  --strength plays|binary   training values: play counts (default) or 1',
  '  --skips keep|mask         mask items only skipped before the cut-off in the test ranking (default keep)',
];

function positiveNumber(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`--${name} must be a positive number, got "${value}"`);
  return n;
}

export function datasetName(value: string | undefined): DatasetName {
  if (value === undefined) throw new UsageError(`name a dataset: ${DATASETS.join(' or ')}`);
  if (!(DATASETS as readonly string[]).includes(value)) throw new UsageError(`unknown dataset "${value}" (${DATASETS.join(', ')})`);
  return value as DatasetName;
}

export async function openDataset(name: DatasetName, options: Map<string, string>): Promise<EvalDataset> {
  const dir = options.get('data');
  if (!dir) throw new UsageError('--data <dir> is required');
  if (name === 'lastfm-2k') {
    for (const o of ['cutoff', 'target', 'test-days', 'validation-days', 'strength', 'skips']) {
      if (options.has(o)) throw new UsageError(`--${o} applies to spotify-history only`);
    }
    return lastfmDataset(dir);
  }
  const target = options.get('target') ?? 'artist';
  if (target !== 'artist' && target !== 'track') throw new UsageError(`--target must be artist or track, got "${target}"`);
  const strength = options.get('strength') ?? 'plays';
  if (strength !== 'plays' && strength !== 'binary') throw new UsageError(`--strength must be plays or binary, got "${strength}"`);
  const skips = options.get('skips') ?? 'keep';
  if (skips !== 'keep' && skips !== 'mask') throw new UsageError(`--skips must be keep or mask, got "${skips}"`);
  const cutoff = options.get('cutoff') ?? 'per-user';
  try {
    parseCutoff(cutoff);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return spotifyDataset(dir, {
    target,
    cutoff,
    strength,
    maskSkips: skips === 'mask',
    testDays: positiveNumber(options.get('test-days'), 'test-days'),
    validationDays: positiveNumber(options.get('validation-days'), 'validation-days'),
  });
}

/** `{"param": [values…]}` (a single value counts as a list of one). */
export function parseGridValues(value: unknown, where: string): Record<string, ParamValue[]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`${where} must be an object: {"param": [values…]}`);
  const values: Record<string, ParamValue[]> = {};
  for (const [name, list] of Object.entries(value)) {
    const items: unknown[] = Array.isArray(list) ? list : [list];
    if (items.length === 0 || items.some((v) => !['number', 'string', 'boolean'].includes(typeof v))) {
      throw new UsageError(`${where}: ${name} needs a non-empty list of numbers, strings or booleans`);
    }
    values[name] = items as ParamValue[];
  }
  return values;
}

export function parseJsonOption(text: string, option: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--${option} is not JSON: ${(error as Error).message}`);
  }
}

/** `--seeds`: a count n (seeds 1..n) or a comma list of seeds; undefined: 1..5 (quick: 1). */
export function parseSeeds(value: string | undefined, quick: boolean): number[] {
  if (value === undefined) return quick ? [1] : [1, 2, 3, 4, 5];
  // A trailing comma makes a one-seed list ("2," = seed 2 alone; a bare "2" is a count).
  const isList = value.includes(',');
  const numbers = value
    .replace(/,\s*$/, '')
    .split(',')
    .map((s) => (s.trim() === '' ? NaN : Number(s)));
  if (numbers.some((n) => !Number.isInteger(n) || n < 0)) throw new UsageError(`--seeds must be a count or a list of integers, got "${value}"`);
  if (!isList) {
    if (numbers[0] < 1) throw new UsageError('--seeds must be at least 1');
    return Array.from({ length: numbers[0] }, (_, i) => i + 1);
  }
  if (new Set(numbers).size !== numbers.length) throw new UsageError('--seeds lists a seed twice');
  return numbers;
}
