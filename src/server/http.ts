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
  describe?: () => Record<string, unknown>;
}

export function createHttpServer(options: HttpOptions): http.Server {
  const maxBody = options.maxBodyBytes ?? 4 * 1024 * 1024;
  return http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('http handler failed:', error);
      if (!res.headersSent) sendJson(res, 500, { error: 'internal server error' });
      else res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/health') return sendJson(res, 200, { status: 'ok' });
    if (url.pathname === '/ready') {
      const phase = options.phase();
      return sendJson(res, phase === 'ready' ? 200 : 503, { phase, ...(options.describe?.() ?? {}) });
    }
    if (url.pathname !== '/graphql' && url.pathname !== '/') return sendJson(res, 404, { error: 'not found: GraphQL is at /graphql' });
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
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body: parsed },
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

async function readBody(req: http.IncomingMessage, max: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(value));
}
