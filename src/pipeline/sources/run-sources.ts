/**
 * Runs candidate sources concurrently under one time budget. Every source is started in the
 * same synchronous loop (so their ANN lookups batch, see source.ts); the budget counts from
 * that moment. A source is reported TIMEOUT, and its candidates ignored, when it has not
 * answered by the time the budget's timer fires, or when its own synchronous work (the
 * `generate` call up to its first await) alone took longer than the budget — a timer cannot
 * interrupt synchronous code, so that is how a source computing in one go overruns. Whether
 * an answer came "late" is not judged by when it settled: a quick source settles after the
 * synchronous work of the sources started before it, through no fault of its own. A source
 * that throws is reported FAILED. The request answers with what arrived in time.
 */
import { SOURCE_NAMES, type SourceReport } from '../types.js';
import type { CandidateSource, SourceInput, SourceOutput } from './source.js';

export interface SourceRun {
  /** Per SOURCE_NAMES position: the output that arrived in time, if any. */
  outputs: (SourceOutput | undefined)[];
  /** One per source, in the order the sources were given. */
  reports: SourceReport[];
}

type Settled = { output: SourceOutput; at: number } | { error: unknown; at: number } | 'timeout';

export async function runSources(
  sources: readonly CandidateSource[],
  inputOf: (source: CandidateSource) => SourceInput,
  budgetMs: number,
  log: (message: string, error: unknown) => void = (message, error) => console.error(message, error),
): Promise<SourceRun> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), budgetMs);
  });
  const starts: number[] = [];
  const syncMs: number[] = [];
  const pending = sources.map((source): Promise<Settled> => {
    const start = performance.now();
    starts.push(start);
    let promise: Promise<SourceOutput>;
    try {
      promise = source.generate(inputOf(source));
    } catch (error) {
      promise = Promise.reject(error);
    }
    syncMs.push(performance.now() - start);
    const settled = promise.then(
      (output): Settled => ({ output, at: performance.now() }),
      (error: unknown): Settled => ({ error, at: performance.now() }),
    );
    return Promise.race([settled, deadline]);
  });
  const results = await Promise.all(pending);
  clearTimeout(timer);

  const outputs: (SourceOutput | undefined)[] = new Array(SOURCE_NAMES.length).fill(undefined);
  const reports = results.map((result, i): SourceReport => {
    const name = sources[i].name;
    if (result === 'timeout' || syncMs[i] > budgetMs) {
      return { name, state: 'TIMEOUT', candidates: 0, ms: (result === 'timeout' ? performance.now() : result.at) - starts[i] };
    }
    const ms = result.at - starts[i];
    if ('error' in result) {
      log(`candidate source ${name} failed:`, result.error);
      return { name, state: 'FAILED', candidates: 0, ms };
    }
    outputs[SOURCE_NAMES.indexOf(name)] = result.output;
    const count = result.output.items.length;
    return {
      name, state: count > 0 ? 'OK' : 'EMPTY', candidates: count, ms,
      ...(result.output.modelVersion ? { modelVersion: result.output.modelVersion } : {}),
    };
  });
  return { outputs, reports };
}
