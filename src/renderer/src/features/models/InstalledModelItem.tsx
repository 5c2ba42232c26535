import { useEffect, useState } from 'react';
import type { FitEstimate, LoadedModel, ModelFile, ModelSettings } from '../../../../shared/domain/models';
import { formatBytes } from '../../../../shared/format/formatBytes';
import { errorMessage } from '../../api';
import { useClient } from '../../app/ClientContext';
import { formatParameterCount } from './modelFormat';

interface InstalledModelItemProps {
  model: ModelFile;
  /** The settings the form shows; the estimate follows them. Undefined while they are not valid. */
  settings: ModelSettings | undefined;
  loaded: LoadedModel | null | undefined;
  /** Some model is being loaded or unloaded: one at a time. */
  busy: boolean;
  onLoad: () => void;
  onUnload: () => void;
  onDelete: () => void;
}

/** Waits this long after the last settings change before asking for a new estimate. */
const fitDebounceMs = 250;

/** One model of the models directory: what its header says, whether it fits, and load / unload / delete. */
export function InstalledModelItem({ model, settings, loaded, busy, onLoad, onUnload, onDelete }: InstalledModelItemProps) {
  const client = useClient();
  const settingsKey = settings ? JSON.stringify(settings) : undefined;
  // The answer remembers the settings it was for: it is pending while the settings shown differ.
  const [answer, setAnswer] = useState<{ key: string; estimate?: FitEstimate; error?: string } | undefined>();
  const fit = { estimate: answer?.estimate, error: answer?.error, pending: answer?.key !== settingsKey };
  const isLoaded = loaded?.modelId === model.id;

  useEffect(() => {
    if (model.error || !settingsKey) return;
    let live = true;
    const timer = setTimeout(() => {
      client.call('models.fit', { modelId: model.id, settings: JSON.parse(settingsKey) as ModelSettings }).then(
        (estimate) => live && setAnswer({ key: settingsKey, estimate }),
        (e) => live && setAnswer({ key: settingsKey, error: errorMessage(e) }),
      );
    }, fitDebounceMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, model.id, model.error, settingsKey]);

  const m = model.metadata;
  return (
    <li className={`model-item${isLoaded ? ' loaded' : ''}`} aria-label={model.id}>
      <div className="model-head">
        <h3 className="model-title">{model.id}</h3>
        {m?.name && m.name !== m.architecture && <span className="dim">{m.name}</span>}
        {isLoaded && <span className="badge ok">Loaded</span>}
        <span className="spacer" />
        {isLoaded ? (
          <button type="button" onClick={onUnload} disabled={busy}>
            Unload
          </button>
        ) : (
          <button type="button" className="primary" onClick={onLoad} disabled={busy || Boolean(model.error) || fit.estimate?.fits === false}>
            Load
          </button>
        )}
        <button type="button" className="danger" onClick={onDelete} disabled={busy || isLoaded} aria-label={`Delete ${model.id}`} title={isLoaded ? 'Unload it first' : undefined}>
          Delete
        </button>
      </div>
      {model.error ? (
        <p className="model-error" role="alert">
          Cannot use this file: {model.error}
        </p>
      ) : (
        <dl className="model-meta" aria-label="Model details">
          <dt>Architecture</dt>
          <dd>{m?.architecture ?? 'unknown'}</dd>
          <dt>Parameters</dt>
          <dd>{m?.parameterCount !== undefined ? formatParameterCount(m.parameterCount) : 'unknown'}</dd>
          <dt>Quantization</dt>
          <dd>{m?.quantization ?? 'unknown'}</dd>
          <dt>Context length</dt>
          <dd>{m?.contextLength !== undefined ? `${m.contextLength.toLocaleString('en-US')} tokens` : 'unknown'}</dd>
          <dt>Layers</dt>
          <dd>{m?.layers ?? 'unknown'}</dd>
          <dt>Chat template</dt>
          <dd>
            {m?.chatTemplate ? (
              <details>
                <summary>Included</summary>
                <pre className="chat-template">{m.chatTemplate}</pre>
              </details>
            ) : (
              'None (a generic template is used)'
            )}
          </dd>
          <dt>Size</dt>
          <dd>
            {formatBytes(model.sizeBytes)}
            {model.parts > 1 ? ` in ${model.parts} parts` : ''}
          </dd>
        </dl>
      )}
      {!model.error && <FitLine fit={fit} settingsValid={Boolean(settings)} />}
    </li>
  );
}

function FitLine({ fit, settingsValid }: { fit: { estimate?: FitEstimate; error?: string; pending: boolean }; settingsValid: boolean }) {
  let text: string;
  let kind = '';
  if (!settingsValid) text = 'Fix the load settings to see an estimate.';
  else if (fit.error) {
    text = `No estimate: ${fit.error}`;
    kind = 'error';
  } else if (!fit.estimate) text = 'Estimating…';
  else {
    const e = fit.estimate;
    const offload = e.gpuLayers === 0 ? `all ${e.totalLayers} layers on the CPU` : `${e.gpuLayers} of ${e.totalLayers} layers on the GPU`;
    const memory = e.vramBytes > 0 ? `about ${formatBytes(e.vramBytes)} VRAM and ${formatBytes(e.ramBytes)} RAM` : `about ${formatBytes(e.ramBytes)} RAM`;
    text = `${e.fits ? 'Fits' : 'Does not fit'}: ${offload}, context ${e.contextSize.toLocaleString('en-US')} tokens, ${memory}.${e.note ? ` ${e.note}` : ''}`;
    kind = e.fits ? 'ok' : 'error';
  }
  return (
    <p className={`model-fit ${kind}`} role="status" aria-label="Fit estimate" aria-busy={fit.pending}>
      {text}
    </p>
  );
}
