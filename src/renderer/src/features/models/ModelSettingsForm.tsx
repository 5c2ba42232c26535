import type { SettingsDraft } from './settingsDraft';

interface ModelSettingsFormProps {
  draft: SettingsDraft;
  onChange: (draft: SettingsDraft) => void;
  /** Why the draft cannot be used as it is; empty when it can. */
  problems: string[];
  dirty: boolean;
  saving: boolean;
  message?: { kind: 'ok' | 'error'; text: string };
  onSave: () => void;
  onRevert: () => void;
}

/** How models are loaded. Each model's estimate below follows the draft, so the effect shows before saving or loading. */
export function ModelSettingsForm({ draft, onChange, problems, dirty, saving, message, onSave, onRevert }: ModelSettingsFormProps) {
  const set = <K extends keyof SettingsDraft>(key: K, value: SettingsDraft[K]) => onChange({ ...draft, [key]: value });
  return (
    <form
      className="model-settings"
      aria-label="Load settings"
      onSubmit={(e) => {
        e.preventDefault();
        onSave();
      }}
    >
      <div className="settings-grid">
        <label>
          <span>GPU layers</span>
          <span className="pair">
            <select aria-label="GPU layers" value={draft.gpuMode} onChange={(e) => set('gpuMode', e.target.value as SettingsDraft['gpuMode'])}>
              <option value="auto">Auto (as many as fit)</option>
              <option value="layers">Number of layers</option>
              <option value="off">Off (CPU only)</option>
            </select>
            {draft.gpuMode === 'layers' && (
              <input aria-label="GPU layer count" inputMode="numeric" value={draft.gpuLayers} onChange={(e) => set('gpuLayers', e.target.value)} />
            )}
          </span>
        </label>
        <label>
          <span>Context size</span>
          <span className="pair">
            <select aria-label="Context size" value={draft.contextMode} onChange={(e) => set('contextMode', e.target.value as SettingsDraft['contextMode'])}>
              <option value="auto">Auto (largest that fits)</option>
              <option value="tokens">Tokens</option>
            </select>
            {draft.contextMode === 'tokens' && (
              <input aria-label="Context tokens" inputMode="numeric" value={draft.contextSize} onChange={(e) => set('contextSize', e.target.value)} />
            )}
          </span>
        </label>
        <label>
          <span>Threads</span>
          <span className="pair">
            <select aria-label="Threads" value={draft.threadsMode} onChange={(e) => set('threadsMode', e.target.value as SettingsDraft['threadsMode'])}>
              <option value="auto">Auto</option>
              <option value="count">Number of threads</option>
            </select>
            {draft.threadsMode === 'count' && (
              <input aria-label="Thread count" inputMode="numeric" value={draft.threads} onChange={(e) => set('threads', e.target.value)} />
            )}
          </span>
        </label>
        <label>
          <span>Batch size</span>
          <input aria-label="Batch size" inputMode="numeric" value={draft.batchSize} onChange={(e) => set('batchSize', e.target.value)} />
        </label>
        <label>
          <span>Idle unload (minutes, 0 never)</span>
          <input aria-label="Idle unload minutes" inputMode="decimal" value={draft.idleUnloadMinutes} onChange={(e) => set('idleUnloadMinutes', e.target.value)} />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={draft.flashAttention} onChange={(e) => set('flashAttention', e.target.checked)} />
          <span>Flash attention</span>
        </label>
      </div>
      {problems.length > 0 && (
        <ul className="form-problems" role="alert" aria-label="Settings problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <div className="settings-actions">
        <button type="submit" className="primary" disabled={!dirty || saving || problems.length > 0}>
          {saving ? 'Saving…' : 'Save settings'}
        </button>
        <button type="button" onClick={onRevert} disabled={!dirty || saving}>
          Revert
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
