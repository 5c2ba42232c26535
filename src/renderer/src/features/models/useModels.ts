import { useCallback, useEffect, useRef, useState } from 'react';
import type { DownloadState, HardwareInfo, LoadedModel, ModelFile, ModelSettings, RecommendedModel } from '../../../../shared/domain/models';
import { errorMessage } from '../../api';
import { useClient } from '../../app/ClientContext';

export interface ModelsData {
  dir?: string;
  models?: ModelFile[];
  hardware?: HardwareInfo;
  settings?: ModelSettings;
  recommended?: RecommendedModel[];
  loaded?: LoadedModel | null;
  /** By downloadId, in the order they were first seen. */
  downloads: Map<string, DownloadState>;
  /** Per part that failed to load, what went wrong; the rest of the screen still works. */
  errors: Partial<Record<'list' | 'hardware' | 'settings' | 'recommended' | 'loaded' | 'downloads', string>>;
}

/** Download states that no longer change. */
export const finishedDownload = (s: DownloadState['status']) => s === 'done' || s === 'failed' || s === 'cancelled';

/**
 * Everything the Models screen shows, fetched once when it first opens and kept current: the 'download' stream
 * updates each download, and a finished one re-reads the models directory so the new model appears.
 */
export function useModels(active: boolean) {
  const client = useClient();
  const [data, setData] = useState<ModelsData>({ downloads: new Map(), errors: {} });
  const started = useRef(false);

  const fetchPart = useCallback(
    async <K extends keyof ModelsData['errors']>(part: K, get: () => Promise<Partial<ModelsData>>) => {
      try {
        const value = await get();
        setData((d) => ({ ...d, ...value, errors: { ...d.errors, [part]: undefined } }));
      } catch (e) {
        setData((d) => ({ ...d, errors: { ...d.errors, [part]: errorMessage(e) } }));
      }
    },
    [],
  );

  const refreshList = useCallback(
    () => fetchPart('list', async () => {
      const { dir, models } = await client.call('models.list', {});
      return { dir, models };
    }),
    [client, fetchPart],
  );
  const refreshLoaded = useCallback(() => fetchPart('loaded', async () => ({ loaded: await client.call('models.loaded', {}) })), [client, fetchPart]);

  const refreshAll = useCallback(() => {
    void refreshList();
    void refreshLoaded();
    void fetchPart('hardware', async () => ({ hardware: await client.call('models.hardware', {}) }));
    void fetchPart('settings', async () => ({ settings: await client.call('models.getSettings', {}) }));
    void fetchPart('recommended', async () => ({ recommended: await client.call('models.recommended', {}) }));
    void fetchPart('downloads', async () => {
      const list = await client.call('models.downloads', {});
      return { downloads: new Map(list.map((d) => [d.downloadId, d])) };
    });
  }, [client, fetchPart, refreshList, refreshLoaded]);

  useEffect(() => {
    if (!active || started.current) return;
    started.current = true;
    refreshAll();
  }, [active, refreshAll]);

  useEffect(
    () =>
      client.on('download', (downloadId, event) => {
        setData((d) => ({ ...d, downloads: new Map(d.downloads).set(downloadId, { ...event, downloadId }) }));
        if (event.status === 'done') void refreshList();
      }),
    [client, refreshList],
  );

  /** A download just started: shown at once, before its first event arrives. */
  const addDownload = useCallback((state: DownloadState) => {
    setData((d) => (d.downloads.has(state.downloadId) ? d : { ...d, downloads: new Map(d.downloads).set(state.downloadId, state) }));
  }, []);

  const setSettings = useCallback((settings: ModelSettings) => setData((d) => ({ ...d, settings })), []);
  const setLoaded = useCallback((loaded: LoadedModel | null) => setData((d) => ({ ...d, loaded })), []);

  return { data, refreshAll, refreshList, refreshLoaded, addDownload, setSettings, setLoaded };
}
