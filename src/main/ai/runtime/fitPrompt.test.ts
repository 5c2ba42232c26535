import { describe, expect, it } from 'vitest';
import { cutMarker, fitPrompt, type PromptTokenizer } from './fitPrompt';

// One token per word (and per newline run): a real, if simple, tokenizer, so lengths are easy to reason about.
const words: PromptTokenizer = {
  tokenize: (text) => Array.from(text.matchAll(/\S+|\n+/g), (m) => m.index),
  detokenize: () => {
    throw new Error('replaced per test');
  },
};
function tokenizerFor(...texts: string[]): PromptTokenizer {
  const vocab: string[] = [];
  const ids = new Map<string, number>();
  const split = (t: string): string[] => t.match(/\S+|\n+/g) ?? [];
  for (const t of [...texts, cutMarker]) for (const w of split(t)) if (!ids.has(w)) ids.set(w, vocab.push(w) - 1);
  return {
    tokenize: (t) => split(t).map((w) => ids.get(w) ?? (ids.set(w, vocab.push(w) - 1), vocab.length - 1)),
    detokenize: (tokens) => tokens.map((id) => vocab[id]).join(' '),
  };
}
const sentence = (prefix: string, n: number): string => Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(' ');

describe('fitPrompt', () => {
  it('leaves what fits alone', () => {
    expect(fitPrompt({ system: 'a b c', prompt: 'd e', budget: 5, tokenizer: words })).toEqual({ system: 'a b c', prompt: 'd e' });
  });

  it('cuts the middle of the system prompt, keeping its start and end', () => {
    const system = sentence('s', 100);
    const tokenizer = tokenizerFor(system, 'why?');
    const r = fitPrompt({ system, prompt: 'why?', budget: 40, tokenizer });
    expect(r.prompt).toBe('why?');
    expect(r.system.startsWith('s0 s1 s2')).toBe(true);
    expect(r.system.endsWith('s98 s99')).toBe(true);
    expect(r.system).toContain('…');
    expect(r.system).not.toContain(' s50 ');
    expect(tokenizer.tokenize(r.system).length + tokenizer.tokenize(r.prompt).length).toBeLessThanOrEqual(40);
    expect(r.trimmed).toMatch(/^Cut \d+ of 100 tokens from the middle of the system prompt to fit 40 tokens of context\.$/);
  });

  it('cuts the system prompt the same way for every short question, so its prefix stays shared', () => {
    const system = sentence('s', 100);
    const a = fitPrompt({ system, prompt: 'one', budget: 40, tokenizer: tokenizerFor(system, 'one') });
    const b = fitPrompt({ system, prompt: 'two words here', budget: 40, tokenizer: tokenizerFor(system, 'two words here') });
    expect(a.system).toBe(b.system);
  });

  it('cuts the start of a long prompt, keeping the latest part', () => {
    const prompt = sentence('p', 100);
    const tokenizer = tokenizerFor('rules', prompt);
    const r = fitPrompt({ system: 'rules', prompt, budget: 30, tokenizer });
    expect(r.system).toBe('rules');
    expect(r.prompt.endsWith('p98 p99')).toBe(true);
    expect(r.prompt).not.toContain('p0 ');
    expect(tokenizer.tokenize(r.system).length + tokenizer.tokenize(r.prompt).length).toBeLessThanOrEqual(30);
    expect(r.trimmed).toMatch(/from the start of the prompt/);
  });

  it('cuts both when both are long, and never goes over the budget', () => {
    const system = sentence('s', 80);
    const prompt = sentence('p', 80);
    const tokenizer = tokenizerFor(system, prompt);
    for (const budget of [0, 1, 7, 20, 50, 159]) {
      const r = fitPrompt({ system, prompt, budget, tokenizer });
      expect(tokenizer.tokenize(r.system).length + tokenizer.tokenize(r.prompt).length, `budget ${budget}`).toBeLessThanOrEqual(Math.max(budget, 2 * tokenizer.tokenize(cutMarker).length));
      expect(r.trimmed).toBeDefined();
    }
  });

  it('names the unit it counted', () => {
    const codes: PromptTokenizer = { tokenize: (t) => Array.from(t, (c) => c.codePointAt(0)!), detokenize: (c) => String.fromCodePoint(...c) };
    const r = fitPrompt({ system: 'x'.repeat(200), prompt: 'q', budget: 100, tokenizer: codes, unit: 'characters' });
    expect(r.trimmed).toMatch(/characters from the middle of the system prompt to fit 100 characters of context/);
    expect(r.system.length + r.prompt.length).toBeLessThanOrEqual(100);
  });
});
