import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { extname, join, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApiError } from '../../shared/api/errors';
import { httpPaths, type WireResponse } from '../../shared/api/wire';
import { packageRoot, type App } from '../app';
import { contentSecurityPolicy } from './contentSecurityPolicy';

export interface ServerOptions {
  app: App;
  /** TCP port on 127.0.0.1. Defaults to 0, a free port. */
  port?: number;
  /** The built renderer. Defaults to out/renderer in the package root. */
  rendererDir?: string;
  /** Largest WebSocket message accepted, in bytes. Defaults to 64 MiB. */
  maxMessageBytes?: number;
}

export interface RunningServer {
  /** The page to open, token included: http://127.0.0.1:<port>/?token=<token> */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The browser door: the built renderer over HTTP and the API over a WebSocket, on loopback only. Static
 * files are public (they hold no data); the API and downloads need the random token, and the WebSocket
 * upgrade also needs our own Origin, so no other web page the user visits can drive Quarry.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { app } = options;
  const rendererDir = resolve(options.rendererDir ?? join(packageRoot, 'out', 'renderer'));
  const token = randomBytes(32).toString('base64url');
  const tokenBytes = Buffer.from(token);
  let port = 0;
  let csp = '';

  const tokenMatches = (candidate: string | null): boolean => {
    if (!candidate) return false;
    const bytes = Buffer.from(candidate);
    return bytes.length === tokenBytes.length && timingSafeEqual(bytes, tokenBytes);
  };
  // A DNS-rebinding page reaches us under its own host name; only our loopback names are served.
  const hostAllowed = (host: string | undefined): boolean => host === `${HOST}:${port}` || host === `localhost:${port}`;
  const originAllowed = (origin: string | undefined): boolean =>
    origin === undefined || origin === `http://${HOST}:${port}` || origin === `http://localhost:${port}`;

  const setSecurityHeaders = (res: ServerResponse): void => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-store');
  };

  const sendText = (res: ServerResponse, status: number, text: string): void => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.statusCode = status;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(text);
  };

  async function serveStatic(pathname: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    let relative: string;
    try {
      relative = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
    } catch {
      return sendText(res, 400, 'Bad path.');
    }
    const file = resolve(join(rendererDir, relative));
    if (relative.includes('\0') || !file.startsWith(rendererDir + sep)) return sendText(res, 404, 'Not found.');
    let size: number;
    try {
      const info = await stat(file);
      if (!info.isFile()) return sendText(res, 404, 'Not found.');
      size = info.size;
    } catch {
      if (relative === '/index.html') {
        return sendText(res, 503, `The renderer is not built (${rendererDir} has no index.html). Run \`npm run build\`, then start quarry serve again.`);
      }
      return sendText(res, 404, 'Not found.');
    }
    res.statusCode = 200;
    res.setHeader('Content-Type', contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream');
    res.setHeader('Content-Length', size);
    if (req.method === 'HEAD') return void res.end();
    const stream = createReadStream(file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }

  async function serveExport(pathname: string, url: URL, res: ServerResponse): Promise<void> {
    if (!tokenMatches(url.searchParams.get('token'))) return sendText(res, 401, 'Missing or wrong token.');
    const parts = pathname.slice(httpPaths.export.length + 1).split('/');
    const format = url.searchParams.get('format') ?? 'csv';
    const queryId = decodeSafe(parts[0] ?? '');
    const resultIndex = Number(parts[1]);
    if (parts.length !== 2 || !queryId || !Number.isInteger(resultIndex) || resultIndex < 0) {
      return sendText(res, 400, `Expected ${httpPaths.export}/<queryId>/<resultIndex>?format=csv|json.`);
    }
    if (format !== 'csv' && format !== 'json') return sendText(res, 400, 'format must be csv or json.');
    let results;
    try {
      results = app.queries.results(queryId);
    } catch (error) {
      return sendText(res, error instanceof ApiError && error.code === 'NOT_FOUND' ? 404 : 400, messageOf(error));
    }
    if (!results.some((r) => r.index === resultIndex)) return sendText(res, 404, `Query ${queryId} has no result ${resultIndex}.`);
    res.statusCode = 200;
    res.setHeader('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="quarry-result-${resultIndex + 1}.${format}"`);
    try {
      await app.queries.exportToStream(queryId, resultIndex, format, res);
      if (!res.writableEnded) res.end();
    } catch (error) {
      if (!(error instanceof ApiError)) console.error('quarry: export failed:', error);
      // Headers may be out already; a cut connection tells the browser the download failed.
      sendText(res, 500, messageOf(error));
    }
  }

  const server = createServer((req, res) => {
    setSecurityHeaders(res);
    if (!hostAllowed(req.headers.host)) return sendText(res, 403, 'Unexpected Host header.');
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
    const pathname = url.pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendText(res, 405, 'Method not allowed.');
    }
    const work =
      pathname === httpPaths.export || pathname.startsWith(`${httpPaths.export}/`)
        ? serveExport(pathname, url, res)
        : pathname === httpPaths.api
          ? Promise.resolve(sendText(res, 426, 'Upgrade to a WebSocket.'))
          : serveStatic(pathname, req, res);
    work.catch((error: unknown) => {
      console.error('quarry: request failed:', error);
      sendText(res, 500, 'Internal error.');
    });
  });

  const maxPayload = options.maxMessageBytes ?? 64 * 1024 * 1024;
  const wss = new WebSocketServer({ noServer: true, maxPayload });
  const clients = new Set<WebSocket>();

  const refuse = (socket: Duplex, status: number, reason: string): void => {
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${reason.length}\r\n\r\n${reason}`);
  };

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
    if (url.pathname !== httpPaths.api) return refuse(socket, 404, 'Not Found');
    if (!hostAllowed(req.headers.host)) return refuse(socket, 403, 'Forbidden');
    if (!tokenMatches(url.searchParams.get('token'))) return refuse(socket, 401, 'Unauthorized');
    // Browsers always send Origin on a WebSocket; a page from anywhere else must not reach the API.
    if (!originAllowed(req.headers.origin)) return refuse(socket, 403, 'Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.on('error', () => ws.terminate());
      ws.on('message', (data, isBinary) => void onMessage(ws, isBinary ? null : data.toString()));
    });
  });

  const send = (ws: WebSocket, message: WireResponse): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };

  async function onMessage(ws: WebSocket, text: string | null): Promise<void> {
    let request: unknown;
    try {
      if (text === null) throw new Error('binary');
      request = JSON.parse(text);
    } catch {
      return send(ws, { type: 'error', id: -1, error: { code: 'BAD_INPUT', message: 'Messages must be JSON text: {"type":"call","id":<number>,"method":…,"input":…}.' } });
    }
    const r = request as { type?: unknown; id?: unknown; method?: unknown; input?: unknown } | null;
    const id = typeof r?.id === 'number' && Number.isFinite(r.id) ? r.id : -1;
    if (!r || typeof r !== 'object' || r.type !== 'call' || id === -1) {
      return send(ws, { type: 'error', id, error: { code: 'BAD_INPUT', message: 'Expected {"type":"call","id":<number>,"method":…,"input":…}.' } });
    }
    const response = await app.dispatcher.invoke(r.method, r.input);
    send(ws, response.ok ? { type: 'result', id, result: response.result ?? null } : { type: 'error', id, error: response.error });
  }

  const unsubscribe = app.dispatcher.subscribe((message) => {
    const text = JSON.stringify({ type: 'event', stream: message.stream, id: message.id, event: message.event } satisfies WireResponse);
    for (const ws of clients) {
      // A tab that stopped reading (frozen, suspended) would otherwise grow our memory without bound.
      if (ws.bufferedAmount > maxPayload) ws.terminate();
      else if (ws.readyState === ws.OPEN) ws.send(text);
    }
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => {
      server.off('error', reject);
      resolveListen();
    });
  }).catch((error: unknown) => {
    unsubscribe();
    const code = (error as NodeJS.ErrnoException).code;
    throw new ApiError('IO_ERROR', code === 'EADDRINUSE' ? `Port ${options.port} on ${HOST} is already in use.` : `Could not listen on ${HOST}: ${messageOf(error)}`);
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  csp = contentSecurityPolicy({ connectSrc: [`ws://${HOST}:${port}`] });

  let closing: Promise<void> | undefined;
  return {
    url: `http://${HOST}:${port}/?token=${token}`,
    port,
    token,
    close() {
      closing ??= new Promise<void>((done) => {
        unsubscribe();
        for (const ws of clients) ws.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => done());
      });
      return closing;
    },
  };
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return '';
  }
}

function messageOf(error: unknown): string {
  return error instanceof ApiError ? error.message : 'Internal error.';
}
