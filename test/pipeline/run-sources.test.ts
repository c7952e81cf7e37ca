import { describe, expect, it } from 'vitest';
import { runSources } from '../../src/pipeline/sources/run-sources.js';
import type { CandidateSource, SourceInput, SourceOutput } from '../../src/pipeline/index.js';
import { SOURCE_NAMES } from '../../src/pipeline/index.js';
import { output } from './helpers.js';

const source = (name: CandidateSource['name'], generate: () => Promise<SourceOutput>): CandidateSource => ({ name, generate });
const input = {} as SourceInput;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('runSources', () => {
  it('answers when the budget runs out, reporting the late source TIMEOUT and keeping the others', async () => {
    const started = performance.now();
    const run = await runSources([
      source('cf', async () => output([1, 2])),
      source('social', async () => {
        await sleep(300);
        return output([3]);
      }),
      source('tag-affinity', async () => output([])),
    ], () => input, 40, () => {});
    expect(performance.now() - started).toBeLessThan(200);
    expect(run.reports.map((r) => [r.name, r.state, r.candidates])).toEqual([['cf', 'OK', 2], ['social', 'TIMEOUT', 0], ['tag-affinity', 'EMPTY', 0]]);
    expect(run.outputs[SOURCE_NAMES.indexOf('cf')]?.items).toEqual(Int32Array.from([1, 2]));
    expect(run.outputs[SOURCE_NAMES.indexOf('social')]).toBeUndefined();
  });

  it('reports a throwing source FAILED, and a source that computes past the budget TIMEOUT', async () => {
    const logged: string[] = [];
    const run = await runSources([
      source('popular-in-context', async () => {
        throw new Error('chart unavailable');
      }),
      source('fresh-releases', () => {
        // Synchronous work the timer cannot interrupt: it answers, but too late to count.
        const until = performance.now() + 60;
        while (performance.now() < until) { /* busy */ }
        return Promise.resolve(output([7]));
      }),
    ], () => input, 20, (message) => logged.push(message));
    expect(run.reports.map((r) => [r.name, r.state])).toEqual([['popular-in-context', 'FAILED'], ['fresh-releases', 'TIMEOUT']]);
    expect(run.outputs.every((o) => o === undefined)).toBe(true);
    expect(logged).toEqual(['candidate source popular-in-context failed:']);
  });
});
