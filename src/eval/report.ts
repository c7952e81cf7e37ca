/**
 * Turns a run into the printed markdown table and the JSON report.
 */
import type { PublishedTable } from './published.js';
import type { RunResult } from './runner.js';

const LABELS: Record<string, string> = { recall: 'Recall', ndcg: 'NDCG', precision: 'Precision', hit: 'Hit', mrr: 'MRR', coverage: 'Coverage', novelty: 'Novelty' };

export function metricLabel(name: string): string {
  const [metric, k] = name.split('@');
  return `${LABELS[metric] ?? metric}@${k}`;
}

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

/** One row per model (mean ± std over seeds), then the published rows ("—" where not reported). */
export function markdownTable(result: RunResult, published?: PublishedTable): string {
  const names = result.metricNames;
  const digits = (name: string): number => (name.startsWith('novelty') ? 2 : 4);
  const header = ['model', ...names.map(metricLabel)];
  const rows: string[][] = [];
  const seeds = result.seeds.length;
  for (const [model, summary] of Object.entries(result.models)) {
    rows.push([
      `${model} (ours, ${seeds} seed${seeds === 1 ? '' : 's'})`,
      ...names.map((n) => {
        const s = summary.metrics[n];
        return seeds > 1 ? `${fixed(s.mean, digits(n))} ± ${fixed(s.std, digits(n))}` : fixed(s.mean, digits(n));
      }),
    ]);
  }
  if (published) {
    for (const [model, values] of Object.entries(published.models)) {
      rows.push([`${model} (published)`, ...names.map((n) => (values[n] === undefined ? '—' : fixed(values[n], digits(n))))]);
    }
  }
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]): string => `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

/**
 * The JSON report: per model, each metric's mean/std/per-seed values at the top level, with
 * the chosen parameters, validation scores, grid results and timings per seed.
 */
export function reportJson(result: RunResult, published?: PublishedTable, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const models: Record<string, unknown> = {};
  for (const [model, summary] of Object.entries(result.models)) {
    const bySeed = <T>(pick: (run: (typeof summary.runs)[string]) => T): Record<string, T> =>
      Object.fromEntries(Object.entries(summary.runs).map(([seed, run]) => [seed, pick(run)]));
    models[model] = {
      ...summary.metrics,
      params: bySeed((r) => r.params),
      fullParams: bySeed((r) => r.fullParams ?? null),
      validation: bySeed((r) => r.validation),
      testUsers: bySeed((r) => r.testUsers),
      seconds: bySeed((r) => r.seconds),
      tuning: bySeed((r) => r.tuning),
      ...(Object.values(summary.runs).some((r) => r.stack !== undefined) ? { stack: bySeed((r) => r.stack ?? null) } : {}),
    };
  }
  return {
    dataset: result.dataset,
    protocol: result.protocol,
    ...extra,
    splits: result.splits,
    models,
    published: published ?? null,
    seconds: result.seconds,
  };
}
