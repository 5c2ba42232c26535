export interface PromptTokenizer {
  tokenize(text: string): readonly number[];
  detokenize(tokens: readonly number[]): string;
}

export interface FitPromptInput {
  system: string;
  prompt: string;
  /** Tokens the system prompt and the prompt may take together (the context less the answer and the chat template). */
  budget: number;
  tokenizer: PromptTokenizer;
  /** What the tokenizer counts, for the note. Defaults to 'tokens'. */
  unit?: string;
}

export interface FitPromptResult {
  system: string;
  prompt: string;
  /** Set when something was cut, saying what. */
  trimmed?: string;
}

/** Marks where text was cut, so the model (and whoever reads the audit) sees a gap rather than a seamless join. */
export const cutMarker = '\n…\n';

/**
 * Makes system + prompt fit the budget. The system prompt is cut from its middle first: its start holds the
 * instructions and its end usually the most relevant context, while the middle is the bulk (a long schema).
 * A prompt up to a quarter of the budget gets that quarter whatever its length, so the system prompt is cut the
 * same way for every short question and consecutive questions still share its KV cache. The user's prompt is
 * cut only when it is longer than that, and then its oldest part (the start) goes, keeping the latest question.
 */
export function fitPrompt({ system, prompt, budget, tokenizer, unit = 'tokens' }: FitPromptInput): FitPromptResult {
  const systemTokens = tokenizer.tokenize(system);
  const promptTokens = tokenizer.tokenize(prompt);
  const limit = Math.max(0, Math.floor(budget));
  if (systemTokens.length + promptTokens.length <= limit) return { system, prompt };
  const markerCost = tokenizer.tokenize(cutMarker).length;
  const quarter = Math.floor(limit / 4);
  const systemRoom = limit - Math.max(quarter, Math.min(promptTokens.length, limit - quarter));

  const notes: string[] = [];
  let newSystem = system;
  if (systemTokens.length > systemRoom) {
    const keep = Math.max(0, systemRoom - markerCost);
    const head = Math.ceil(keep / 2);
    const tail = keep - head;
    newSystem = tokenizer.detokenize(systemTokens.slice(0, head)) + cutMarker + (tail > 0 ? tokenizer.detokenize(systemTokens.slice(systemTokens.length - tail)) : '');
    notes.push(`${systemTokens.length - keep} of ${systemTokens.length} ${unit} from the middle of the system prompt`);
  }
  const promptRoom = Math.max(0, limit - tokenizer.tokenize(newSystem).length);
  let newPrompt = prompt;
  if (promptTokens.length > promptRoom) {
    const keep = Math.max(0, promptRoom - markerCost);
    newPrompt = cutMarker.trimStart() + tokenizer.detokenize(promptTokens.slice(promptTokens.length - keep));
    notes.push(`${promptTokens.length - keep} of ${promptTokens.length} ${unit} from the start of the prompt`);
  }
  return { system: newSystem, prompt: newPrompt, trimmed: `Cut ${notes.join(' and ')} to fit ${limit} ${unit} of context.` };
}
