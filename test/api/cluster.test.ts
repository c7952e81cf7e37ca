/**
 * `SERVER_PROCESSES=2 npm start` for real — the build (`prestart`), then package.json's start
 * command on the compiled dist/ — a primary and two API processes on one port, and a play
 * stored through one process changes what the other recommends at once.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOKEN = 'cluster-test-token-0123456789';

/** The fields these tests read from either operation's answer. */
interface Answer {
  recommendations: { items: { targetId: string }[] };
  recordInteractions: { accepted: number };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** One keep-alive connection: every request on it reaches the same API process. */
function connection(port: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const request = (method: string, pathname: string, body?: unknown) =>
    new Promise<{ status: number; json: Record<string, unknown> }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method, path: pathname, agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` } }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> }));
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  return {
    pid: async () => (await request('GET', '/ready')).json.pid as number,
    graphql: async (query: string, variables: Record<string, unknown>) => {
      const { json } = await request('POST', '/graphql', { query, variables });
      if (json.errors) throw new Error(JSON.stringify(json.errors));
      return json.data as Answer;
    },
    close: () => agent.destroy(),
  };
}

/** The node arguments of package.json's `start` script ("node <args…>"). */
function startArguments(): string[] {
  const { scripts } = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
  const [command, ...args] = scripts.start.split(/\s+/);
  if (command !== 'node') throw new Error(`the start script does not run node: ${scripts.start}`);
  return args;
}

const RECOMMEND = 'query ($u: ID!) { recommendations(userId: $u, limit: 10) { items { targetId } } }';
const RECORD = 'mutation ($e: [InteractionInput!]!) { recordInteractions(events: $e) { accepted } }';

describe('cluster mode (SERVER_PROCESSES=2)', () => {
  let dir: string;
  let port: number;
  let child: ChildProcess;
  let output = '';

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixtape-cluster-'));
    port = await freePort();
    execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'pipe' });
    child = spawn(process.execPath, startArguments(), {
      env: {
        ...process.env, NODE_ENV: 'production', ADMIN_TOKEN: TOKEN, DATA_DIR: dir, HOST: '127.0.0.1', PORT: String(port),
        SERVER_PROCESSES: '2', DEMO_USERS: '40', DEMO_ARTISTS: '60', DEMO_TRACKS: '400', DEMO_DAYS: '7', MODEL_SYNC_SECONDS: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const started = Date.now();
    while (!output.includes('Mixtape ready at')) {
      if (child.exitCode !== null) throw new Error(`the cluster exited early:\n${output}`);
      if (Date.now() - started > 120_000) throw new Error(`the cluster did not start in 120 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 240_000);

  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves from two processes, and a play stored by one leaves the other’s recommendations', async () => {
    expect(output).toContain('(2 API processes)');
    // Open connections until two different processes answer (the primary deals them out).
    const connections = new Map<number, ReturnType<typeof connection>>();
    for (let attempt = 0; attempt < 20 && connections.size < 2; attempt++) {
      const c = connection(port);
      const pid = await c.pid();
      if (connections.has(pid)) c.close();
      else connections.set(pid, c);
    }
    expect(connections.size).toBe(2);
    const [first, second] = [...connections.values()];
    const user = 'demo-u01';
    const top = (await first.graphql(RECOMMEND, { u: user })).recommendations.items[0].targetId;
    // The second process now caches this listener's history; only the relay can update it.
    expect((await second.graphql(RECOMMEND, { u: user })).recommendations.items.map((i) => i.targetId)).toContain(top);
    const event = { eventId: 'cluster-play-1', userId: user, trackId: top, type: 'PLAY', msPlayed: 200_000 };
    expect((await first.graphql(RECORD, { e: [event] })).recordInteractions.accepted).toBe(1);
    const seenBySecond = async () => (await second.graphql(RECOMMEND, { u: user })).recommendations.items.some((i) => i.targetId === top);
    await expect.poll(seenBySecond, { timeout: 2000, interval: 100 }).toBe(false);
    for (const c of connections.values()) c.close();
  }, 30_000);

  it('drains every process and exits 0 on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 30_000);
});
