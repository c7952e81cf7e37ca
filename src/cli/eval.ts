/**
 * Offline evaluation of the collaborative recommenders under a fixed protocol:
 *
 *   npm run eval -- lastfm-2k --data <dir> [--seeds 5] [--models als,bpr,item-knn,popularity] [--out <file.json>] [--quick]
 *   npm run eval -- spotify-history --data <dir> [--cutoff per-user|YYYY-MM-DD] [--target artist|track] …
 *
 * For each seed: split, choose each model's hyperparameters on validation, refit them on the
 * training part, rank the test part. Prints a markdown table (mean ± std over seeds, next to
 * the published rows for Last.fm 2K) and writes the JSON report with --out.
 *
 * Exit codes: 0 done; 1 failed; 2 bad usage.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DATASET_OPTIONS, DATASET_USAGE, UsageError, datasetName, openDataset, parseCommandArgs, parseGridValues, parseJsonOption, parseSeeds } from '../eval/cli-options.js';
import { RECOMMENDER_NAMES, modelSpecs } from '../eval/models.js';
import { PUBLISHED } from '../eval/published.js';
import { markdownTable, reportJson, stackHeldOutNdcg, tuningTable } from '../eval/report.js';
import { nestedDataset } from '../eval/protocols.js';
import { runEvaluation } from '../eval/runner.js';
import { type ModelSpec, type ParamValue, gridPoints } from '../eval/tuning.js';
import { consoleProgress } from '../lib/progress.js';
import { runCli } from './run-cli.js';

const USAGE = [
  'Usage: npm run eval -- <lastfm-2k|spotify-history> --data <dir> [options]',
  '',
  '  --seeds <n|list>          5 (seeds 1..5, the default), or a list: 1,2,7 or 2, (seed 2 alone) (--quick: 1)',
  `  --models <list>           default ${RECOMMENDER_NAMES.join(',')}`,
  '  --out <file.json>         write the JSON report there',
  '  --quick                   one seed and the quick grids (a smoke run)',
  '  --defaults                no search: each model with its default parameters (calibration)',
  '  --grid <json>             replace grids: \'{"bpr":{"epochs":[100]}}\' (pinned parameters stay unless named)',
  '  --block-size <n>          users scored per block (default 256)',
  '  --tuning-only             stop before the test part: tune on validation, give a stacked model (the hybrid)',
  '                            its stacked fit and print its held-out (out-of-fold) figure; no test fit, no test',
  '                            figure — for trying settings without seeing a test number',
  '  --nested                  the protocol inside the tuning part: tune without one training fold, "test" on',
  '                            validation (random splits; for choices about the final fit; test is never read)',
  ...DATASET_USAGE,
].join('\n');

function formatParams(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
}

async function main(): Promise<number> {
  const args = parseCommandArgs(process.argv.slice(2), [...DATASET_OPTIONS, 'seeds', 'models', 'out', 'block-size', 'grid'], ['quick', 'defaults', 'nested', 'tuning-only'], USAGE);
  if (typeof args === 'number') return args;
  try {
    const [datasetArg, ...rest] = args.positional;
    if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
    const name = datasetName(datasetArg);
    const quick = args.flags.has('quick');
    const seeds = parseSeeds(args.options.get('seeds'), quick);
    const modelNames = (args.options.get('models') ?? RECOMMENDER_NAMES.join(',')).split(',').map((m) => m.trim()).filter(Boolean);
    if (new Set(modelNames).size !== modelNames.length) throw new UsageError('--models lists a model twice');
    const overrides: Record<string, Record<string, ParamValue[]>> = {};
    if (args.options.has('grid')) {
      const parsed = parseJsonOption(args.options.get('grid') as string, 'grid');
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError('--grid must be an object: {"model": {"param": [values…]}}');
      for (const [model, values] of Object.entries(parsed)) overrides[model] = parseGridValues(values, `--grid ${model}`);
    }
    if (args.flags.has('defaults') && args.options.has('grid')) throw new UsageError('--defaults and --grid exclude each other');
    let models;
    try {
      models = modelSpecs(modelNames, quick, overrides);
      // Calibration: one grid point, the model's defaults (seeded by the evaluation seed).
      if (args.flags.has('defaults')) models = models.map((spec): ModelSpec => ({ ...spec, grid: { values: {} } }));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const blockSize = args.options.has('block-size') ? Number(args.options.get('block-size')) : undefined;
    if (blockSize !== undefined && !(Number.isInteger(blockSize) && blockSize > 0)) throw new UsageError('--block-size must be a positive integer');
    const out = args.options.get('out');

    const opened = await openDataset(name, args.options);
    const dataset = args.flags.has('nested') ? nestedDataset(opened) : opened;
    const tuningOnly = args.flags.has('tuning-only');
    const mode = [
      quick ? 'quick' : '',
      args.flags.has('defaults') ? 'default parameters, no search' : '',
      args.flags.has('nested') ? 'nested: "test" is the validation part' : '',
      tuningOnly ? 'tuning only: no test figures' : '',
    ]
      .filter(Boolean)
      .join(', ');
    console.log(`Evaluating ${modelNames.join(', ')} on ${name}: seeds ${seeds.join(', ')}${mode ? ` (${mode})` : ''}`);
    for (const [key, value] of Object.entries(dataset.protocol)) console.log(`  ${key}: ${String(value)}`);
    for (const spec of models) console.log(`  grid ${spec.name}: ${gridPoints(spec.grid).length} point(s) ${JSON.stringify(spec.grid.values)}${spec.grid.fixed ? ` fixed ${JSON.stringify(spec.grid.fixed)}` : ''}`);

    const result = await runEvaluation({
      dataset,
      models,
      seeds,
      blockSize,
      progress: consoleProgress(),
      tuningOnly,
      onResult: (seed, model, run) => {
        if (tuningOnly) {
          const heldOut = stackHeldOutNdcg(run.stack);
          console.log(
            `seed ${seed} ${model}: validation NDCG@10 ${run.validation['ndcg@10'].toFixed(4)}${heldOut === undefined ? '' : ` | stacked, held out NDCG@10 ${heldOut.toFixed(4)}`} | ` +
              `${formatParams(run.params) || '(defaults)'} | ${run.seconds.tuning.toFixed(1)} s tuning, ${run.seconds.fit.toFixed(1)} s stacked fit`,
          );
          return;
        }
        const t = run.test;
        console.log(
          `seed ${seed} ${model}: test NDCG@10 ${t['ndcg@10'].toFixed(4)} Recall@10 ${t['recall@10'].toFixed(4)} | validation NDCG@10 ${run.validation['ndcg@10'].toFixed(4)} | ` +
            `${formatParams(run.params) || '(defaults)'} | ${run.seconds.tuning.toFixed(1)} s tuning, ${run.seconds.fit.toFixed(1)} s fit, ${run.seconds.test.toFixed(1)} s test`,
        );
      },
    });

    // A nested run measures on validation, a tuning-only run not at all: the published test rows are not comparable.
    const published = args.flags.has('nested') || tuningOnly ? undefined : PUBLISHED[name];
    const split = result.splits[String(seeds[0])];
    if (tuningOnly) {
      console.log(`\n## ${name}: validation figures (tuning only, no test part), over ${seeds.length} seed${seeds.length === 1 ? '' : 's'}\n`);
      console.log(tuningTable(result));
      console.log('\nA stacked model\'s validation figure is that of the grid search, which has no stacked fit (the hybrid: its rank fusion); its ranker\'s figure is the held-out column.');
    } else {
      console.log(`\n## ${name}: test metrics, mean ± std over ${seeds.length} seed${seeds.length === 1 ? '' : 's'} (${split.usersWithTest ?? '?'} test users, seed ${seeds[0]})\n`);
      console.log(markdownTable(result, published));
      if (published) console.log(`\nPublished: ${published.source}.`);
    }
    console.log('\nChosen parameters per seed:');
    for (const [model, summary] of Object.entries(result.models)) {
      for (const [seed, run] of Object.entries(summary.runs)) console.log(`  ${model} seed ${seed}: ${formatParams(run.params) || '(none)'}`);
    }
    console.log(`\nTotal ${result.seconds.toFixed(1)} s.`);
    if (out) {
      await mkdir(path.dirname(path.resolve(out)), { recursive: true });
      await writeFile(out, `${JSON.stringify(reportJson(result, published, { quick, defaults: args.flags.has('defaults'), gridOverrides: overrides }), null, 2)}\n`);
      console.log(`Wrote ${out}`);
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    console.error('Evaluation failed:', error instanceof Error ? (error.stack ?? error.message) : error);
    return 1;
  }
}

runCli(main);
