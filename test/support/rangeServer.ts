/**
 * A local HTTP server on 127.0.0.1 for download tests, the e2e and the bench: real sockets, real Range handling.
 *
 * - GET|HEAD /files/<name>            the file; Range → 206 with Content-Range, ETag + Last-Modified, If-Range, 416
 * - /no-range/<name>                  the file, ignoring Range (always 200 and the whole body)
 * - /redirect/<n>/<path>              n 302 hops, then /<path>
 * - /loop/a, /loop/b                  redirect to each other forever
 * - /hf/<name>?sha256=H               302 to /files/<name> with `X-Linked-Etag: "H"`, as Hugging Face's resolve URLs do
 * - /status/<code>                    answers that status (404, 403, 500 …) with a short body
 * - /stall/<name>?after=N             headers for the whole file, N bytes, then silence with the socket open
 * - /slow/<name>?bps=N                the file at about N bytes per second
 * - anything else                     404
 * cutNext(name, after) makes the next GET of /files/<name> (or /no-range/<name>) send `after` body bytes and then close the connection.
 *
 * Standalone (the bench runs it in its own process so it does not share an event loop with the client):
 *   node --import tsx test/support/rangeServer.ts <folder>   serves each file of <folder> under /files/, prints
 *   {"url": "http://127.0.0.1:PORT"} on one line, and stops on SIGTERM or when stdin closes.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ServedFile = Buffer | { path: string };

export interface RecordedRequest {
  method: string;
  path: string;
  range?: string;
  ifRange?: string;
  status: number;
  /** Body bytes the server handed to the socket. */
  bytesSent: number;
}

export interface RangeServer {
  /** http://127.0.0.1:<port>, no trailing slash. */
  url: string;
  /** Every request, in order of arrival. */
  requests: RecordedRequest[];
  /** Adds or replaces a file; a replaced file gets a new ETag and Last-Modified, so If-Range fails on it. */
  setFile(name: string, file: ServedFile): void;
  /** The next GET of /files/<name> or /no-range/<name> sends `after` body bytes, then closes the connection. */
  cutNext(name: string, after: number): void;
  stop(): Promise<void>;
}

interface Served {
  file: ServedFile;
  size: number;
  etag: string;
  lastModified: string;
}

export async function startRangeServer(files: Record<string, ServedFile> = {}): Promise<RangeServer> {
  const served = new Map<string, Served>();
  const cuts = new Map<string, number>();
  const requests: RecordedRequest[] = [];
  let version = 0;

  const setFile = (name: string, file: ServedFile): void => {
    version++;
    const size = Buffer.isBuffer(file) ? file.length : statSync(file.path).size;
    const tag = Buffer.isBuffer(file)
      ? createHash('sha1').update(file).digest('hex').slice(0, 16)
      : `${size.toString(16)}-${Math.round(statSync(file.path).mtimeMs).toString(16)}`;
    // Whole seconds, as HTTP dates have; each version a later second so If-Range by date tells them apart.
    const lastModified = new Date(Date.UTC(2026, 0, 1) + version * 1000).toUTCString();
    served.set(name, { file, size, etag: `"${tag}-${version}"`, lastModified });
  };
  for (const [name, file] of Object.entries(files)) setFile(name, file);

  const server = createServer((req, res) => {
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      ...(req.headers.range !== undefined && { range: req.headers.range }),
      ...(typeof req.headers['if-range'] === 'string' && { ifRange: req.headers['if-range'] }),
      status: 0,
      bytesSent: 0,
    };
    requests.push(record);
    try {
      handle(req, res, record);
    } catch (error) {
      res.statusCode = 500;
      res.end(String(error));
    }
    record.status = res.statusCode;
  });

  const handle = (req: IncomingMessage, res: ServerResponse, record: RecordedRequest): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const [, route, ...rest] = url.pathname.split('/');
    const name = decodeURIComponent(rest.join('/'));
    switch (route) {
      case 'files':
      case 'no-range':
      case 'stall':
      case 'slow': {
        const file = served.get(name);
        if (!file) return notFound(res);
        const honourRange = route !== 'no-range';
        let start = 0;
        let end = file.size - 1;
        res.setHeader('ETag', file.etag);
        res.setHeader('Last-Modified', file.lastModified);
        if (honourRange) res.setHeader('Accept-Ranges', 'bytes');
        const range = honourRange ? parseRange(req.headers.range, file.size) : undefined;
        const ifRange = req.headers['if-range'];
        const rangeApplies = range !== undefined && (ifRange === undefined || ifRange === file.etag || ifRange === file.lastModified);
        if (rangeApplies && range === 'unsatisfiable') {
          res.writeHead(416, { 'Content-Range': `bytes */${file.size}` });
          return void res.end();
        }
        if (rangeApplies && range !== 'unsatisfiable') {
          [start, end] = range;
          res.statusCode = 206;
          res.setHeader('Content-Range', `bytes ${start}-${end}/${file.size}`);
        } else {
          res.statusCode = 200;
        }
        res.setHeader('Content-Type', 'application/octet-stream');
        res.setHeader('Content-Length', String(end - start + 1));
        if (req.method === 'HEAD') return void res.end();
        if (route === 'stall') return sendThenStall(res, file, start, end, Number(url.searchParams.get('after') ?? '0'), record);
        if (route === 'slow') return sendSlowly(res, file, start, end, Number(url.searchParams.get('bps') ?? '10000'), record);
        const cut = route === 'files' || route === 'no-range' ? cuts.get(name) : undefined;
        if (cut !== undefined) {
          cuts.delete(name);
          return sendThenCut(res, file, start, Math.min(end, start + cut - 1), record);
        }
        return sendRange(res, file, start, end, record);
      }
      case 'redirect': {
        const hops = Number(rest[0]);
        const target = hops > 1 ? `/redirect/${hops - 1}/${rest.slice(1).join('/')}` : `/${rest.slice(1).join('/')}`;
        res.writeHead(302, { Location: target });
        return void res.end();
      }
      case 'hf':
        res.writeHead(302, { Location: `/files/${rest.join('/')}`, 'X-Linked-Etag': `"${url.searchParams.get('sha256') ?? ''}"` });
        return void res.end();
      case 'loop':
        res.writeHead(302, { Location: rest[0] === 'a' ? '/loop/b' : '/loop/a' });
        return void res.end();
      case 'status': {
        const code = Number(rest[0]);
        res.writeHead(code >= 200 && code <= 599 ? code : 400, { 'Content-Type': 'text/plain' });
        return void res.end(`status ${code}\n`);
      }
      default:
        return notFound(res);
    }
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setFile,
    cutNext: (name, after) => void cuts.set(name, after),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain' });
  res.end('not found\n');
}

/** One `bytes=a-b`, `bytes=a-` or `bytes=-n` range; anything else is ignored, as RFC 9110 allows. */
function parseRange(header: string | undefined, size: number): [number, number] | 'unsatisfiable' | undefined {
  const m = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const n = Number(m[2]);
    return n === 0 ? 'unsatisfiable' : [Math.max(0, size - n), size - 1];
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return [start, end];
}

function sendRange(res: ServerResponse, file: Served, start: number, end: number, record: RecordedRequest): void {
  if (Buffer.isBuffer(file.file)) {
    record.bytesSent = end - start + 1;
    return void res.end(file.file.subarray(start, end + 1));
  }
  const stream = createReadStream(file.file.path, { start, end, highWaterMark: 1 << 20 });
  stream.on('data', (chunk) => (record.bytesSent += chunk.length));
  stream.pipe(res);
  res.on('close', () => stream.destroy());
}

function slice(file: Served, start: number, end: number): Buffer {
  if (Buffer.isBuffer(file.file)) return file.file.subarray(start, end + 1);
  const bytes = Buffer.alloc(Math.max(0, end - start + 1));
  const fd = openSync(file.file.path, 'r');
  try {
    readSync(fd, bytes, 0, bytes.length, start);
  } finally {
    closeSync(fd);
  }
  return bytes;
}

function sendThenCut(res: ServerResponse, file: Served, start: number, end: number, record: RecordedRequest): void {
  const bytes = slice(file, start, end);
  res.write(bytes, () => {
    record.bytesSent = bytes.length;
    // Flush what was written, then close: the client sees fewer bytes than Content-Length said.
    res.socket?.end();
    setTimeout(() => res.socket?.destroy(), 50);
  });
}

function sendThenStall(res: ServerResponse, file: Served, start: number, end: number, after: number, record: RecordedRequest): void {
  const bytes = slice(file, start, Math.min(end, start + after - 1));
  record.bytesSent = bytes.length;
  if (bytes.length > 0) res.write(bytes);
  else res.flushHeaders();
  // Nothing more: the client's stall timeout must notice. stop() closes the socket.
}

function sendSlowly(res: ServerResponse, file: Served, start: number, end: number, bytesPerSecond: number, record: RecordedRequest): void {
  const step = Math.max(1, Math.round(bytesPerSecond / 10));
  let at = start;
  const timer = setInterval(() => {
    const chunk = slice(file, at, Math.min(end, at + step - 1));
    at += chunk.length;
    record.bytesSent += chunk.length;
    if (at > end) {
      clearInterval(timer);
      res.end(chunk);
    } else {
      res.write(chunk);
    }
  }, 100);
  res.on('close', () => clearInterval(timer));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const folder = process.argv[2];
  if (!folder) {
    process.stderr.write('usage: node --import tsx test/support/rangeServer.ts <folder>\n');
    process.exit(2);
  }
  const files: Record<string, ServedFile> = {};
  for (const name of readdirSync(folder)) files[name] = { path: join(folder, name) };
  const server = await startRangeServer(files);
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  const stop = (): void => void server.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
}
