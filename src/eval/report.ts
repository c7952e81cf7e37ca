/**
 * Turns a run into the printed markdown table and the JSON report.
 */
import type { StackReport } from '../models/hybrid/hybrid.js';
import type { PublishedTable } from './published.js';
import { type RunResult, meanStd } from './runner.js';

const LABELS: Record<string, string> = { recall: 'Recall', ndcg: 'NDCG', precision: 'Precision', hit: 'Hit', mrr: 'MRR', coverage: 'Coverage', novelty: 'Novelty' };

export function metricLabel(name: string): string {
  const [metric, k] = name.split('@');
  return `${LABELS[metric] ?? metric}@${k}`;
}

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

/** A markdown table with padded columns. */
function renderTable(header: readonly string[], rows: readonly string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
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
  return renderTable(header, rows);
}

/**
 * A stacked model's own held-out figure, from its stack report: the NDCG@10 of the ranker it
 * chose on validation users it did not train on (the hybrid's `perDepth` entry of its chosen
 * depth: out of fold over every validation user when cross-fitted). Undefined for other reports.
 */
export function stackHeldOutNdcg(stack: unknown): number | undefined {
  const report = stack as Partial<Pick<StackReport, 'perDepth' | 'chosen'>> | null | undefined;
  if (!report || !Array.isArray(report.perDepth)) return undefined;
  const entry = report.perDepth.find((d) => d.depth === report.chosen?.depth) ?? report.perDepth[0];
  return typeof entry?.ndcg === 'number' ? entry.ndcg : undefined;
}

/**
 * The table of a tuning-only run (no test figures): per model the validation NDCG@10 of the
 * chosen parameters and, for a stacked model, its held-out figure (`stackHeldOutNdcg`), each as
 * mean ± std over the seeds and per seed.
 */
export function tuningTable(result: RunResult): string {
  const header = ['model', 'validation NDCG@10', 'per seed', 'stacked, held out NDCG@10', 'per seed'];
  const cell = (values: (number | undefined)[]): [string, string] => {
    const known = values.filter((v): v is number => v !== undefined);
    if (known.length === 0) return ['—', '—'];
    const { mean, std } = meanStd(known);
    return [known.length > 1 ? `${fixed(mean, 4)} ± ${fixed(std, 4)}` : fixed(mean, 4), values.map((v) => (v === undefined ? '—' : fixed(v, 4))).join(' / ')];
  };
  const rows = Object.entries(result.models).map(([model, summary]) => {
    const runs = result.seeds.map((seed) => summary.runs[String(seed)]);
    return [model, ...cell(runs.map((r) => r.validation['ndcg@10'])), ...cell(runs.map((r) => stackHeldOutNdcg(r.stack)))];
  });
  return renderTable(header, rows);
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
