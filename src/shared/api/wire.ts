import type { ApiErrorShape } from './errors';
import type { MethodName, StreamName } from './contract';

/**
 * Messages of the browser door's WebSocket (`ws://127.0.0.1:<port>/api?token=<token>`) and, with the same
 * shapes, of Electron IPC. Requests carry a per-connection numeric id; events carry the stream's own id.
 */
export type WireRequest = { type: 'call'; id: number; method: MethodName; input: unknown };

export type WireResponse =
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; error: ApiErrorShape }
  | { type: 'event'; stream: StreamName; id: string; event: unknown };

/** Electron IPC channel names. */
export const ipcChannels = {
  call: 'quarry:call',
  event: 'quarry:event',
} as const;

/** HTTP paths of the browser door. */
export const httpPaths = {
  api: '/api',
  /** GET /export/<queryId>/<resultIndex>?format=csv|json&token=… streams a result as a download. */
  export: '/export',
} as const;

/** What one bridged Electron call resolves to; IPC would drop an Error's own fields, so errors travel as data. */
export type BridgeResponse = { ok: true; result: unknown } | { ok: false; error: ApiErrorShape };

/**
 * What the preload exposes as `window.quarry`: one function per API method (never a raw ipcRenderer),
 * and one event subscription. The renderer's api.ts wraps it into a QuarryClient.
 */
export interface PreloadBridge {
  methods: { [M in MethodName]: (input: unknown) => Promise<BridgeResponse> };
  onEvent(listener: (message: { stream: StreamName; id: string; event: unknown }) => void): () => void;
  /**
   * The real path of a file or folder dropped on the window (Electron's webUtils.getPathForFile), so review.start
   * can read it where it lies; '' for a File that is not on disk. Absent in the browser door, which uploads instead.
   */
  pathForFile?(file: File): string;
}
