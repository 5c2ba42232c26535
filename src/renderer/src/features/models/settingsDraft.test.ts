import { describe, expect, it } from 'vitest';
import { modelSettingsSchema } from '../../../../shared/api/contract';
import { defaultModelSettings } from '../../../../shared/domain/models';
import { draftFromSettings, settingsFromDraft } from './settingsDraft';

describe('settingsDraft', () => {
  it('round-trips settings through the form, and what it gives passes the contract', () => {
    const samples = [
      defaultModelSettings,
      { gpuLayers: 12, contextSize: 4096, threads: 1, batchSize: 256, flashAttention: true, idleUnloadMinutes: 0 },
      { gpuLayers: 'off', contextSize: 'auto', threads: 6, batchSize: 1, flashAttention: false, idleUnloadMinutes: 2.5 },
    ] as const;
    for (const s of samples) {
      const parsed = settingsFromDraft(draftFromSettings(s));
      expect(parsed).toEqual({ ok: true, settings: s });
      if (parsed.ok) expect(modelSettingsSchema.safeParse(parsed.settings).success).toBe(true);
    }
  });

  it('names each wrong field and why, in the ranges the contract checks', () => {
    const draft = { ...draftFromSettings(defaultModelSettings), contextMode: 'tokens' as const, contextSize: '64', threadsMode: 'count' as const, threads: 'two', batchSize: '', idleUnloadMinutes: '-1' };
    const parsed = settingsFromDraft(draft);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toHaveLength(4);
    expect(parsed.problems[0]).toMatch(/^Context size: “64” is not a whole number of tokens from 128 to 1,048,576/);
    expect(parsed.problems[1]).toMatch(/^Threads: “two” is not/);
    expect(parsed.problems[2]).toMatch(/^Batch size: give a whole number/);
    expect(parsed.problems[3]).toMatch(/^Idle unload: “-1” is not/);
  });

  it('ignores the number field of a setting left on auto', () => {
    const draft = { ...draftFromSettings(defaultModelSettings), gpuLayers: 'junk', contextSize: 'junk' };
    expect(settingsFromDraft(draft)).toEqual({ ok: true, settings: defaultModelSettings });
  });
});
