/**
 * A lean HTTP/1.1 client for the paced (open-loop) serving benchmark: up to `connections`
 * keep-alive sockets to one server, each request written as one pre-built buffer and each
 * answer read by its Content-Length (or chunked framing), nothing more.
 *
 * Why not node:http's Agent: the load generator shares the machine's two cores with the API,
 * and node:http's client spent ≈ 0.25 ms of CPU per request here (undici's Pool the same),
 * twice what autocannon — which also writes raw requests to sockets — spends in the closed
 * loop. CPU the generator burns is taken from the server it measures.
 */
import net from 'node:net';

export interface Answer {
  status: number;
  body: string;
}

interface Pending {
  request: Buffer;
  resolve: (answer: Answer | undefined) => void;
}

const HEADER_END = Buffer.from('\r\n\r\n');

class Connection {
  readonly socket: net.Socket;
  private current: Pending | undefined;
  private received: Buffer[] = [];
  private size = 0;
  /** Bytes of head + body of the current answer once the head is read, or -1 while chunked. */
  private expected: number | undefined;
  private status = 0;
  private headLength = 0;
  closed = false;

  constructor(host: string, port: number, private readonly idle: (connection: Connection) => void) {
    this.socket = net.connect(port, host);
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => this.read(chunk));
    const fail = () => {
      if (this.closed) return;
      this.closed = true;
      const pending = this.current;
      this.current = undefined;
      pending?.resolve(undefined);
      this.idle(this);
    };
    this.socket.on('error', fail);
    this.socket.on('close', fail);
  }

  get busy(): boolean {
    return this.current !== undefined;
  }

  send(pending: Pending): void {
    this.current = pending;
    this.received = [];
    this.size = 0;
    this.expected = undefined;
    this.socket.write(pending.request);
  }

  private read(chunk: Buffer): void {
    this.received.push(chunk);
    this.size += chunk.length;
    if (this.expected === undefined) {
      const all = this.received.length === 1 ? chunk : Buffer.concat(this.received);
      const end = all.indexOf(HEADER_END);
      if (end < 0) return;
      this.received = [all];
      this.headLength = end + 4;
      const head = all.toString('latin1', 0, end);
      this.status = Number(head.slice(9, 12));
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      this.expected = length ? this.headLength + Number(length[1]) : -1;
    }
    const all = this.received.length === 1 ? this.received[0] : Buffer.concat(this.received);
    this.received = [all];
    let body: string;
    if (this.expected >= 0) {
      if (this.size < this.expected) return;
      body = all.toString('utf8', this.headLength, this.expected);
    } else {
      const decoded = dechunk(all, this.headLength);
      if (decoded === undefined) return;
      body = decoded;
    }
    const pending = this.current!;
    this.current = undefined;
    pending.resolve({ status: this.status, body });
    this.idle(this);
  }
}

/** Posts JSON bodies to one URL over at most `connections` keep-alive sockets, queueing the rest. */
export class PacedClient {
  private readonly connections: Connection[] = [];
  private readonly queue: Pending[] = [];
  private readonly head: string;
  private readonly host: string;
  private readonly port: number;

  constructor(url: string, headers: Record<string, string>, private readonly maxConnections: number) {
    const target = new URL(url);
    this.host = target.hostname;
    this.port = Number(target.port || 80);
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
    this.head = `POST ${target.pathname}${target.search} HTTP/1.1\r\nhost: ${target.host}\r\nconnection: keep-alive\r\n${lines}`;
  }

  /** The answer, or undefined when the connection failed. */
  post(body: string): Promise<Answer | undefined> {
    const payload = Buffer.from(body, 'utf8');
    const request = Buffer.concat([Buffer.from(`${this.head}content-length: ${payload.length}\r\n\r\n`, 'latin1'), payload]);
    return new Promise((resolve) => {
      const pending = { request, resolve };
      const free = this.connections.find((c) => !c.busy && !c.closed);
      if (free) return free.send(pending);
      this.prune();
      if (this.connections.length < this.maxConnections) {
        const connection = new Connection(this.host, this.port, (c) => this.next(c));
        this.connections.push(connection);
        return connection.send(pending);
      }
      this.queue.push(pending);
    });
  }

  close(): void {
    this.queue.length = 0;
    for (const c of this.connections) c.socket.destroy();
    this.connections.length = 0;
  }

  /** A connection finished an answer (or closed): it takes the next queued request, or a new one does. */
  private next(connection: Connection): void {
    const pending = this.queue.shift();
    if (!pending) return;
    if (!connection.closed) return connection.send(pending);
    this.prune();
    const fresh = new Connection(this.host, this.port, (c) => this.next(c));
    this.connections.push(fresh);
    fresh.send(pending);
  }

  private prune(): void {
    for (let i = this.connections.length - 1; i >= 0; i--) if (this.connections[i].closed) this.connections.splice(i, 1);
  }
}

/** The body of a chunked answer starting at `from`, or undefined while its last chunk has not arrived. */
function dechunk(all: Buffer, from: number): string | undefined {
  const parts: Buffer[] = [];
  let at = from;
  for (;;) {
    const lineEnd = all.indexOf('\r\n', at, 'latin1');
    if (lineEnd < 0) return undefined;
    const size = parseInt(all.toString('latin1', at, lineEnd), 16);
    if (size === 0) return all.length >= lineEnd + 4 ? Buffer.concat(parts).toString('utf8') : undefined;
    if (all.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(all.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}
