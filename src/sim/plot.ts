/**
 * SVG figures of a simulation report, written by hand (no dependencies): learning curves
 * (one panel per metric, a line per policy, simulated days on the x axis) and a bar panel of
 * stream rate by context segment.
 */
import type { DaySummary, MetricSummary } from './metrics.js';
import type { SimulationReport } from './runner.js';

const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

const PANELS: { key: keyof MetricSummary; title: string }[] = [
  { key: 'streamRate', title: 'Stream rate (streams / shown)' },
  { key: 'skipRate', title: 'Skip rate (skips / plays)' },
  { key: 'likeRate', title: 'Like rate (likes / shown)' },
  { key: 'discoveryAcceptance', title: 'Discovery acceptance' },
  { key: 'regret', title: 'Regret (expected streams per slate)' },
];

/** Segments shown in the bar panel, when present. */
const BAR_SEGMENTS = ['overall', 'activity:COMMUTE', 'time:weekday-morning', 'activity:WORK', 'activity:PARTY', 'activity:SLEEP'];

const PANEL_W = 420;
const PANEL_H = 260;
const MARGIN = { left: 56, right: 16, top: 34, bottom: 40 };
const COLUMNS = 3;

export function renderReportSvg(report: SimulationReport): string {
  const runs = report.runs;
  const legendH = 24 + 18 * Math.ceil(runs.length / 4);
  const rows = Math.ceil((PANELS.length + 1) / COLUMNS);
  const width = COLUMNS * PANEL_W;
  const height = legendH + rows * PANEL_H + 10;
  const s = report.simulation;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    text(12, 18, `Mixtape simulation: seed ${s.seed}, ${s.users} listeners, ${s.tracks} tracks, ${s.days} days after ${s.warmupDays} warm-up days, k = ${s.k}`, { size: 13, weight: 'bold' }),
  );
  runs.forEach((run, i) => {
    const x = 12 + (i % 4) * 300;
    const y = 34 + Math.floor(i / 4) * 18;
    parts.push(`<line x1="${x}" y1="${y}" x2="${x + 22}" y2="${y}" stroke="${colour(i)}" stroke-width="3"/>`, text(x + 28, y + 4, run.policy));
  });
  PANELS.forEach((panel, p) => {
    const x0 = (p % COLUMNS) * PANEL_W;
    const y0 = legendH + Math.floor(p / COLUMNS) * PANEL_H;
    parts.push(linePanel(x0, y0, panel.title, runs.map((r) => r.days), panel.key));
  });
  const p = PANELS.length;
  parts.push(barPanel((p % COLUMNS) * PANEL_W, legendH + Math.floor(p / COLUMNS) * PANEL_H, report));
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

function linePanel(x0: number, y0: number, title: string, series: DaySummary[][], key: keyof MetricSummary): string {
  const out: string[] = [text(x0 + MARGIN.left, y0 + 20, title, { size: 12, weight: 'bold' })];
  const days = Math.max(1, ...series.map((d) => d.length));
  const values = series.flatMap((d) => d.map((x) => x[key]));
  const [lo, hi] = niceRange(Math.min(0, ...values), Math.max(...values, 1e-9));
  const w = PANEL_W - MARGIN.left - MARGIN.right;
  const h = PANEL_H - MARGIN.top - MARGIN.bottom;
  const px = (day: number) => x0 + MARGIN.left + (days <= 1 ? w / 2 : (day / (days - 1)) * w);
  const py = (v: number) => y0 + MARGIN.top + h - ((v - lo) / (hi - lo)) * h;
  out.push(axes(x0, y0, w, h, lo, hi, days));
  series.forEach((daysOfRun, i) => {
    if (daysOfRun.length === 0) return;
    const points = daysOfRun.map((d, j) => `${fmt(px(j))},${fmt(py(d[key]))}`).join(' ');
    out.push(`<polyline fill="none" stroke="${colour(i)}" stroke-width="2" points="${points}"/>`);
    for (let j = 0; j < daysOfRun.length; j++) out.push(`<circle cx="${fmt(px(j))}" cy="${fmt(py(daysOfRun[j][key]))}" r="2" fill="${colour(i)}"/>`);
  });
  out.push(text(x0 + MARGIN.left + w / 2, y0 + PANEL_H - 8, 'simulated day', { anchor: 'middle' }));
  return out.join('\n');
}

function barPanel(x0: number, y0: number, report: SimulationReport): string {
  const out: string[] = [text(x0 + MARGIN.left, y0 + 20, 'Stream rate by segment', { size: 12, weight: 'bold' })];
  const segments = BAR_SEGMENTS.filter((seg) => seg === 'overall' || report.runs.some((r) => r.segments[seg]));
  const valueOf = (runIndex: number, seg: string) => {
    const run = report.runs[runIndex];
    return (seg === 'overall' ? run.overall : run.segments[seg])?.streamRate ?? 0;
  };
  const values = segments.flatMap((seg) => report.runs.map((_, i) => valueOf(i, seg)));
  const [lo, hi] = niceRange(0, Math.max(...values, 1e-9));
  const w = PANEL_W - MARGIN.left - MARGIN.right;
  const h = PANEL_H - MARGIN.top - MARGIN.bottom;
  out.push(axes(x0, y0, w, h, lo, hi, 0));
  const groupW = w / Math.max(1, segments.length);
  const barW = (groupW * 0.8) / Math.max(1, report.runs.length);
  segments.forEach((seg, g) => {
    const gx = x0 + MARGIN.left + g * groupW + groupW * 0.1;
    report.runs.forEach((_, i) => {
      const v = valueOf(i, seg);
      const bh = ((v - lo) / (hi - lo)) * h;
      out.push(`<rect x="${fmt(gx + i * barW)}" y="${fmt(y0 + MARGIN.top + h - bh)}" width="${fmt(Math.max(1, barW - 1))}" height="${fmt(bh)}" fill="${colour(i)}"/>`);
    });
    const label = seg.replace('activity:', '').replace('time:', '');
    out.push(text(gx + groupW * 0.4, y0 + MARGIN.top + h + 14, label, { anchor: 'middle', size: 9 }));
  });
  return out.join('\n');
}

function axes(x0: number, y0: number, w: number, h: number, lo: number, hi: number, days: number): string {
  const left = x0 + MARGIN.left;
  const top = y0 + MARGIN.top;
  const out = [`<rect x="${left}" y="${top}" width="${w}" height="${h}" fill="none" stroke="#999"/>`];
  for (let i = 0; i <= 4; i++) {
    const v = lo + ((hi - lo) * i) / 4;
    const y = top + h - (h * i) / 4;
    out.push(`<line x1="${left}" y1="${fmt(y)}" x2="${left + w}" y2="${fmt(y)}" stroke="#eee"/>`);
    out.push(text(left - 6, y + 4, trimNumber(v), { anchor: 'end' }));
  }
  if (days > 0) {
    const step = Math.max(1, Math.ceil(days / 10));
    for (let d = 0; d < days; d += step) {
      const x = left + (days <= 1 ? w / 2 : (d / (days - 1)) * w);
      out.push(text(x, top + h + 14, String(d + 1), { anchor: 'middle' }));
    }
  }
  return out.join('\n');
}

/** A range from lo to hi rounded outwards to a step of 1, 2 or 5 × 10^n. */
function niceRange(lo: number, hi: number): [number, number] {
  if (!(hi > lo)) return [lo, lo + 1];
  const raw = (hi - lo) / 4;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((x) => x >= raw) ?? 10 * mag;
  return [Math.floor(lo / step) * step, Math.ceil(hi / step) * step];
}

function colour(i: number): string {
  return COLOURS[i % COLOURS.length];
}

function fmt(x: number): string {
  return (Math.round(x * 10) / 10).toString();
}

function trimNumber(v: number): string {
  return Number(v.toPrecision(3)).toString();
}

function text(x: number, y: number, content: string, options: { anchor?: 'start' | 'middle' | 'end'; size?: number; weight?: string } = {}): string {
  const attrs = [`x="${fmt(x)}"`, `y="${fmt(y)}"`];
  if (options.anchor && options.anchor !== 'start') attrs.push(`text-anchor="${options.anchor}"`);
  if (options.size) attrs.push(`font-size="${options.size}"`);
  if (options.weight) attrs.push(`font-weight="${options.weight}"`);
  return `<text ${attrs.join(' ')}>${escapeXml(content)}</text>`;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
