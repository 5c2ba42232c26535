import { useEffect, useState } from 'react';
import type { AiEndpointInfo } from '../../../../shared/api/contract';
import { errorMessage } from '../../api';
import { useClient } from '../../app/ClientContext';

interface EndpointFormProps {
  /** Fetches on first show only. */
  active: boolean;
  /** The endpoint was saved: which model answers may have changed. */
  onSaved: () => void;
}

/**
 * The optional OpenAI-compatible endpoint (a local llama-server, Ollama, LM Studio …) that answers instead of a
 * loaded GGUF model while enabled. The API key goes in and never comes back: the form only learns whether one is stored.
 */
export function EndpointForm({ active, onSaved }: EndpointFormProps) {
  const client = useClient();
  const [info, setInfo] = useState<AiEndpointInfo | null | undefined>();
  const [enabled, setEnabled] = useState(false);
  const [baseUrl, setBaseUrl] = useState('');
  const [model, setModel] = useState('');
  const [contextSize, setContextSize] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [removeKey, setRemoveKey] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | undefined>();
  const [saving, setSaving] = useState(false);

  const show = (e: AiEndpointInfo | null) => {
    setInfo(e);
    setEnabled(e?.enabled ?? false);
    setBaseUrl(e?.baseUrl ?? '');
    setModel(e?.model ?? '');
    setContextSize(e?.contextSize !== undefined ? String(e.contextSize) : '');
    setApiKey('');
    setRemoveKey(false);
  };

  useEffect(() => {
    if (!active || info !== undefined) return;
    let live = true;
    client.call('ai.endpoint', {}).then(
      (e) => live && show(e),
      (e) => {
        if (!live) return;
        setInfo(null);
        setMessage({ kind: 'error', text: `Could not read the endpoint setting: ${errorMessage(e)}` });
      },
    );
    return () => {
      live = false;
    };
  }, [client, active, info]);

  const save = async () => {
    const ctx = contextSize.trim();
    if (ctx && !(/^\d+$/.test(ctx) && Number(ctx) >= 256 && Number(ctx) <= 1_048_576)) {
      setMessage({ kind: 'error', text: `Context size: “${ctx}” is not a whole number of tokens from 256 to 1,048,576; leave it empty for 8,192.` });
      return;
    }
    if (!baseUrl.trim() || !model.trim()) {
      setMessage({ kind: 'error', text: 'Give the base URL (e.g. http://127.0.0.1:8080/v1) and the model name the server expects.' });
      return;
    }
    setSaving(true);
    setMessage(undefined);
    try {
      const saved = await client.call('ai.setEndpoint', {
        enabled,
        baseUrl: baseUrl.trim(),
        model: model.trim(),
        ...(ctx ? { contextSize: Number(ctx) } : {}),
        ...(apiKey ? { apiKey } : removeKey ? { apiKey: null } : {}),
      });
      show(saved);
      setMessage({ kind: 'ok', text: saved.enabled ? 'Saved: Ask and Explain use this endpoint.' : 'Saved, and off: Ask and Explain use the loaded local model.' });
      onSaved();
    } catch (e) {
      setMessage({ kind: 'error', text: `Not saved: ${errorMessage(e)}` });
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="endpoint-form"
      aria-label="OpenAI-compatible endpoint"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label className="checkbox">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        <span>Answer with this endpoint instead of a local model</span>
      </label>
      <div className="settings-grid">
        <label>
          <span>Base URL</span>
          <input aria-label="Base URL" placeholder="http://127.0.0.1:8080/v1" value={baseUrl} maxLength={2000} onChange={(e) => setBaseUrl(e.target.value)} />
        </label>
        <label>
          <span>Model name</span>
          <input aria-label="Model name" value={model} maxLength={500} onChange={(e) => setModel(e.target.value)} />
        </label>
        <label>
          <span>Context size (tokens, empty for 8,192)</span>
          <input aria-label="Endpoint context size" inputMode="numeric" value={contextSize} onChange={(e) => setContextSize(e.target.value)} />
        </label>
        <label>
          <span>API key {info?.hasApiKey ? '(one is stored; type to replace it)' : '(optional)'}</span>
          <input aria-label="API key" type="password" autoComplete="off" value={apiKey} maxLength={4096} onChange={(e) => setApiKey(e.target.value)} />
        </label>
      </div>
      {info?.hasApiKey && (
        <label className="checkbox">
          <input type="checkbox" checked={removeKey} disabled={Boolean(apiKey)} onChange={(e) => setRemoveKey(e.target.checked)} />
          <span>Remove the stored key</span>
        </label>
      )}
      <div className="settings-actions">
        <button type="submit" className="primary" disabled={saving || info === undefined}>
          {saving ? 'Saving…' : 'Save endpoint'}
        </button>
        {message && (
          <span className={`settings-message ${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>
            {message.text}
          </span>
        )}
      </div>
    </form>
  );
}
