import { useCallback, useImperativeHandle, useMemo, useRef, useState, type Ref } from 'react';
import { defaultModelSettings, type DownloadState, type RecommendedModel } from '../../../../shared/domain/models';
import { formatBytes } from '../../../../shared/format/formatBytes';
import { errorMessage } from '../../api';
import { useClient } from '../../app/ClientContext';
import { Dialog } from '../../app/Dialog';
import { DownloadItem } from './DownloadItem';
import { EndpointForm } from './EndpointForm';
import { InstalledModelItem } from './InstalledModelItem';
import { gpuLabel } from './modelFormat';
import { ModelSettingsForm } from './ModelSettingsForm';
import { draftFromSettings, settingsFromDraft, type SettingsDraft } from './settingsDraft';
import { finishedDownload, useModels } from './useModels';
import './models.css';

export interface ModelsScreenHandle {
  /** A file dropped on the window while this screen shows: imported when the door can tell its path. */
  importDropped(path: string | undefined, name: string): void;
}

interface ModelsScreenProps {
  ref?: Ref<ModelsScreenHandle>;
  /** Whether the screen shows; it fetches on first show only. */
  active: boolean;
}

type Notice = { kind: 'ok' | 'error'; text: string } | undefined;

/** The Models screen: hardware, load settings with per-model estimates, installed models, import, downloads. */
export function ModelsScreen({ ref, active }: ModelsScreenProps) {
  const client = useClient();
  const { data, refreshAll, refreshList, refreshLoaded, addDownload, setSettings, setLoaded } = useModels(active);
  const saved = data.settings ?? defaultModelSettings;
  const [draft, setDraft] = useState<SettingsDraft | undefined>();
  const shownDraft = draft ?? draftFromSettings(saved);
  const parsed = settingsFromDraft(shownDraft);
  const draftSettings = parsed.ok ? parsed.settings : undefined;
  const dirty = draft !== undefined && JSON.stringify(draftSettings) !== JSON.stringify(saved);
  const [saving, setSaving] = useState(false);
  const [settingsMessage, setSettingsMessage] = useState<Notice>();
  const [busy, setBusy] = useState(false);
  const [modelNotice, setModelNotice] = useState<Notice>();
  const [confirmDelete, setConfirmDelete] = useState<string | undefined>();
  const [importPath, setImportPath] = useState('');
  const [importMode, setImportMode] = useState<'copy' | 'link'>('copy');
  const [importing, setImporting] = useState(false);
  const [importNotice, setImportNotice] = useState<Notice>();
  const [url, setUrl] = useState('');
  const [sha256, setSha256] = useState('');
  const [downloadNotice, setDownloadNotice] = useState<Notice>();
  const fileInput = useRef<HTMLInputElement>(null);

  const saveSettings = async () => {
    if (!draftSettings) return;
    setSaving(true);
    setSettingsMessage(undefined);
    try {
      const result = await client.call('models.setSettings', draftSettings);
      setSettings(result);
      setDraft(undefined);
      setSettingsMessage({ kind: 'ok', text: 'Saved. They apply the next time a model loads.' });
    } catch (e) {
      setSettingsMessage({ kind: 'error', text: `Not saved: ${errorMessage(e)}` });
    } finally {
      setSaving(false);
    }
  };

  const load = async (modelId: string) => {
    setBusy(true);
    setModelNotice({ kind: 'ok', text: `Loading ${modelId}…` });
    try {
      const loaded = await client.call('models.load', { modelId, ...(draftSettings ? { settings: draftSettings } : {}) });
      setLoaded(loaded);
      setModelNotice({ kind: 'ok', text: `${modelId} is loaded.` });
    } catch (e) {
      setModelNotice({ kind: 'error', text: `Could not load ${modelId}: ${errorMessage(e)}` });
      void refreshLoaded();
    } finally {
      setBusy(false);
    }
  };

  const unload = async () => {
    setBusy(true);
    try {
      await client.call('models.unload', {});
      setLoaded(null);
      setModelNotice({ kind: 'ok', text: 'The model is unloaded.' });
    } catch (e) {
      setModelNotice({ kind: 'error', text: `Could not unload: ${errorMessage(e)}` });
    } finally {
      setBusy(false);
    }
  };

  const remove = async (modelId: string) => {
    setConfirmDelete(undefined);
    setBusy(true);
    try {
      await client.call('models.delete', { modelId });
      setModelNotice({ kind: 'ok', text: `${modelId} is deleted.` });
    } catch (e) {
      setModelNotice({ kind: 'error', text: `Could not delete ${modelId}: ${errorMessage(e)}` });
    } finally {
      setBusy(false);
      void refreshList();
    }
  };

  const importFile = useCallback(
    async (path: string, mode: 'copy' | 'link') => {
      setImporting(true);
      setImportNotice({ kind: 'ok', text: `${mode === 'copy' ? 'Copying' : 'Linking'} ${path}…` });
      try {
        const model = await client.call('models.import', { path, mode });
        setImportNotice({ kind: 'ok', text: `Imported ${model.id}.` });
        setImportPath('');
      } catch (e) {
        setImportNotice({ kind: 'error', text: `Could not import ${path}: ${errorMessage(e)}` });
      } finally {
        setImporting(false);
        void refreshList();
      }
    },
    [client, refreshList],
  );

  const noPath = (name: string) =>
    setImportNotice({
      kind: 'error',
      text: `This window cannot see where ${name} lies on disk (browsers hide file paths). Type its path below, or use the desktop app.`,
    });

  useImperativeHandle(
    ref,
    () => ({
      importDropped(path, name) {
        if (path) void importFile(path, importMode);
        else noPath(name);
      },
    }),
    [importFile, importMode],
  );

  const picked = (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    const path = window.quarry?.pathForFile?.(file);
    if (path) setImportPath(path);
    else noPath(file.name);
  };

  const startDownload = async (input: { url: string; sha256?: string } | { recommendedId: string }, label: string) => {
    setDownloadNotice(undefined);
    try {
      const { downloadId } = await client.call('models.download', input);
      addDownload({
        downloadId,
        url: 'url' in input ? input.url : label,
        file: label,
        status: 'queued',
        receivedBytes: 0,
        bytesPerSecond: 0,
      });
      if ('url' in input) {
        setUrl('');
        setSha256('');
      }
    } catch (e) {
      setDownloadNotice({ kind: 'error', text: `Could not start the download of ${label}: ${errorMessage(e)}` });
    }
  };

  const downloadAction = (d: DownloadState, action: 'models.pauseDownload' | 'models.resumeDownload' | 'models.cancelDownload') => {
    client.call(action, { downloadId: d.downloadId }).catch((e) => setDownloadNotice({ kind: 'error', text: `${d.file}: ${errorMessage(e)}` }));
  };

  const installedIds = useMemo(() => new Set((data.models ?? []).map((m) => m.id)), [data.models]);
  const downloads = [...data.downloads.values()].reverse();
  const hw = data.hardware;
  const loaded = data.loaded;

  return (
    <section className="models" role="region" aria-label="Models">
      <header className="models-header">
        <h1>Models</h1>
        <span className="dim">Local models run on this machine; nothing you ask leaves it.</span>
        <span className="spacer" />
        <button type="button" onClick={refreshAll}>
          Refresh
        </button>
      </header>
      <div className="models-body">
        <div className="models-column">
          <section className="models-card" aria-label="Loaded model">
            <h2>Loaded model</h2>
            {loaded ? (
              <p role="status" className="loaded-line">
                <strong>{loaded.modelId}</strong>{' '}
                <span className="dim">
                  · {loaded.provider === 'openai' ? 'OpenAI-compatible endpoint' : loaded.gpu ? `${gpuLabel(loaded.gpu)}, ${loaded.gpuLayers} layers on the GPU` : 'CPU'} · context{' '}
                  {loaded.contextSize.toLocaleString('en-US')} · {loaded.threads} {loaded.threads === 1 ? 'thread' : 'threads'}
                </span>{' '}
                <button type="button" onClick={unload} disabled={busy}>
                  Unload
                </button>
              </p>
            ) : (
              <p role="status" className="dim">
                {loaded === null ? 'No model is loaded. Load one below to use Ask and Explain.' : data.errors.loaded ? `Unknown: ${data.errors.loaded}` : 'Checking…'}
              </p>
            )}
            {modelNotice && (
              <p className={`models-notice ${modelNotice.kind}`} role={modelNotice.kind === 'error' ? 'alert' : 'status'}>
                {modelNotice.text}
              </p>
            )}
          </section>

          <section className="models-card" aria-label="Installed models">
            <h2>Installed models</h2>
            <p className="dim models-dir">
              Folder: <code>{data.dir ?? '…'}</code>
            </p>
            {data.errors.list && <p className="models-notice error" role="alert">Could not read the models folder: {data.errors.list}</p>}
            {data.models && data.models.length === 0 && <p className="dim">No models yet. Download a recommended one, or import a GGUF file.</p>}
            <ul className="model-list" aria-label="Installed models">
              {(data.models ?? []).map((m) => (
                <InstalledModelItem
                  key={m.id}
                  model={m}
                  settings={draftSettings}
                  loaded={loaded}
                  busy={busy}
                  onLoad={() => void load(m.id)}
                  onUnload={() => void unload()}
                  onDelete={() => setConfirmDelete(m.id)}
                />
              ))}
            </ul>
          </section>

          <section className="models-card" aria-label="Import a model">
            <h2>Import a model</h2>
            <p className="dim">Drop a .gguf file anywhere on this screen, choose one, or type its path.</p>
            <form
              className="import-form"
              aria-label="Import"
              onSubmit={(e) => {
                e.preventDefault();
                if (importPath.trim()) void importFile(importPath.trim(), importMode);
              }}
            >
              <input aria-label="Path to a GGUF file" placeholder="/path/to/model.gguf" value={importPath} onChange={(e) => setImportPath(e.target.value)} maxLength={4096} />
              <button type="button" onClick={() => fileInput.current?.click()}>
                Choose file…
              </button>
              <input ref={fileInput} type="file" hidden accept=".gguf" aria-label="GGUF file to import" onChange={(e) => picked(e.target)} />
              <div role="radiogroup" aria-label="Import mode" className="import-mode">
                <label>
                  <input type="radio" name="import-mode" checked={importMode === 'copy'} onChange={() => setImportMode('copy')} />
                  <span>Copy into the models folder</span>
                </label>
                <label>
                  <input type="radio" name="import-mode" checked={importMode === 'link'} onChange={() => setImportMode('link')} />
                  <span>Link (leave the file where it is)</span>
                </label>
              </div>
              <button type="submit" className="primary" disabled={importing || !importPath.trim()}>
                {importing ? 'Importing…' : 'Import'}
              </button>
            </form>
            {importNotice && (
              <p className={`models-notice ${importNotice.kind}`} role={importNotice.kind === 'error' ? 'alert' : 'status'}>
                {importNotice.text}
              </p>
            )}
          </section>
        </div>

        <div className="models-column">
          <section className="models-card" aria-label="Hardware">
            <h2>Hardware</h2>
            {data.errors.hardware && <p className="models-notice error" role="alert">{data.errors.hardware}</p>}
            {hw && (
              <dl className="model-meta" aria-label="Hardware details">
                <dt>GPU</dt>
                <dd>
                  {gpuLabel(hw.gpu)}
                  {hw.gpuNames.length > 0 && ` — ${hw.gpuNames.join(', ')}`}
                </dd>
                {hw.gpu && (
                  <>
                    <dt>VRAM</dt>
                    <dd>
                      {formatBytes(hw.vramFreeBytes)} free of {formatBytes(hw.vramTotalBytes)}
                    </dd>
                  </>
                )}
                <dt>RAM</dt>
                <dd>
                  {formatBytes(hw.ramFreeBytes)} free of {formatBytes(hw.ramTotalBytes)}
                </dd>
                <dt>CPU cores</dt>
                <dd>
                  {hw.cpuCores} ({hw.defaultThreads} {hw.defaultThreads === 1 ? 'thread' : 'threads'} on auto)
                </dd>
              </dl>
            )}
          </section>

          <section className="models-card" aria-label="Settings">
            <h2>Load settings</h2>
            {data.errors.settings && <p className="models-notice error" role="alert">Showing the defaults: {data.errors.settings}</p>}
            <ModelSettingsForm
              draft={shownDraft}
              onChange={(d) => {
                setDraft(d);
                setSettingsMessage(undefined);
              }}
              problems={parsed.ok ? [] : parsed.problems}
              dirty={dirty || (draft !== undefined && !parsed.ok)}
              saving={saving}
              message={settingsMessage}
              onSave={() => void saveSettings()}
              onRevert={() => setDraft(undefined)}
            />
          </section>

          <section className="models-card" aria-label="Downloads">
            <h2>Downloads</h2>
            <form
              className="download-form"
              aria-label="Download a model"
              onSubmit={(e) => {
                e.preventDefault();
                const u = url.trim();
                if (!u) return;
                const sum = sha256.trim();
                if (sum && !/^[0-9a-fA-F]{64}$/.test(sum)) {
                  setDownloadNotice({ kind: 'error', text: 'SHA-256: give the 64 hex digits of the checksum, or leave it empty.' });
                  return;
                }
                // Shown under this name until the download's first event says where it lands.
                void startDownload({ url: u, ...(sum ? { sha256: sum } : {}) }, u.split(/[?#]/)[0]!.split(/[/:]/).pop() || u);
              }}
            >
              <input aria-label="Model URL" placeholder="https://…/model.gguf or hf:owner/repo/file.gguf" value={url} onChange={(e) => setUrl(e.target.value)} maxLength={4096} />
              <input aria-label="SHA-256 (optional)" placeholder="SHA-256 (optional)" value={sha256} onChange={(e) => setSha256(e.target.value)} maxLength={64} className="sha-input" />
              <button type="submit" className="primary" disabled={!url.trim()}>
                Download
              </button>
            </form>
            {downloadNotice && (
              <p className={`models-notice ${downloadNotice.kind}`} role="alert">
                {downloadNotice.text}
              </p>
            )}
            {data.errors.downloads && <p className="models-notice error" role="alert">{data.errors.downloads}</p>}
            {downloads.length > 0 && (
              <ul className="download-list" aria-label="Downloads">
                {downloads.map((d) => (
                  <DownloadItem
                    key={d.downloadId}
                    download={d}
                    onPause={() => downloadAction(d, 'models.pauseDownload')}
                    onResume={() => downloadAction(d, 'models.resumeDownload')}
                    onCancel={() => downloadAction(d, 'models.cancelDownload')}
                  />
                ))}
              </ul>
            )}
          </section>

          <section className="models-card" aria-label="Endpoint">
            <h2>OpenAI-compatible endpoint</h2>
            <p className="dim">Optional: a server on this machine or your network (llama-server, Ollama, LM Studio) instead of a model loaded here.</p>
            <EndpointForm active={active} onSaved={() => void refreshLoaded()} />
          </section>

          <section className="models-card" aria-label="Recommended models">
            <h2>Recommended</h2>
            {data.errors.recommended && <p className="models-notice error" role="alert">{data.errors.recommended}</p>}
            <ul className="recommended-list" aria-label="Recommended models">
              {(data.recommended ?? []).map((r) => (
                <RecommendedItem
                  key={r.id}
                  model={r}
                  installed={r.files.some((f) => installedIds.has(f.path))}
                  downloading={downloads.some((d) => !finishedDownload(d.status) && r.files.some((f) => d.file === f.path))}
                  ramTotalBytes={hw?.ramTotalBytes}
                  onDownload={() => void startDownload({ recommendedId: r.id }, r.files[0]?.path ?? r.name)}
                />
              ))}
            </ul>
          </section>
        </div>
      </div>
      {confirmDelete && (
        <Dialog
          title="Delete model"
          size="small"
          onClose={() => setConfirmDelete(undefined)}
          footer={
            <>
              <span className="spacer" />
              <button type="button" onClick={() => setConfirmDelete(undefined)}>
                Keep it
              </button>
              <button type="button" className="danger" onClick={() => void remove(confirmDelete)}>
                Delete
              </button>
            </>
          }
        >
          <p>
            Delete <strong>{confirmDelete}</strong> from the models folder? A linked model only loses its link; the file it points to stays.
          </p>
        </Dialog>
      )}
    </section>
  );
}

function RecommendedItem({
  model,
  installed,
  downloading,
  ramTotalBytes,
  onDownload,
}: {
  model: RecommendedModel;
  installed: boolean;
  downloading: boolean;
  ramTotalBytes: number | undefined;
  onDownload: () => void;
}) {
  const size = model.files.reduce((n, f) => n + f.sizeBytes, 0);
  const tooBig = ramTotalBytes !== undefined && model.ramBytes > ramTotalBytes;
  return (
    <li className="recommended-item" aria-label={model.name}>
      <div className="model-head">
        <h3 className="model-title">{model.name}</h3>
        <span className="badge">{model.kind === 'llm' ? 'Chat / SQL' : 'Embeddings'}</span>
        <span className="spacer" />
        {installed ? (
          <span className="badge ok">Installed</span>
        ) : (
          <button type="button" className="primary" onClick={onDownload} disabled={downloading} aria-label={`Download ${model.name}`}>
            {downloading ? 'Downloading…' : 'Download'}
          </button>
        )}
      </div>
      <p className="recommended-description">{model.description}</p>
      <p className="dim">
        {size > 0 ? formatBytes(size) : 'Size not listed'} · needs about {formatBytes(model.ramBytes)} RAM{tooBig ? ' (more than this machine has)' : ''} · {model.license}
      </p>
    </li>
  );
}
