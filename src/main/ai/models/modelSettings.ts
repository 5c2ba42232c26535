import { modelSettingsSchema } from '../../../shared/api/contract';
import { defaultModelSettings, type ModelSettings } from '../../../shared/domain/models';

/** The AppStore setting that holds the load settings. */
export const modelSettingsKey = 'models.settings';


const fieldSchemas = modelSettingsSchema.shape;

/**
 * The settings as stored, each field checked on its own: a field that is missing or no longer valid (an
 * older build wrote it, or a hand edit) falls back to its default, and the others are kept.
 */
export function parseModelSettings(stored: unknown): ModelSettings {
  const source = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  const settings: Record<string, unknown> = { ...defaultModelSettings };
  for (const key of Object.keys(fieldSchemas) as (keyof ModelSettings)[]) {
    const parsed = fieldSchemas[key].safeParse(source[key]);
    if (parsed.success) settings[key] = parsed.data;
  }
  return settings as unknown as ModelSettings;
}

/** `base` with `changes` laid over it; undefined fields of `changes` keep the base's. */
export function mergeModelSettings(base: ModelSettings, changes: Partial<ModelSettings> | undefined): ModelSettings {
  if (!changes) return base;
  const merged = { ...base };
  for (const [key, value] of Object.entries(changes)) if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  return modelSettingsSchema.parse(merged);
}

/** The thread count to load with: the setting, or the hardware's default when it says 'auto'. */
export function resolveThreads(settings: ModelSettings, defaultThreads: number): number {
  return settings.threads === 'auto' ? defaultThreads : settings.threads;
}
