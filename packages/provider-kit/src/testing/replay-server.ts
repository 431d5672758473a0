import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

/** A recorded HTTP response: status, headers, body (verbatim, e.g. an SSE transcript). */
export interface RecordedResponse {
  /** HTTP status code. */
  readonly status: number;
  /** Response headers (lowercase names). */
  readonly headers: { readonly [name: string]: string };
  /** The body, exactly as recorded. */
  readonly body: string;
}

/** A request the replay server received. */
export interface ReplayedRequest {
  /** The fixture it was answered with. */
  readonly fixture: string;
  /** HTTP method. */
  readonly method: string;
  /** Path after the fixture prefix, e.g. `/v1/messages`. */
  readonly path: string;
  /** Request headers. */
  readonly headers: IncomingHttpHeaders;
  /** The body, parsed as JSON when it is JSON (else the raw text). */
  readonly body: unknown;
}

/** How a fixture is replayed. */
export interface ReplayOptions {
  /** Keep the connection open after the body, until the client goes away (for abort tests). */
  readonly stall?: boolean;
  /**
   * Write the body in slices of this many bytes (default 29: odd on purpose, so SSE lines, JSON
   * and multi-byte characters are split across chunks as on a real network).
   */
  readonly chunkSize?: number;
}

/** A local HTTP server replaying recorded responses, for provider tests without network. */
export interface ReplayServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /**
   * The base URL that answers every request with `fixture` (a file name in the fixtures directory,
   * without `.http`). The provider appends its own path (`/v1/messages`, `/chat/completions`).
   */
  baseURL(fixture: string, options?: ReplayOptions): string;
  /** Every request received, in order. */
  readonly requests: readonly ReplayedRequest[];
  /** Stop the server and drop open connections. */
  close(): Promise<void>;
}

/**
 * Parse a recorded response: a status line (`HTTP/1.1 429 Too Many Requests`), header lines, an
 * empty line, then the body verbatim.
 */
export function parseRecordedResponse(text: string): RecordedResponse {
  // The head may use CRLF or LF; the body is kept byte for byte (line endings matter to SSE parsers).
  const split = /\r?\n\r?\n/.exec(text);
  const head = (split ? text.slice(0, split.index) : text).replace(/\r\n/g, '\n');
  const body = split ? text.slice(split.index + split[0].length) : '';
  const [statusLine = '', ...headerLines] = head.split('\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (!match) throw new Error(`recorded response must start with "HTTP/1.1 <status>", got "${statusLine}"`);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(match[1]), headers, body };
}

/**
 * Start a replay server on 127.0.0.1 (a free port) serving the `.http` recordings in
 * `fixturesDir`. Each request is answered with the fixture named in its URL prefix (see
 * `baseURL`), so concurrent tests do not interfere.
 */
export async function startReplayServer(fixturesDir: string | URL): Promise<ReplayServer> {
  const dir = typeof fixturesDir === 'string' ? fixturesDir : fileURLToPath(fixturesDir);
  const cache = new Map<string, RecordedResponse>();
  const load = (name: string): RecordedResponse => {
    let recorded = cache.get(name);
    if (!recorded) {
      recorded = parseRecordedResponse(readFileSync(`${dir.replace(/\/$/, '')}/${name}.http`, 'utf8'));
      cache.set(name, recorded);
    }
    return recorded;
  };
  const requests: ReplayedRequest[] = [];
  const sockets = new Set<Socket>();

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      // URL layout: /<fixture>/<stall|full>/<chunkSize>/<provider path>
      const [, fixture = '', mode = 'full', size = '29', ...rest] = (req.url ?? '/').split('/');
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = raw;
      try {
        body = raw === '' ? undefined : JSON.parse(raw);
      } catch {
        // Not JSON: keep the raw text.
      }
      requests.push({
        fixture,
        method: req.method ?? 'GET',
        path: `/${rest.join('/')}`,
        headers: req.headers,
        body,
      });
      let recorded: RecordedResponse;
      try {
        recorded = load(decodeURIComponent(fixture));
      } catch (error) {
        res.writeHead(599, { 'content-type': 'text/plain' });
        res.end(`replay server: no fixture "${fixture}": ${String(error)}`);
        return;
      }
      res.writeHead(recorded.status, recorded.headers);
      const bytes = Buffer.from(recorded.body, 'utf8');
      const chunkSize = Math.max(1, Number(size) || 29);
      let offset = 0;
      const writeNext = () => {
        if (res.destroyed) return;
        if (offset >= bytes.length) {
          if (mode !== 'stall') res.end();
          return;
        }
        res.write(bytes.subarray(offset, offset + chunkSize));
        offset += chunkSize;
        setImmediate(writeNext);
      };
      writeNext();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string')
    throw new Error('replay server did not get a TCP port');
  const url = `http://127.0.0.1:${address.port}`;

  return {
    url,
    baseURL(fixture, options = {}) {
      return `${url}/${encodeURIComponent(fixture)}/${options.stall ? 'stall' : 'full'}/${options.chunkSize ?? 29}`;
    },
    requests,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
