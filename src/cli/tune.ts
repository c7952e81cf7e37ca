/**
 * Hyperparameter search on validation data only:
 *
 *   npm run tune -- <model> --data <dir> [--dataset lastfm-2k|spotify-history]
 *                   [--grid '{"factors":[32,64]}'] [--seed 1] [--quick]
 *
 * Splits the data with the seed, searches the grid (the model's grid from src/eval/grids.ts,
 * or --grid: parameter → list of values, replacing the declared grid's values), and prints each
 * point's validation NDCG@10 / Recall@10 and the best point. Only the training and validation
 * parts of the split are handed to the search; the test part is never read.
 *
 * Exit codes: 0 done; 1 failed; 2 bad usage.
 */
import { DATASET_OPTIONS, DATASET_USAGE, UsageError, datasetName, openDataset, parseCommandArgs, parseGridValues, parseJsonOption } from '../eval/cli-options.js';
import { GRIDS } from '../eval/grids.js';
import { RECOMMENDER_NAMES, isRecommenderName, modelSpec, overrideGrid } from '../eval/models.js';
import { tuningPart } from '../eval/runner.js';
import { type ParamValue, gridPoints, tuneModel } from '../eval/tuning.js';
import { consoleProgress } from '../lib/progress.js';
import { runCli } from './run-cli.js';

const USAGE = [
  'Usage: npm run tune -- <model> --data <dir> [options]',
  '',
  `  <model>                   ${RECOMMENDER_NAMES.join(' | ')}`,
  '  --dataset <name>          lastfm-2k (default) | spotify-history',
  '  --grid <json>             e.g. \'{"factors":[32,64],"lambda":[0.1]}\': replaces the declared grid values',
  '                            (parameters the declared grid pins stay pinned unless named here)',
  '  --seed <n>                split and model seed (default 1)',
  '  --quick                   the quick grid',
  ...DATASET_USAGE,
].join('\n');

function formatParams(params: Record<string, ParamValue>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

async function main(): Promise<number> {
  const args = parseCommandArgs(process.argv.slice(2), [...DATASET_OPTIONS, 'dataset', 'grid', 'seed'], ['quick'], USAGE);
  if (typeof args === 'number') return args;
  try {
    const [model, ...rest] = args.positional;
    if (!model) throw new UsageError('name a model');
    if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
    if (!isRecommenderName(model)) throw new UsageError(`unknown model "${model}" (${RECOMMENDER_NAMES.join(', ')})`);
    const seed = Number(args.options.get('seed') ?? '1');
    if (!Number.isInteger(seed)) throw new UsageError('--seed must be an integer');
    const base = args.flags.has('quick') ? GRIDS[model].quick : GRIDS[model].full;
    const grid = args.options.has('grid') ? overrideGrid(base, parseGridValues(parseJsonOption(args.options.get('grid') as string, 'grid'), '--grid')) : base;
    let spec;
    try {
      spec = modelSpec(model, grid);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const name = datasetName(args.options.get('dataset') ?? 'lastfm-2k');
    const dataset = await openDataset(name, args.options);
    const started = performance.now();
    const split = await dataset.split(seed);
    const data = tuningPart(split); // the search sees this and nothing else
    const total = gridPoints(grid).length;
    console.log(`Tuning ${model} on ${name} (seed ${seed}): ${total} grid point${total === 1 ? '' : 's'}; validation ${data.validation.indices.length} items, training ${data.train.indices.length}`);
    const result = await tuneModel(data, spec, seed, {
      ks: [10, 20],
      progress: consoleProgress(),
      label: model,
      onPoint: (point, i, n) => {
        const v = point.validation;
        console.log(`[${i + 1}/${n}] NDCG@10 ${v['ndcg@10'].toFixed(4)}  Recall@10 ${v['recall@10'].toFixed(4)}  NDCG@20 ${v['ndcg@20'].toFixed(4)}  (${point.seconds.toFixed(1)} s)  ${formatParams(point.params)}`);
      },
    });
    const best = result.best;
    console.log(
      `\nBest by validation NDCG@10: ${formatParams(best.params)}\n  NDCG@10 ${best.validation['ndcg@10'].toFixed(4)}, Recall@10 ${best.validation['recall@10'].toFixed(4)} ` +
        `(${((performance.now() - started) / 1000).toFixed(1)} s in all)`,
    );
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    console.error('Tuning failed:', error instanceof Error ? error.message : error);
    return 1;
  }
}

runCli(main);
