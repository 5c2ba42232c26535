import { describe, expect, it } from 'vitest';
import { generationCacheKey } from './generationCacheKey';

const base = { modelIdentity: 'a'.repeat(64), system: 'schema', prompt: 'question', maxTokens: 512, temperature: 0 };

describe('generationCacheKey', () => {
  it('is a sha256 that is the same for the same request', () => {
    expect(generationCacheKey(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(generationCacheKey({ ...base })).toBe(generationCacheKey(base));
  });

  it('changes with every part that decides the answer', () => {
    const keys = new Set([
      generationCacheKey(base),
      generationCacheKey({ ...base, modelIdentity: 'b'.repeat(64) }),
      generationCacheKey({ ...base, system: 'schema2' }),
      generationCacheKey({ ...base, prompt: 'question2' }),
      generationCacheKey({ ...base, maxTokens: 511 }),
      generationCacheKey({ ...base, temperature: 0.5 }),
      generationCacheKey({ ...base, seed: 1 }),
      generationCacheKey({ ...base, jsonSchema: { type: 'object' } }),
    ]);
    expect(keys.size).toBe(8);
  });

  it('cannot be fooled by moving text between system and prompt', () => {
    expect(generationCacheKey({ ...base, system: 'ab', prompt: 'c' })).not.toBe(generationCacheKey({ ...base, system: 'a', prompt: 'bc' }));
  });

  it('ignores the key order of the schema', () => {
    const a = generationCacheKey({ ...base, jsonSchema: { type: 'object', properties: { x: { type: 'string' }, y: { type: 'number' } } } });
    const b = generationCacheKey({ ...base, jsonSchema: { properties: { y: { type: 'number' }, x: { type: 'string' } }, type: 'object' } });
    expect(a).toBe(b);
  });
});
