import type { ModelSettings } from '../../../../shared/domain/models';

/** The settings form as typed: each 'auto'-or-number setting is a mode and the text of its number field. */
export interface SettingsDraft {
  gpuMode: 'auto' | 'off' | 'layers';
  gpuLayers: string;
  contextMode: 'auto' | 'tokens';
  contextSize: string;
  threadsMode: 'auto' | 'count';
  threads: string;
  batchSize: string;
  flashAttention: boolean;
  idleUnloadMinutes: string;
}

export function draftFromSettings(s: ModelSettings): SettingsDraft {
  return {
    gpuMode: s.gpuLayers === 'auto' ? 'auto' : s.gpuLayers === 'off' ? 'off' : 'layers',
    gpuLayers: typeof s.gpuLayers === 'number' ? String(s.gpuLayers) : '',
    contextMode: s.contextSize === 'auto' ? 'auto' : 'tokens',
    contextSize: typeof s.contextSize === 'number' ? String(s.contextSize) : '',
    threadsMode: s.threads === 'auto' ? 'auto' : 'count',
    threads: typeof s.threads === 'number' ? String(s.threads) : '',
    batchSize: String(s.batchSize),
    flashAttention: s.flashAttention,
    idleUnloadMinutes: String(s.idleUnloadMinutes),
  };
}

type Parsed = { ok: true; settings: ModelSettings } | { ok: false; problems: string[] };

/**
 * The draft as ModelSettings, or each field that is wrong and why, in the same ranges models.setSettings checks
 * (so the form says it before the server refuses it).
 */
export function settingsFromDraft(d: SettingsDraft): Parsed {
  const problems: string[] = [];
  const whole = (text: string, label: string, min: number, max: number, unit: string): number => {
    const t = text.trim();
    const n = /^\d+$/.test(t) ? Number(t) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      problems.push(`${label}: ${t ? `“${t}” is not` : 'give'} a whole number of ${unit} from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}.`);
    }
    return n;
  };
  const gpuLayers = d.gpuMode === 'layers' ? whole(d.gpuLayers, 'GPU layers', 0, 1000, 'layers') : d.gpuMode;
  const contextSize = d.contextMode === 'tokens' ? whole(d.contextSize, 'Context size', 128, 1_048_576, 'tokens') : 'auto';
  const threads = d.threadsMode === 'count' ? whole(d.threads, 'Threads', 1, 512, 'threads') : 'auto';
  const batchSize = whole(d.batchSize, 'Batch size', 1, 65_536, 'tokens');
  const idleText = d.idleUnloadMinutes.trim();
  const idleUnloadMinutes = /^\d+(\.\d+)?$/.test(idleText) ? Number(idleText) : Number.NaN;
  if (!(idleUnloadMinutes >= 0 && idleUnloadMinutes <= 10_080)) {
    problems.push(`Idle unload: ${idleText ? `“${idleText}” is not` : 'give'} a number of minutes from 0 (never) to 10,080 (a week).`);
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, settings: { gpuLayers, contextSize, threads, batchSize, flashAttention: d.flashAttention, idleUnloadMinutes } };
}
