import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppInfo } from '../shared/api/contract';
import { createDispatcher, type Dispatcher } from './api/createDispatcher';
import { createHandlers } from './api/handlers';
import { ConnectionService } from './db/ConnectionService';
import { createDriver } from './db/createDriver';
import type { DriverFactory } from './db/Driver';
import { generateDemoDb } from './demo/generateDemoDb';
import { LlamaRuntime } from './ai/runtime/LlamaRuntime';
import { ModelRuntime } from './ai/runtime/ModelRuntime';
import { CopilotService } from './ai/copilot/CopilotService';
import { disposeSharedLlama } from './ai/models/sharedLlama';
import { ModelCatalog } from './ai/models/ModelCatalog';
import { ModelDownloader } from './ai/download/ModelDownloader';
import { QueryService } from './query/QueryService';
import { ReviewService } from './review/ReviewService';
import { KeyFileSecretBox } from './secrets/KeyFileSecretBox';
import type { SecretBox } from './secrets/SecretBox';
import { AppStore } from './store/AppStore';

export interface AppOptions {
  /** Where quarry.db, secret.key and a generated demo database live. */
  dataDir: string;
  /** Where shipped resources (demo.sqlite) are looked for. */
  resourcesDir: string;
  door: 'electron' | 'browser' | 'cli';
  /** Defaults to a KeyFileSecretBox with its key in `<dataDir>/secret.key`. */
  secretBox?: SecretBox;
  /** Defaults to the version in package.json. */
  version?: string;
  /** Opens driver sessions. Defaults to createDriver (the real drivers). */
  createDriver?: DriverFactory;
  /** Add the built-in demo connection on first start. Defaults to true. */
  demo?: boolean;
  /** A fixed models directory that wins over the `models.dir` setting. Defaults to the setting, else `<dataDir>/models`. */
  modelsDir?: string;
}

/** The services of one running Quarry, whatever the door. */
export interface App {
  readonly options: AppOptions;
  readonly store: AppStore;
  readonly secretBox: SecretBox;
  readonly connections: ConnectionService;
  readonly queries: QueryService;
  readonly reviews: ReviewService;
  /** The models directory, model metadata, hardware, load settings and fit estimates. */
  readonly models: ModelCatalog;
  /** Verified, resumable downloads into the models directory. */
  readonly downloads: ModelDownloader;
  /** The chat model (or the enabled OpenAI-compatible endpoint) behind one TextGenerator, with cache and audit. */
  readonly runtime: ModelRuntime;
  /** Ask (natural language to SQL) and Explain/fix, on the 'generation' stream; never runs what the model writes. */
  readonly copilot: CopilotService;
  readonly dispatcher: Dispatcher;
  readonly info: AppInfo;
  /** Disposes in reverse order of creation: reviews, queries, connections (closing drivers), store. Idempotent. */
  dispose(): Promise<void>;
}

/** The composition root: every door builds its services here and nowhere else. */
export async function createApp(options: AppOptions): Promise<App> {
  const store = new AppStore({ dataDir: options.dataDir });
  const cleanups: (() => Promise<void> | void)[] = [() => store.dispose()];
  const disposeAll = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        console.error('quarry: error while shutting down:', error);
      }
    }
  };
  try {
    const secretBox = options.secretBox ?? new KeyFileSecretBox(join(options.dataDir, 'secret.key'));
    const info: AppInfo = {
      version: options.version ?? packageVersion(),
      // The contract knows two UI doors; the CLI serves the same API as the browser door does.
      door: options.door === 'electron' ? 'electron' : 'browser',
      dataDir: options.dataDir,
      platform: process.platform,
    };
    // Handlers need the services and the services need the dispatcher's emit, so events go through this late-bound sink.
    const events: { sink?: Dispatcher } = {};
    const connections = new ConnectionService({
      store,
      secretBox,
      createDriver: options.createDriver ?? createDriver,
      emitStatus: (status) => events.sink?.emit({ stream: 'connectionStatus', id: status.connectionId, event: status }),
    });
    cleanups.push(() => connections.dispose());
    if (options.demo ?? true) connections.ensureDemoConnection({ resourcesDir: options.resourcesDir, dataDir: options.dataDir, generateDemoDb });

    // A fixed folder, so spools left by a crashed process are found and deleted at the next start.
    const spoolDir = join(options.dataDir, 'spool');
    mkdirSync(spoolDir, { recursive: true });
    const queries = new QueryService({
      getDriver: (id) => connections.getDriver(id),
      recordHistory: (entry) => store.addHistory(entry),
      emit: (queryId, event) => events.sink?.emit({ stream: 'query', id: queryId, event }),
      spoolDir,
    });
    cleanups.push(() => queries.dispose());

    const reviews = new ReviewService({
      dataDir: options.dataDir,
      connections,
      emit: (reviewId, event) => events.sink?.emit({ stream: 'review', id: reviewId, event }),
    });
    cleanups.push(() => reviews.dispose());

    const models = new ModelCatalog({
      store,
      dataDir: options.dataDir,
      resourcesDir: options.resourcesDir,
      ...(options.modelsDir !== undefined && { modelsDir: options.modelsDir }),
    });
    cleanups.push(() => models.dispose());

    const downloads = new ModelDownloader({
      modelsDir: () => models.dir(),
      emit: (state) => events.sink?.emit({ stream: 'download', id: state.downloadId, event: state }),
      findRecommended: (id) => models.recommended().find((m) => m.id === id),
      // A split model's sha256 is of its parts together, which the per-part hashes are not: only single files.
      onFinished: async (files) => {
        if (files.length === 1 && files[0]!.file.endsWith('.gguf')) await models.recordSha256(files[0]!.file, files[0]!.sha256).catch(() => undefined);
      },
      userAgent: `Quarry/${info.version}`,
    });
    cleanups.push(() => downloads.dispose());

    // The process's one llama.cpp backend goes after every model on it has been unloaded.
    cleanups.push(() => disposeSharedLlama());
    const runtime = new ModelRuntime({
      store,
      secretBox,
      local: new LlamaRuntime(),
      catalog: models,
    });
    cleanups.push(() => runtime.dispose());

    const copilot = new CopilotService({
      generator: runtime,
      getSchema: (id) => connections.getSchema(id),
      emit: (generationId, event) => events.sink?.emit({ stream: 'generation', id: generationId, event }),
    });
    cleanups.push(() => copilot.dispose());

    const dispatcher = createDispatcher(createHandlers({ info, store, connections, queries, reviews, runtime, models, downloads, copilot }));
    events.sink = dispatcher;
    return { options, store, secretBox, connections, queries, reviews, models, downloads, runtime, copilot, dispatcher, info, dispose: disposeAll };
  } catch (error) {
    await disposeAll();
    throw error;
  }
}

/** The package root (two levels above src/main/ and above out/main/). */
export const packageRoot = join(import.meta.dirname, '..', '..');

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
