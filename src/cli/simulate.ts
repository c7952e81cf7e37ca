/**
 * Runs recommendation policies against the simulated listener world and reports online
 * metrics — overall, per context segment and per day — as JSON and as an SVG figure:
 *
 *   npm run simulate -- --policy <name[,name…]|URL> [--users 300] [--days 14] [--seed 1] [--out <file.json>]
 *   npm run simulate -- --plot <a.json> <b.json> … --out <combined.json>
 *
 * Exit codes: 0 done; 1 failed; 2 bad usage.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { consoleProgress } from '../lib/progress.js';
import { renderReportSvg } from '../sim/plot.js';
import { isPolicyName, POLICY_NAMES } from '../sim/policies/index.js';
import { serverEnvFor } from '../sim/policies/http.js';
import type { ResponseOverrides } from '../sim/response.js';
import { DEFAULT_SLATE_SIZE, type SimulationReport, simulate } from '../sim/runner.js';
import { DEFAULT_WORLD, type WorldConfig } from '../sim/world.js';

const USAGE = [
  'Usage: npm run simulate -- --policy <name[,name…]|URL> [options]',
  '       npm run simulate -- --plot <report.json> [<report.json> …] --out <combined.json>',
  '',
  `  --policy <list>        ${POLICY_NAMES.join(', ')}, or a GraphQL endpoint (http://host:port/graphql)`,
  `  --users <n>            listeners (default ${DEFAULT_WORLD.users})`,
  `  --days <n>             simulated days (default ${DEFAULT_WORLD.days})`,
  `  --seed <n>             world seed (default ${DEFAULT_WORLD.seed})`,
  `  --tracks <n>           catalogue size (default ${DEFAULT_WORLD.tracks})`,
  `  --artists <n>          artists (default ${DEFAULT_WORLD.artists})`,
  `  --warmup-days <n>      days of logged listening before the simulation (default ${DEFAULT_WORLD.warmupDays})`,
  `  --k <n>                slate length (default ${DEFAULT_SLATE_SIZE})`,
  '  --retrain-days <n>     batch learners (cf-*, mixtape) retrain every n days (default 1)',
  '  --noise <x>            standard deviation of the response noise (default 0.6)',
  '  --response <json>      other response-model parameters, e.g. \'{"appeal":{"novelty":1.5}}\'',
  '  --token <token>        admin token for a GraphQL endpoint',
  '  --out <file.json>      write the report there and the figure next to it (<file>.svg); stdout otherwise',
].join('\n');

class UsageError extends Error {}

interface Args {
  values: Map<string, string>;
  plot: string[];
}

const VALUE_FLAGS = ['policy', 'users', 'days', 'seed', 'tracks', 'artists', 'warmup-days', 'k', 'retrain-days', 'noise', 'response', 'token', 'out'];

function parse(argv: string[]): Args {
  const values = new Map<string, string>();
  const plot: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') throw new UsageError('');
    if (arg === '--plot') {
      while (i + 1 < argv.length && !argv[i + 1].startsWith('--')) plot.push(argv[++i]);
      if (plot.length === 0) throw new UsageError('--plot needs at least one report file');
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, eq > 0 ? eq : undefined) : '';
    if (!VALUE_FLAGS.includes(name)) throw new UsageError(`unknown option ${arg}`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    values.set(name, value);
  }
  return { values, plot };
}

function integer(args: Args, name: string, fallback: number, min: number): number {
  const raw = args.values.get(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got "${raw}"`);
  return value;
}

function responseOverrides(args: Args): ResponseOverrides {
  let overrides: ResponseOverrides = {};
  const raw = args.values.get('response');
  if (raw !== undefined) {
    try {
      overrides = JSON.parse(raw) as ResponseOverrides;
    } catch {
      throw new UsageError('--response must be a JSON object');
    }
  }
  const noise = args.values.get('noise');
  if (noise !== undefined) {
    const value = Number(noise);
    if (!(value >= 0)) throw new UsageError(`--noise must be a number ≥ 0, got "${noise}"`);
    overrides = { ...overrides, noise: value };
  }
  return overrides;
}

function svgPathFor(out: string): string {
  return out.endsWith('.json') ? `${out.slice(0, -'.json'.length)}.svg` : `${out}.svg`;
}

function writeReport(report: SimulationReport, out: string | undefined): void {
  const json = `${JSON.stringify(report, null, 2)}\n`;
  if (!out) {
    process.stdout.write(json);
    return;
  }
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  fs.writeFileSync(out, json);
  fs.writeFileSync(svgPathFor(out), renderReportSvg(report));
  process.stderr.write(`wrote ${out} and ${svgPathFor(out)}\n`);
}

/** The headline figures as a markdown table. */
export function summaryTable(report: SimulationReport): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const lines = [
    '| policy | stream rate | skip rate | like rate | discovery acceptance | regret | commute stream rate |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const run of report.runs) {
    const o = run.overall;
    const commute = run.segments['activity:COMMUTE'];
    lines.push(
      `| ${run.policy} | ${pct(o.streamRate)} | ${pct(o.skipRate)} | ${pct(o.likeRate)} | ${pct(o.discoveryAcceptance)} | ${o.regret.toFixed(3)} | ${commute ? pct(commute.streamRate) : '–'} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parse(process.argv.slice(2));
  } catch (error) {
    const message = (error as Error).message;
    console.error(message ? `${message}\n\n${USAGE}` : USAGE);
    return message ? 2 : 0;
  }
  try {
    const out = args.values.get('out');
    if (args.plot.length > 0) {
      if (!out) throw new UsageError('--plot needs --out <combined.json>');
      const reports = args.plot.map((file) => JSON.parse(fs.readFileSync(file, 'utf8')) as SimulationReport);
      const first = reports[0];
      for (const [i, other] of reports.entries()) {
        const a = { ...first.simulation, response: undefined };
        const b = { ...other.simulation, response: undefined };
        if (JSON.stringify(a) !== JSON.stringify(b)) console.error(`warning: ${args.plot[i]} simulated a different world than ${args.plot[0]}`);
      }
      const combined: SimulationReport = { ...first, runs: reports.flatMap((r) => r.runs) };
      writeReport(combined, out);
      console.log(summaryTable(combined));
      return 0;
    }
    const policies = (args.values.get('policy') ?? '').split(',').map((p) => p.trim()).filter((p) => p.length > 0);
    if (policies.length === 0) throw new UsageError('--policy is required');
    for (const p of policies) if (!isPolicyName(p)) throw new UsageError(`unknown policy "${p}"`);
    const config: WorldConfig = {
      seed: integer(args, 'seed', DEFAULT_WORLD.seed, 0),
      users: integer(args, 'users', DEFAULT_WORLD.users, 1),
      artists: integer(args, 'artists', DEFAULT_WORLD.artists, 1),
      tracks: integer(args, 'tracks', DEFAULT_WORLD.tracks, 1),
      warmupDays: integer(args, 'warmup-days', DEFAULT_WORLD.warmupDays, 0),
      days: integer(args, 'days', DEFAULT_WORLD.days, 1),
      response: responseOverrides(args),
    };
    const k = integer(args, 'k', DEFAULT_SLATE_SIZE, 1);
    if (policies.some((p) => /^https?:\/\//.test(p))) {
      const env = Object.entries(serverEnvFor(config)).map(([name, v]) => `${name}=${v}`).join(' ');
      console.error(`A GraphQL endpoint must serve this world: start it on an empty store with ${env}`);
    }
    const progress = consoleProgress();
    const started = performance.now();
    const report = await simulate(config, policies, {
      k,
      retrainDays: integer(args, 'retrain-days', 1, 1),
      token: args.values.get('token'),
      log: (line) => process.stderr.write(`${line}\n`),
      onPolicy: (name) => {
        progress.start(`Simulating ${name} (days)`, config.days);
      },
      onDay: (done, total) => {
        progress.update(done);
        if (done === total) progress.stop();
      },
    });
    process.stderr.write(`simulated ${report.simulation.sessions} sessions × ${policies.length} ${policies.length === 1 ? 'policy' : 'policies'} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    writeReport(report, out);
    if (out) console.log(summaryTable(report));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof RangeError) {
      console.error(error.message);
      return 2;
    }
    console.error(error);
    return 1;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
