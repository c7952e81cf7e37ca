/** The serving bench's lean HTTP client: framing, queueing past its connections, failures. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PacedClient } from '../../bench/paced-client.js';

describe('PacedClient', () => {
  let server: http.Server;
  let url: string;
  let open = 0;
  let peak = 0;
  let connections = 0;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (text += chunk));
      req.on('end', () => {
        const { mode, echo, wait } = JSON.parse(text) as { mode: string; echo: string; wait?: number };
        open++;
        peak = Math.max(peak, open);
        setTimeout(() => {
          open--;
          if (mode === 'chunked') {
            res.write(`{"echo":"${echo.slice(0, 3)}`);
            res.end(`${echo.slice(3)}","header":"${req.headers['x-probe']}"}`);
          } else if (mode === 'status') {
            res.statusCode = 503;
            res.end('busy');
          } else if (mode === 'drop') {
            req.socket.destroy();
          } else {
            res.end(JSON.stringify({ echo, header: req.headers['x-probe'] }));
          }
        }, wait ?? 0);
      });
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reads answers framed by length and by chunks, with multi-byte text, and sends its headers', async () => {
    const client = new PacedClient(url, { 'content-type': 'application/json', 'x-probe': 'yes' }, 2);
    const echo = 'héllo ✓ '.repeat(5000);
    const plain = await client.post(JSON.stringify({ mode: 'plain', echo }));
    expect(plain?.status).toBe(200);
    expect(JSON.parse(plain!.body)).toEqual({ echo, header: 'yes' });
    const chunked = await client.post(JSON.stringify({ mode: 'chunked', echo: 'abcdef' }));
    expect(chunked?.status).toBe(200);
    expect(JSON.parse(chunked!.body)).toEqual({ echo: 'abcdef', header: 'yes' });
    expect((await client.post(JSON.stringify({ mode: 'status', echo: '' })))?.status).toBe(503);
    client.close();
  });

  it('keeps at most its connections open and queues the rest, answering every request once', async () => {
    peak = 0;
    connections = 0;
    const client = new PacedClient(url, { 'content-type': 'application/json' }, 3);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => client.post(JSON.stringify({ mode: 'plain', echo: `n${i}`, wait: 5 }))));
    expect(answers.map((a) => JSON.parse(a!.body).echo)).toEqual(Array.from({ length: 20 }, (_, i) => `n${i}`));
    expect(peak).toBe(3);
    expect(connections).toBe(3);
    client.close();
  });

  it('reports a dropped connection as no answer and goes on with a new one', async () => {
    const client = new PacedClient(url, { 'content-type': 'application/json' }, 1);
    const [dropped, after] = await Promise.all([
      client.post(JSON.stringify({ mode: 'drop', echo: '' })),
      client.post(JSON.stringify({ mode: 'plain', echo: 'still here' })),
    ]);
    expect(dropped).toBeUndefined();
    expect(JSON.parse(after!.body).echo).toBe('still here');
    client.close();
  });
});
