import type { AppInfo } from '../../shared/api/contract';
import type { ConnectionService } from '../db/ConnectionService';
import type { QueryService } from '../query/QueryService';
import type { ReviewService } from '../review/ReviewService';
import type { ModelRuntime } from '../ai/runtime/ModelRuntime';
import type { CopilotService } from '../ai/copilot/CopilotService';
import type { AppStore } from '../store/AppStore';
import type { ModelCatalog } from '../ai/models/ModelCatalog';
import type { ModelDownloader } from '../ai/download/ModelDownloader';
import { ApiError } from '../../shared/api/errors';
import { randomUUID } from 'node:crypto';
import type { Handlers } from './createDispatcher';

export interface HandlerDeps {
  info: AppInfo;
  store: AppStore;
  connections: ConnectionService;
  queries: QueryService;
  reviews: ReviewService;
  runtime: ModelRuntime;
  models: ModelCatalog;
  downloads: ModelDownloader;
  copilot: CopilotService;
}

/** One handler per method of the contract; each only delegates to a service. */
export function createHandlers({ info, store, connections, queries, reviews, runtime, models, downloads, copilot }: HandlerDeps): Handlers {
  return {
    'app.info': () => info,
    'settings.getAll': () => store.getAllSettings(),
    'settings.set': ({ key, value }) => store.setSetting(key, value),

    'connections.list': () => connections.list(),
    'connections.save': (input) => connections.save(input),
    'connections.delete': ({ id }) => connections.delete(id),
    'connections.test': (input) => connections.test(input),
    'connections.connect': ({ id }) => connections.connect(id),
    'connections.disconnect': ({ id }) => connections.disconnect(id),
    'connections.status': () => connections.statuses(),

    'schema.get': ({ connectionId, refresh }) => connections.getSchema(connectionId, refresh ?? false),
    'sql.classify': ({ connectionId, sql }) => queries.classify(connectionId, sql),

    'query.run': (input) => queries.run(input),
    'query.cancel': ({ queryId }) => queries.cancel(queryId),
    'query.results': ({ queryId }) => queries.results(queryId),
    'query.page': (input) => queries.page(input),
    'query.cell': (input) => queries.cell(input),
    'query.export': (input) => queries.exportToFile(input),
    'query.close': ({ queryId }) => queries.close(queryId),

    'history.list': (input) => store.listHistory(input),
    'history.clear': () => store.clearHistory(),
    'savedQueries.list': () => store.listSavedQueries(),
    'savedQueries.save': ({ id, name, sql, connectionId }) => {
      if (id !== undefined && !store.getSavedQuery(id)) throw new ApiError('NOT_FOUND', `No saved query with id ${id}.`);
      const saved = { id: id ?? randomUUID(), name, sql, updatedAt: new Date().toISOString(), ...(connectionId !== undefined && { connectionId }) };
      store.putSavedQuery(saved);
      return saved;
    },
    'savedQueries.delete': ({ id }) => {
      if (!store.deleteSavedQuery(id)) throw new ApiError('NOT_FOUND', `No saved query with id ${id}.`);
    },
    'tabs.list': () => store.listTabs(),
    'tabs.save': ({ tabs }) => store.replaceTabs(tabs),

    'review.start': (input) => reviews.start(input),
    'review.cancel': ({ reviewId }) => reviews.cancel(reviewId),
    'review.source': ({ reviewId, file }) => reviews.source(reviewId, file),
    'review.rules': () => reviews.rules(),

    'models.list': () => models.list(),
    'models.hardware': () => models.hardware(),
    'models.getSettings': () => models.getSettings(),
    'models.setSettings': (changes) => models.setSettings(changes),
    'models.fit': ({ modelId, settings }) => models.fit(modelId, settings),
    'models.import': ({ path, mode }) => models.import(path, mode),
    'models.delete': ({ modelId }) => models.delete(modelId),
    'models.recommended': () => models.recommended(),
    'models.download': (input) => downloads.start(input),
    'models.downloads': () => downloads.list(),
    'models.pauseDownload': ({ downloadId }) => downloads.pause(downloadId),
    'models.resumeDownload': ({ downloadId }) => downloads.resume(downloadId),
    'models.cancelDownload': ({ downloadId }) => downloads.cancel(downloadId),

    'models.load': ({ modelId, settings }) => runtime.load(modelId, settings),
    'models.unload': () => runtime.unload(),
    'models.loaded': () => runtime.loaded() ?? null,
    'ai.endpoint': () => runtime.endpointInfo(),
    'ai.setEndpoint': ({ apiKey, ...setting }) => {
      runtime.setEndpoint(setting, apiKey);
      return runtime.endpointInfo()!;
    },

    'ai.ask': ({ connectionId, question }) => copilot.ask(connectionId, question),
    'ai.explain': (input) => copilot.explain(input),
    'ai.cancel': ({ generationId }) => copilot.cancel(generationId),
  };
}
