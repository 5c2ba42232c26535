import { createHash } from 'node:crypto';

export interface GenerationCacheKeyInput {
  /** The model file's sha256, or for an endpoint its base URL and model name: what answers. */
  modelIdentity: string;
  system: string;
  prompt: string;
  jsonSchema?: Record<string, unknown>;
  maxTokens: number;
  temperature: number;
  seed?: number;
}

/**
 * sha256 over everything that decides the answer. Each part is length-prefixed, so no two different inputs
 * can concatenate to the same bytes; the schema is serialized with sorted keys, so key order does not matter.
 */
export function generationCacheKey(input: GenerationCacheKeyInput): string {
  const parts = [
    'quarry-generation-v1',
    input.modelIdentity,
    input.system,
    input.prompt,
    input.jsonSchema === undefined ? '' : stableJson(input.jsonSchema),
    String(input.maxTokens),
    String(input.temperature),
    input.seed === undefined ? '' : String(input.seed),
  ];
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${Buffer.byteLength(part)}:`).update(part);
  return hash.digest('hex');
}

export function sha256Text(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
