/**
 * `npm run bench -- serve [--tracks 100000] [--users 1000] [--connections 50] [--duration 20]
 *   [--limit 30] [--processes 1] [--rate 1000] [--writes 0] [--data ./.bench/serve] [--from-source]`
 *
 * Serving speed of `recommendations(limit: 30)` in embedded mode: starts the API as its own
 * process on a demo catalogue of the given size (generated and trained on first use, kept in
 * --data), then drives it from this process with autocannon — 50 concurrent clients, each
 * asking for a random listener in a random context. Both processes share the machine's
 * cores, as the issue asks. --processes N starts the API with SERVER_PROCESSES=N (a cluster
 * on one port). The API runs as `npm start` runs it: compiled to dist/ (built first) — or,
 * with --from-source, from the TypeScript under tsx, as `npm run dev` does.
 *
 * Two measurements, because one closed loop cannot show both targets: with 50 clients each
 * sending its next request as soon as the last answers, latency is simply 50 / throughput
 * (Little's law), so p50 ≤ 10 ms would need 5,000 requests/s. So it prints
 * 1. capacity: the closed loop's requests/s (and its latency, which is queueing);
 * 2. latency at load: --rate requests/s sent evenly over at most 50 keep-alive connections
 *    (open loop: each request is sent when it is due, its latency counted from then), and
 *    p50/p90/p99. --rate 0 skips it. --writes N adds N plays per second to that run
 *    (`recordInteractions`, one PLAY of a random track by a random listener each, evenly paced
 *    over the same connections): every play changes its listener's history, so that listener's
 *    next request is a first request again.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { PacedClient } from './paced-client.js';

interface Options {
  tracks: number;
  users: number;
  connections: number;
  duration: number;
  limit: number;
  processes: number;
  rate: number;
  writes: number;
  data: string;
  port: number;
  fromSource: boolean;
}

function parse(args: string[]): Options {
  const get = (name: string, fallback: number) => {
    const at = args.indexOf(`--${name}`);
    return at >= 0 ? Number(args[at + 1]) : fallback;
  };
  const dataAt = args.indexOf('--data');
  const tracks = get('tracks', 100_000);
  return {
    tracks,
    users: get('users', 1000),
    connections: get('connections', 50),
    duration: get('duration', 20),
    limit: get('limit', 30),
    processes: get('processes', 1),
    rate: get('rate', 1000),
    writes: get('writes', 0),
    port: get('port', 4123),
    data: path.resolve(dataAt >= 0 ? args[dataAt + 1] : `./.bench/serve-${tracks}`),
    fromSource: args.includes('--from-source'),
  };
}

const QUERY = `query ($userId: ID!, $limit: Int!, $context: ContextInput) {
  recommendations(userId: $userId, limit: $limit, context: $context) { items { targetId score explanation } sources { name state } }
}`;
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const DEVICES = ['MOBILE', 'DESKTOP', 'SPEAKER', 'CAR'];
const ACTIVITIES = ['COMMUTE', 'WORK', 'WORKOUT', 'RELAX', 'PARTY'];

export async function run(args: string[]): Promise<void> {
  const options = parse(args);
  const server = await startServer(options);
  try {
    let n = 0;
    const body = () => {
      n++;
      const user = `demo-u${String(1 + ((n * 7919) % options.users)).padStart(String(options.users).length, '0')}`;
      return JSON.stringify({
        query: QUERY,
        variables: {
          userId: user, limit: options.limit,
          context: { timestamp: new Date(Date.UTC(2026, 10, 2) + (n % 168) * 3_600_000).toISOString(), device: DEVICES[n % 4], activity: ACTIVITIES[n % 5] },
        },
      });
    };
    const target = {
      url: `http://127.0.0.1:${options.port}/graphql`,
      method: 'POST' as const,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      requests: [{ setupRequest: (request: autocannon.Request) => ({ ...request, body: body() }) }],
    };
    // One checked request first: a benchmark of error responses would measure nothing.
    const probe = await fetch(target.url, { method: 'POST', headers: target.headers, body: body() });
    const answer = (await probe.json()) as { data?: { recommendations?: { items: unknown[] } }; errors?: unknown[] };
    if (answer.errors || answer.data?.recommendations?.items.length !== options.limit) {
      throw new Error(`the probe request did not return ${options.limit} items: ${JSON.stringify(answer).slice(0, 300)}`);
    }
    console.log('warming up (5 s) …');
    await autocannon({ ...target, connections: options.connections, duration: 5 });
    const setting = `${options.connections} connections, ${options.duration} s, limit ${options.limit}, ${options.tracks.toLocaleString('en')} tracks, ${options.processes} API process(es) ${options.fromSource ? 'from source (tsx)' : 'compiled (dist/)'}`;
    console.log(`capacity (closed loop): ${setting}`);
    const cpu = cpuMeter(server.pid!);
    const result = await autocannon({ ...target, connections: options.connections, duration: options.duration });
    const { latency, requests } = result;
    console.log(`  requests: ${requests.total} ok, ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
    console.log(`  latency ms: p50 ${latency.p50}, p90 ${latency.p90}, p99 ${latency.p99}, max ${latency.max}`);
    console.log(`  throughput: ${requests.average.toFixed(0)} requests/s (average over ${options.duration} s)`);
    reportCpu(cpu(), requests.total);
    if (options.rate > 0) {
      const writing = options.writes > 0 ? ` + ${options.writes} plays/s recorded` : '';
      console.log(`latency at ${options.rate} requests/s${writing}, evenly paced (open loop): ${setting}`);
      const pacedCpu = cpuMeter(server.pid!);
      const run = await paced(target.url, target.headers, body, options.rate, options.duration, options.connections, options.writes > 0 ? { rate: options.writes, body: playBody(options) } : undefined);
      const at = (q: number) => run.latencies[Math.min(run.latencies.length - 1, Math.floor(q * run.latencies.length))].toFixed(1);
      console.log(`  requests: ${run.latencies.length} ok, ${run.failed} failed; sent ${(run.latencies.length + run.failed) / options.duration} requests/s`);
      console.log(`  latency ms (from each request's scheduled moment): p50 ${at(0.5)}, p90 ${at(0.9)}, p99 ${at(0.99)}, max ${at(1)}`);
      if (run.slowAt.length > 0) {
        const when = run.slowAt.sort((a, b) => a - b);
        console.log(`  ${when.length} requests over ${SLOW_MS} ms, due between ${when[0].toFixed(1)} s and ${when[when.length - 1].toFixed(1)} s into the run`);
      }
      if (run.writes) {
        const w = run.writes;
        const wat = (q: number) => w.latencies[Math.min(w.latencies.length - 1, Math.floor(q * w.latencies.length))].toFixed(1);
        console.log(`  plays recorded: ${w.latencies.length} ok, ${w.failed} failed; latency ms p50 ${wat(0.5)}, p99 ${wat(0.99)}`);
      }
      reportCpu(pacedCpu(), run.latencies.length + run.failed);
    }
  } finally {
    server.kill('SIGTERM');
  }
}

interface CpuSpent {
  /** CPU seconds of the API processes (the server and its cluster workers), if readable. */
  api?: number;
  /** CPU seconds of this process (the load generator). */
  load: number;
}

function reportCpu(cpu: CpuSpent, requests: number): void {
  // CPU per request does not depend on what else the machine runs: the capacity of two idle
  // cores follows from it, when a shared machine cannot show it directly.
  const perRequest = (seconds: number) => ((seconds * 1000) / Math.max(1, requests)).toFixed(2);
  const api = cpu.api === undefined ? 'n/a' : `${perRequest(cpu.api)} ms (API processes)`;
  console.log(`  CPU per request: ${api}, ${perRequest(cpu.load)} ms (load generator); load average ${os.loadavg()[0].toFixed(1)}`);
  if (cpu.api !== undefined) {
    const capacity = (os.availableParallelism() * 1000) / (((cpu.api + cpu.load) * 1000) / Math.max(1, requests));
    console.log(`  requests/s the machine's ${os.availableParallelism()} cores could serve at that CPU cost: ${capacity.toFixed(0)}`);
  }
}

/**
 * An open-loop load at an even `rate`: request i is due at start + i / rate and sent then (or
 * as soon as one of the `connections` keep-alive sockets is free), whatever the earlier ones
 * are doing, and its latency counts from when it was due — so a slow server shows up as
 * latency, not as fewer requests (autocannon's overallRate instead sends each second's quota
 * as fast as it can at the start of the second, measuring bursts). The requests go through
 * PacedClient (paced-client.ts), a raw-socket client that spends less of the shared CPU than
 * node:http's.
 */
const SLOW_MS = 100;

interface Stream {
  latencies: number[];
  failed: number;
}

async function paced(
  url: string, headers: Record<string, string>, body: () => string, rate: number, seconds: number, connections: number,
  writes?: { rate: number; body: () => string },
): Promise<{ latencies: Float64Array; failed: number; slowAt: number[]; writes?: { latencies: Float64Array; failed: number } }> {
  const client = new PacedClient(url, headers, connections);
  const total = Math.floor(rate * seconds);
  const reads: Stream = { latencies: [], failed: 0 };
  const written: Stream = { latencies: [], failed: 0 };
  /** When (s into the run) the requests slower than SLOW_MS were due: a burst or a spread. */
  const slowAt: number[] = [];
  const pending: Promise<void>[] = [];
  const send = (due: number, stream: Stream = reads, text: string = body()) => client.post(text).then((answer) => {
    if (answer && answer.status === 200 && !answer.body.startsWith('{"errors"')) {
      const latency = performance.now() - due;
      stream.latencies.push(latency);
      if (latency > SLOW_MS && stream === reads) slowAt.push((due - start) / 1000);
    } else stream.failed++;
  });
  const start = performance.now();
  const totalWrites = writes ? Math.floor(writes.rate * seconds) : 0;
  for (let next = 0, nextWrite = 0; next < total || nextWrite < totalWrites; ) {
    const now = performance.now();
    for (; next < total && start + (next * 1000) / rate <= now; next++) pending.push(send(start + (next * 1000) / rate));
    for (; writes && nextWrite < totalWrites && start + (nextWrite * 1000) / writes.rate <= now; nextWrite++) {
      pending.push(send(start + (nextWrite * 1000) / writes.rate, written, writes.body()));
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(pending);
  client.close();
  const sorted = (stream: Stream) => Float64Array.from(stream.latencies).sort();
  return {
    latencies: sorted(reads), failed: reads.failed, slowAt,
    ...(writes ? { writes: { latencies: sorted(written), failed: written.failed } } : {}),
  };
}

const RECORD = `mutation ($events: [InteractionInput!]!) { recordInteractions(events: $events) { accepted } }`;

/** One PLAY of a random demo track by a random demo listener, as of now. */
function playBody(options: Options): () => string {
  let n = 0;
  const pad = (value: number, count: number) => String(value).padStart(String(count).length, '0');
  return () => {
    n++;
    const user = `demo-u${pad(1 + Math.floor(Math.random() * options.users), options.users)}`;
    const track = `demo-t${pad(1 + Math.floor(Math.random() * options.tracks), options.tracks)}`;
    return JSON.stringify({
      query: RECORD,
      variables: { events: [{ eventId: `bench-${process.pid}-${Date.now()}-${n}`, userId: user, trackId: track, type: 'PLAY', msPlayed: 180_000 }] },
    });
  };
}

/** Starts measuring CPU time; the returned function reads what was spent since. */
function cpuMeter(serverPid: number): () => CpuSpent {
  const apiBefore = apiCpuSeconds(serverPid);
  const loadBefore = process.cpuUsage();
  return () => {
    const apiAfter = apiCpuSeconds(serverPid);
    const load = process.cpuUsage(loadBefore);
    return {
      ...(apiBefore !== undefined && apiAfter !== undefined ? { api: apiAfter - apiBefore } : {}),
      load: (load.user + load.system) / 1e6,
    };
  };
}

/** User + system CPU seconds of a process and its children (Linux /proc; undefined elsewhere). */
function apiCpuSeconds(pid: number): number | undefined {
  const ticksPerSecond = 100; // USER_HZ on Linux
  const read = (id: number): number => {
    const stat = fs.readFileSync(`/proc/${id}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = Number(fields[11]) + Number(fields[12]); // utime, stime
    let children = 0;
    for (const task of fs.readdirSync(`/proc/${id}/task`)) {
      const list = fs.readFileSync(`/proc/${id}/task/${task}/children`, 'utf8').trim();
      for (const child of list ? list.split(' ') : []) children += read(Number(child));
    }
    return own + children;
  };
  try {
    return read(pid) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/** The node arguments of a package.json script that runs "node <args…>" (start, dev). */
function nodeArguments(script: 'start' | 'dev'): string[] {
  const { scripts } = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
  const [command, ...args] = scripts[script].split(/\s+/);
  if (command !== 'node') throw new Error(`the ${script} script does not run node: ${scripts[script]}`);
  return args;
}

/**
 * Starts the API as `npm start` does (the build, then its start command) or, with
 * --from-source, as `npm run dev` does, on the bench catalogue; resolves once /ready answers 200.
 */
async function startServer(options: Options) {
  // Any flags in SERVE_NODE_FLAGS go first (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" or
  // "--trace-gc" to look inside the API processes).
  const extra = (process.env.SERVE_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  if (!options.fromSource) {
    console.log('building dist/ (npm run build) …');
    execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  }
  const child = spawn(process.execPath, [...extra, ...nodeArguments(options.fromSource ? 'dev' : 'start')], {
    env: {
      ...process.env, NODE_ENV: 'production', ADMIN_TOKEN, DATA_DIR: options.data,
      PORT: String(options.port), HOST: '127.0.0.1', SERVER_PROCESSES: String(options.processes), DEMO_TRACKS: String(options.tracks), DEMO_USERS: String(options.users),
      DEMO_ARTISTS: String(Math.max(150, Math.round(options.tracks / 7))),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`http://127.0.0.1:${options.port}/ready`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 15 * 60_000) throw new Error('the server did not become ready in 15 minutes');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return child;
}
