import { ApiError, isApiErrorShape, type ApiErrorShape } from '../../shared/api/errors';
import type { MethodInput, MethodName, MethodResult, QuarryClient, StreamName, Streams } from '../../shared/api/contract';
import { httpPaths, type PreloadBridge, type WireRequest, type WireResponse } from '../../shared/api/wire';

declare global {
  interface Window {
    /** Present only in Electron, where the preload exposes it. */
    quarry?: PreloadBridge;
  }
}

type Listener = (stream: StreamName, id: string, event: unknown) => void;

const TOKEN_KEY = 'quarry.token';

/**
 * The browser door's token arrives once in the URL. It is kept in sessionStorage so a reload still works, and
 * removed from the visible URL so it does not end up in screenshots, bookmarks or shared links.
 */
export function takeToken(): string | undefined {
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    params.delete('token');
    const rest = params.toString();
    history.replaceState(history.state, '', `${location.pathname}${rest ? `?${rest}` : ''}${location.hash}`);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (isApiErrorShape(e)) return new ApiError(e.code, e.message, e.detail);
  return new ApiError('INTERNAL', e instanceof Error ? e.message : String(e));
}

/** A message fit for the user, from whatever was thrown. */
export function errorMessage(e: unknown): string {
  return toApiError(e).message;
}

export interface ConnectionState {
  connected: boolean;
  /** Why the last connection attempt or socket failed, when not connected. */
  error?: string;
}

/** The WebSocket client of the browser door. Reconnects with backoff; pending calls fail when the socket drops. */
export class WebSocketClient implements QuarryClient {
  private socket: WebSocket | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private readonly queued: WireRequest[] = [];
  private readonly listeners = new Set<Listener>();
  private readonly stateListeners = new Set<(s: ConnectionState) => void>();
  private backoffMs = 0;
  private disposed = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param url e.g. ws://127.0.0.1:PORT/api?token=T
   * @param maxBackoffMs longest wait between reconnection attempts. Defaults to 5000.
   */
  constructor(
    private readonly url: string,
    private readonly maxBackoffMs = 5000,
  ) {
    this.open();
  }

  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodResult<M>> {
    if (this.disposed) return Promise.reject(new ApiError('CONNECTION_LOST', 'The Quarry client was closed.'));
    const id = this.nextId++;
    const request: WireRequest = { type: 'call', id, method, input };
    return new Promise<MethodResult<M>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(request));
      else this.queued.push(request);
    });
  }

  on<S extends StreamName>(stream: S, listener: (id: string, event: Streams[S]) => void): () => void {
    const wrapped: Listener = (s, id, event) => {
      if (s === stream) listener(id, event as Streams[S]);
    };
    this.listeners.add(wrapped);
    return () => this.listeners.delete(wrapped);
  }

  onConnectionState(listener: (s: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.reconnectTimer);
    this.socket?.close();
    this.failPending('The Quarry client was closed.');
  }

  private open(): void {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.backoffMs = 0;
      this.emitState({ connected: true });
      for (const request of this.queued.splice(0)) socket.send(JSON.stringify(request));
    };
    socket.onmessage = (message) => this.receive(message.data);
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      const why = event.code === 1008 || event.code === 4001 ? 'Quarry refused this page (token rejected).' : 'Lost the connection to Quarry.';
      this.failPending(`${why} The call did not complete.`);
      this.emitState({ connected: false, error: why });
      if (this.disposed) return;
      this.backoffMs = Math.min(this.maxBackoffMs, this.backoffMs ? this.backoffMs * 2 : 250);
      this.reconnectTimer = setTimeout(() => this.open(), this.backoffMs);
    };
  }

  private receive(data: unknown): void {
    let message: WireResponse;
    try {
      message = JSON.parse(String(data)) as WireResponse;
    } catch {
      return;
    }
    if (message.type === 'event') {
      for (const listener of this.listeners) listener(message.stream, message.id, message.event);
      return;
    }
    const waiter = this.pending.get(message.id);
    if (!waiter) return;
    this.pending.delete(message.id);
    if (message.type === 'result') waiter.resolve(message.result);
    else waiter.reject(toApiError(message.error));
  }

  private failPending(message: string): void {
    const error: ApiErrorShape = { code: 'CONNECTION_LOST', message };
    for (const [id, waiter] of this.pending) {
      // Calls still queued were never sent: keep them for the next socket.
      if (this.queued.some((q) => q.id === id)) continue;
      this.pending.delete(id);
      waiter.reject(toApiError(error));
    }
  }

  private emitState(state: ConnectionState): void {
    for (const listener of this.stateListeners) listener(state);
  }
}

/** Wraps the Electron preload bridge into the same QuarryClient. */
export class BridgeClient implements QuarryClient {
  constructor(private readonly bridge: PreloadBridge) {}

  async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodResult<M>> {
    const fn = this.bridge.methods[method];
    if (!fn) throw new ApiError('UNKNOWN_METHOD', `The app does not offer ${method}.`);
    const response = await fn(input);
    if (response.ok) return response.result as MethodResult<M>;
    throw toApiError(response.error);
  }

  on<S extends StreamName>(stream: S, listener: (id: string, event: Streams[S]) => void): () => void {
    return this.bridge.onEvent((message) => {
      if (message.stream === stream) listener(message.id, message.event as Streams[S]);
    });
  }
}

export interface ClientHandle {
  client: QuarryClient;
  door: 'electron' | 'browser';
  /** The browser door's token, for download links; undefined in Electron. */
  token?: string;
  onConnectionState?: (listener: (s: ConnectionState) => void) => () => void;
}

export function createClient(): ClientHandle {
  if (window.quarry) return { client: new BridgeClient(window.quarry), door: 'electron' };
  const token = takeToken() ?? '';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const ws = new WebSocketClient(`${scheme}://${location.host}${httpPaths.api}?token=${encodeURIComponent(token)}`);
  return { client: ws, door: 'browser', token, onConnectionState: (l) => ws.onConnectionState(l) };
}

/** URL of the browser door's download of one result. */
export function exportUrl(token: string, queryId: string, resultIndex: number, format: 'csv' | 'json'): string {
  return `${httpPaths.export}/${encodeURIComponent(queryId)}/${resultIndex}?format=${format}&token=${encodeURIComponent(token)}`;
}
