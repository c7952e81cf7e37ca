/** A few tests through real HTTP: the binding, the landing page, health and auth headers. */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MixtapeApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { splitUrl } from '../../src/server/http.js';
import { ADMIN_TOKEN, createTestApp } from '../helpers/app.js';
import { seedFixtures, userId } from '../helpers/fixtures.js';

describe('HTTP binding', () => {
  let app: MixtapeApp;
  let url: string;
  beforeAll(async () => {
    app = await createTestApp({ seed: seedFixtures });
    url = await app.listen();
  });
  afterAll(() => app.close());

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
  const json = async (response: Response | Promise<Response>): Promise<any> => (await response).json();

  it('serves a query with the listener from x-user-id', async () => {
    const response = await post({ query: '{ me { id } }' }, { 'x-user-id': userId(3) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { me: { id: userId(3) } } });
  });

  it('applies access rules per header: listener, admin token, bad token', async () => {
    const asListener = await json(post({ query: '{ users(first: 1) { edges { node { id } } } }' }, { 'x-user-id': userId(3) }));
    expect(asListener.errors[0].extensions.code).toBe('FORBIDDEN');
    const asAdmin = await json(post({ query: '{ users(first: 1) { edges { node { id } } } }' }, { authorization: `Bearer ${ADMIN_TOKEN}` }));
    expect(asAdmin.data.users.edges).toHaveLength(1);
    const badToken = await post({ query: '{ __typename }' }, { authorization: 'Bearer wrong' });
    expect(badToken.status).toBe(401);
    expect((await json(badToken)).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('answers malformed requests with a 400 and a code, and keeps serving', async () => {
    const garbled = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(garbled.status).toBe(400);
    const syntax = await post({ query: '{ track(id: ' });
    expect(syntax.status).toBe(400);
    expect((await json(syntax)).errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    const unknownField = await post({ query: '{ nothing }' });
    expect((await json(unknownField)).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await post({ query: '{ __typename }' })).status).toBe(200);
  });

  it('shows Apollo Sandbox to a browser outside production', async () => {
    const response = await fetch(url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('sandbox');
  });

  it('reports health and readiness', async () => {
    const base = url.replace('/graphql', '');
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ phase: 'ready', store: 'embedded', execution: 'in-process' });
    expect((await fetch(`${base}/health?probe=1`)).status).toBe(200);
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
  });

  it('passes the query string to GraphQL (GET queries)', async () => {
    const response = await fetch(`${url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('refuses a body over the limit with a 413, and keeps serving', async () => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }', padding: 'x'.repeat(5 * 1024 * 1024) }) });
    expect(response.status).toBe(413);
    expect((await post({ query: '{ __typename }' })).status).toBe(200);
  });
});

describe('keep-alive connections', () => {
  /** Sends one GET /health on the socket and resolves with the response head's lines. */
  const ask = (socket: net.Socket) => new Promise<string[]>((resolve, reject) => {
    socket.once('data', (chunk) => resolve(chunk.toString('latin1').split('\r\n\r\n')[0].split('\r\n')));
    socket.once('error', reject);
    socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n');
  });

  it('keeps an idle connection open for HTTP_KEEP_ALIVE_MS and says so, then closes it', async () => {
    const app = await createTestApp({ env: { HTTP_KEEP_ALIVE_MS: '2000' } });
    try {
      const { port } = new URL(await app.listen());
      const socket = net.connect(Number(port), '127.0.0.1');
      const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now())));
      const head = await ask(socket);
      expect(head[0]).toBe('HTTP/1.1 200 OK');
      // Clients that read the header drop the socket before the server does.
      expect(head).toContain('Keep-Alive: timeout=2');
      // Idle for 1.2 s, longer than Node's default would allow at this scale: still served.
      await new Promise((resolve) => setTimeout(resolve, 1200));
      const idleFrom = Date.now();
      expect((await ask(socket))[0]).toBe('HTTP/1.1 200 OK');
      const closedAt = await Promise.race([closed, new Promise<number>((resolve) => setTimeout(() => resolve(-1), 8000))]);
      expect(closedAt).toBeGreaterThanOrEqual(idleFrom + 2000);
    } finally {
      await app.close();
    }
  });

  it('defaults to 65 s, above the 60 s idle timeout of common load balancers', () => {
    expect(loadConfig({}).keepAliveMs).toBe(65_000);
  });
});

describe('splitUrl', () => {
  it('splits a request target into path and query string', () => {
    expect(splitUrl('/graphql')).toEqual({ pathname: '/graphql', search: '' });
    expect(splitUrl('/graphql?query=%7B%7D&x=1')).toEqual({ pathname: '/graphql', search: '?query=%7B%7D&x=1' });
    expect(splitUrl('/health#top')).toEqual({ pathname: '/health', search: '' });
    expect(splitUrl('http://localhost:4000/ready?full=1')).toEqual({ pathname: '/ready', search: '?full=1' });
    expect(splitUrl('http://localhost:4000')).toEqual({ pathname: '/', search: '' });
    expect(splitUrl('*')).toEqual({ pathname: '*', search: '' });
  });
});
