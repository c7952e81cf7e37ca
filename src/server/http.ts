/**
 * The HTTP binding: GraphQL at /graphql (and the Sandbox landing page on GET), plus
 * /health (the process is up) and /ready (ready to serve: 503 while starting or draining).
 * A plain node:http server is enough; Apollo does the GraphQL HTTP protocol itself.
 */
import http from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { RequestContext } from '../resolvers/context.js';

export type Phase = 'starting' | 'ready' | 'draining' | 'stopped';

export interface HttpOptions {
  apollo: ApolloServer<RequestContext>;
  context: (headers: http.IncomingHttpHeaders) => Promise<RequestContext>;
  phase: () => Phase;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes?: number;
  /** Idle time before the server closes a keep-alive connection (Config.keepAliveMs); Node's 5 s when unset. */
  keepAliveMs?: number;
  describe?: () => Record<string, unknown>;
}

export function createHttpServer(options: HttpOptions): http.Server {
  const maxBody = options.maxBodyBytes ?? 4 * 1024 * 1024;
  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('http handler failed:', error);
      if (!res.headersSent) sendJson(res, 500, { error: 'internal server error' });
      else res.end();
    });
  });
  if (options.keepAliveMs !== undefined) {
    server.keepAliveTimeout = options.keepAliveMs;
    // Node's advice: the headers timeout above the keep-alive one, or a slow client's next
    // request on a kept socket can be cut by the wrong timer.
    server.headersTimeout = Math.max(server.headersTimeout, options.keepAliveMs + 1000);
  }
  return server;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const { pathname, search } = splitUrl(req.url ?? '/');
    if (pathname === '/health') return sendJson(res, 200, { status: 'ok' });
    if (pathname === '/ready') {
      const phase = options.phase();
      return sendJson(res, phase === 'ready' ? 200 : 503, { phase, ...(options.describe?.() ?? {}) });
    }
    if (pathname !== '/graphql' && pathname !== '/') return sendJson(res, 404, { error: 'not found: GraphQL is at /graphql' });
    if (options.phase() !== 'ready') return sendJson(res, 503, { error: `server is ${options.phase()}` });

    const body = await readBody(req, maxBody);
    if (body === undefined) return sendJson(res, 413, { error: `request body larger than ${maxBody} bytes` });
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    let parsed: unknown = body;
    if ((req.headers['content-type'] ?? '').includes('application/json') && body.length > 0) {
      try {
        parsed = JSON.parse(body);
      } catch {
        return sendJson(res, 400, { errors: [{ message: 'request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
      }
    }
    const response = await options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search, body: parsed },
      context: () => options.context(req.headers),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }
}

/**
 * The request's path and query string ("?…" or ""). A request target is a path here (origin
 * form); an absolute URL's path is taken too, and anything else ("*") is its own path, which
 * no route has. Cheaper than a URL object on every request.
 */
export function splitUrl(target: string): { pathname: string; search: string } {
  let path = target;
  const afterScheme = path.startsWith('/') ? -1 : path.indexOf('://');
  if (afterScheme >= 0) {
    const slash = path.indexOf('/', afterScheme + 3);
    path = slash >= 0 ? path.slice(slash) : '/';
  }
  const hash = path.indexOf('#');
  if (hash >= 0) path = path.slice(0, hash);
  const question = path.indexOf('?');
  return question >= 0 ? { pathname: path.slice(0, question), search: path.slice(question) } : { pathname: path, search: '' };
}

/** The body as text, or undefined once it passes `max` bytes. Plain events: an async iterator per request cost more. */
function readBody(req: http.IncomingMessage, max: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return; // the rest is discarded; the answer (413) is already on its way
      size += chunk.length;
      if (size > max) {
        over = true;
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(value));
}
