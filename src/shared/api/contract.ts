import { z } from 'zod';
import { connectionConfigSchema, connectionSecretsSchema } from '../domain/connection';
import type { ConnectionInfo, ConnectionStatus } from '../domain/connection';
import type { SchemaModel } from '../domain/SchemaModel';
import type {
  CellValue,
  EditorTab,
  HistoryEntry,
  QueryEvent,
  ResultSetSummary,
  SavedQuery,
  StatementClassification,
} from '../domain/query';
import type { DownloadState, FitEstimate, GenerationEvent, HardwareInfo, LoadedModel, ModelFile, ModelSettings, RecommendedModel } from '../domain/models';
import { reviewUploadLimits, type ReviewEvent, type RuleDoc } from '../domain/review';

/** A method: the zod schema its input must pass at the door, and (as a phantom) the type of its result. */
export interface MethodDef<I extends z.ZodType, R> {
  input: I;
  /** Never read at run time; carries the result type. */
  result?: R;
}
const method = <R>() => <I extends z.ZodType>(input: I): MethodDef<I, R> => ({ input });

const id = z.string().min(1).max(200);
const empty = z.object({}).strict();

export const editorTabSchema = z.object({
  id,
  title: z.string().max(200),
  sql: z.string().max(20_000_000),
  connectionId: id.optional(),
  position: z.number().int().min(0),
  savedQueryId: id.optional(),
  dirty: z.boolean(),
});

export const modelSettingsSchema = z.object({
  gpuLayers: z.union([z.literal('auto'), z.literal('off'), z.number().int().min(0).max(1000)]),
  contextSize: z.union([z.literal('auto'), z.number().int().min(128).max(1_048_576)]),
  threads: z.union([z.literal('auto'), z.number().int().min(1).max(512)]),
  batchSize: z.number().int().min(1).max(65_536),
  flashAttention: z.boolean(),
  idleUnloadMinutes: z.number().min(0).max(10_080),
}) satisfies z.ZodType<ModelSettings>;

export const sortSchema = z.object({ column: z.number().int().min(0), direction: z.enum(['asc', 'desc']) });

export interface AppInfo {
  version: string;
  door: 'electron' | 'browser';
  dataDir: string;
  platform: string;
}

/** The `ai.endpoint` setting as the UI may see it. */
export interface AiEndpointInfo {
  enabled: boolean;
  baseUrl: string;
  model: string;
  /** Tokens the served model holds; defaults to 8192. */
  contextSize?: number;
  /** Whether an API key is stored (sealed); the key itself never leaves the main process. */
  hasApiKey: boolean;
}

export interface TestResult {
  ok: true;
  serverVersion: string;
  latencyMs: number;
  readOnly: boolean;
}

export interface ResultPage {
  offset: number;
  rows: CellValue[][];
  /** Rows spooled so far; grows while the query runs. */
  total: number;
  done: boolean;
  /** [row within `rows`, column] of each string cut to the page's text limit; `query.cell` gives it whole. */
  truncated?: [number, number][];
}

/**
 * The one contract between the renderer (or CLI, or tests) and the main-process services.
 * Names are `area.verb`. Every door validates input against `input` before a handler sees it.
 */
export const methods = {
  'app.info': method<AppInfo>()(empty),
  'settings.getAll': method<Record<string, unknown>>()(empty),
  'settings.set': method<void>()(z.object({ key: z.string().min(1).max(100), value: z.unknown() })),

  'connections.list': method<ConnectionInfo[]>()(empty),
  /** Create (no id) or update. Secrets left undefined keep what is stored; '' clears them. */
  'connections.save': method<ConnectionInfo>()(
    z.object({ id: id.optional(), config: connectionConfigSchema, secrets: connectionSecretsSchema.optional() }),
  ),
  'connections.delete': method<void>()(z.object({ id })),
  /** Test a saved connection (id), or an unsaved config with its secrets. */
  'connections.test': method<TestResult>()(
    z.union([
      z.object({ id }),
      z.object({ config: connectionConfigSchema, secrets: connectionSecretsSchema.optional(), id: id.optional() }),
    ]),
  ),
  'connections.connect': method<ConnectionStatus>()(z.object({ id })),
  'connections.disconnect': method<void>()(z.object({ id })),
  'connections.status': method<ConnectionStatus[]>()(empty),

  'schema.get': method<SchemaModel>()(z.object({ connectionId: id, refresh: z.boolean().optional() })),

  'sql.classify': method<StatementClassification[]>()(
    z.object({ connectionId: id, sql: z.string().max(50_000_000) }),
  ),

  /** Starts running; events follow on the 'query' stream under the returned queryId. */
  'query.run': method<{ queryId: string }>()(
    z.object({
      connectionId: id,
      sql: z.string().min(1).max(50_000_000),
      /** Offset of `sql` in the editor text, so error positions map back to the editor. */
      baseOffset: z.number().int().min(0).optional(),
      /** The user confirmed the destructive statements that sql.classify reported. */
      confirmDestructive: z.boolean().optional(),
      tabId: id.optional(),
    }),
  ),
  'query.cancel': method<void>()(z.object({ queryId: id })),
  'query.results': method<ResultSetSummary[]>()(z.object({ queryId: id })),
  'query.page': method<ResultPage>()(
    z.object({
      queryId: id,
      resultIndex: z.number().int().min(0),
      offset: z.number().int().min(0),
      limit: z.number().int().min(1).max(10_000),
      sort: sortSchema.optional(),
    }),
  ),
  /** The whole value of one cell, for the long-value and JSON viewers. */
  'query.cell': method<{ value: CellValue; text: string }>()(
    z.object({ queryId: id, resultIndex: z.number().int().min(0), row: z.number().int().min(0), column: z.number().int().min(0), sort: sortSchema.optional() }),
  ),
  /** Stream a result to a file on the main side (Electron save dialog or CLI). The browser door downloads instead. */
  'query.export': method<{ path: string; rows: number; bytes: number }>()(
    z.object({ queryId: id, resultIndex: z.number().int().min(0), format: z.enum(['csv', 'json']), path: z.string().min(1) }),
  ),
  'query.close': method<void>()(z.object({ queryId: id })),

  'history.list': method<HistoryEntry[]>()(
    z.object({ search: z.string().max(1000).optional(), connectionId: id.optional(), limit: z.number().int().min(1).max(1000).default(200) }),
  ),
  'history.clear': method<void>()(empty),
  'savedQueries.list': method<SavedQuery[]>()(empty),
  'savedQueries.save': method<SavedQuery>()(
    z.object({ id: id.optional(), name: z.string().min(1).max(200), sql: z.string().max(20_000_000), connectionId: id.optional() }),
  ),
  'savedQueries.delete': method<void>()(z.object({ id })),
  'tabs.list': method<EditorTab[]>()(empty),
  /** Replace the stored set of open tabs. */
  'tabs.save': method<void>()(z.object({ tabs: z.array(editorTabSchema).max(500) })),

  /**
   * Starts reviewing a migration folder, file or zip; events follow on the 'review' stream under the returned
   * reviewId. A path is read where the main process runs (Electron's drop and picker, the CLI); files are what the
   * browser door's drop uploads: each path relative to the dropped folder, its bytes in base64.
   */
  'review.start': method<{ reviewId: string }>()(
    z.object({
      source: z.union([
        z.object({ kind: z.literal('path'), path: z.string().min(1).max(4096) }),
        z.object({
          kind: z.literal('files'),
          name: z.string().min(1).max(255),
          files: z.array(z.object({ path: z.string().min(1).max(4096), base64: z.string().max(150_000_000) })).min(1).max(reviewUploadLimits.files),
        }),
      ]),
      dialect: z.enum(['postgres', 'mysql', 'sqlite']).optional(),
      serverVersion: z.string().max(40).optional(),
      /** A saved connection: impact analysis by read-only queries, and where the proof runs. */
      connectionId: id.optional(),
      /** Prove each up/down pair in a sandbox. Defaults to false. */
      prove: z.boolean().optional(),
    }),
  ),
  'review.cancel': method<void>()(z.object({ reviewId: id })),
  /** The text of one file of a finished review, for its read-only editor. */
  'review.source': method<{ text: string }>()(z.object({ reviewId: id, file: z.string().min(1).max(4096) })),
  'review.rules': method<RuleDoc[]>()(empty),

  /** The models directory (the `models.dir` setting, defaulting to <dataDir>/models) and the GGUF models in it. */
  'models.list': method<{ dir: string; models: ModelFile[] }>()(empty),
  'models.hardware': method<HardwareInfo>()(empty),
  /** The saved load settings (ModelSettings, its defaults filled in). */
  'models.getSettings': method<ModelSettings>()(empty),
  'models.setSettings': method<ModelSettings>()(modelSettingsSchema.partial()),
  /** Whether a model fits with the saved settings, or with these, before loading it. */
  'models.fit': method<FitEstimate>()(z.object({ modelId: id, settings: modelSettingsSchema.partial().optional() })),
  /** Copy or link a GGUF file (or the first part of a multi-part one) into the models directory. */
  'models.import': method<ModelFile>()(z.object({ path: z.string().min(1).max(4096), mode: z.enum(['copy', 'link']).default('copy') })),
  'models.delete': method<void>()(z.object({ modelId: id })),
  'models.recommended': method<RecommendedModel[]>()(empty),
  /**
   * Starts downloading into the models directory: a Hugging Face URL, an `hf:owner/repo/file.gguf` URI, any
   * HTTP(S) URL, or a recommended model's id. State follows on the 'download' stream under the downloadId.
   */
  'models.download': method<{ downloadId: string }>()(
    z.union([
      z.object({ url: z.string().min(1).max(4096), sha256: z.string().regex(/^[0-9a-fA-F]{64}$/).optional(), file: z.string().min(1).max(255).optional() }),
      z.object({ recommendedId: id }),
    ]),
  ),
  /** Every download this run and every paused or unfinished one from earlier runs, which can resume. */
  'models.downloads': method<DownloadState[]>()(empty),
  'models.pauseDownload': method<void>()(z.object({ downloadId: id })),
  'models.resumeDownload': method<void>()(z.object({ downloadId: id })),
  /** Stops and deletes the partial file. */
  'models.cancelDownload': method<void>()(z.object({ downloadId: id })),
  /** Loads the chat model (unloading the one held); refuses with the estimate when it does not fit. */
  'models.load': method<LoadedModel>()(z.object({ modelId: id, settings: modelSettingsSchema.partial().optional() })),
  'models.unload': method<void>()(empty),
  'models.loaded': method<LoadedModel | null>()(empty),

  /**
   * Natural language to SQL for a connection; never runs it. Events follow on the 'generation' stream: tokens,
   * failed attempts, then the suggestion or an error (NO_MODEL when none is loaded).
   */
  'ai.ask': method<{ generationId: string }>()(z.object({ connectionId: id, question: z.string().min(1).max(20_000) })),
  /** Explain a query, or the error it gave, and propose a fix; events on the 'generation' stream. */
  'ai.explain': method<{ generationId: string }>()(
    z.object({ connectionId: id.optional(), sql: z.string().min(1).max(1_000_000), error: z.string().max(20_000).optional() }),
  ),
  'ai.cancel': method<void>()(z.object({ generationId: id })),
  /** The optional OpenAI-compatible endpoint, or null when none is configured. Its API key is never returned. */
  'ai.endpoint': method<AiEndpointInfo | null>()(empty),
  /**
   * Saves the endpoint. It answers AI requests only while `enabled` is true (and models.loaded then says provider
   * 'openai'). `apiKey`: a string sets it (sealed, never in settings), null removes it, absent keeps it.
   */
  'ai.setEndpoint': method<AiEndpointInfo>()(
    z.object({
      enabled: z.boolean(),
      baseUrl: z.string().min(1).max(2000),
      model: z.string().min(1).max(500),
      contextSize: z.number().int().min(256).max(1_048_576).optional(),
      apiKey: z.string().max(4096).nullable().optional(),
    }),
  ),
};

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodParsedInput<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodResult<M extends MethodName> = Methods[M] extends MethodDef<z.ZodType, infer R> ? R : never;

/** Event streams. Each event carries the id of the thing it belongs to (a query, a connection). */
export interface Streams {
  query: QueryEvent;
  connectionStatus: ConnectionStatus;
  review: ReviewEvent;
  download: DownloadState;
  generation: GenerationEvent;
}
export type StreamName = keyof Streams;

export interface StreamMessage<S extends StreamName = StreamName> {
  stream: S;
  id: string;
  event: Streams[S];
}

/** The typed client every door offers the renderer. */
export interface QuarryClient {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodResult<M>>;
  /** Subscribe to one stream; returns the unsubscribe function. */
  on<S extends StreamName>(stream: S, listener: (id: string, event: Streams[S]) => void): () => void;
}

export function isMethodName(x: unknown): x is MethodName {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(methods, x);
}
