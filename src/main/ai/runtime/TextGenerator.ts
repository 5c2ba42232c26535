import type { LoadedModel } from '../../../shared/domain/models';

export interface GenerateRequest {
  /**
   * Instructions and context (the schema, the rules). Sent first and kept byte-identical across requests about
   * the same database, so the runtime can reuse the KV cache of that prefix and a second question starts fast.
   */
  system: string;
  /** The user's part, after the system prompt. */
  prompt: string;
  /** Constrain the output to this JSON schema (a grammar for the local model, response_format for an endpoint). */
  jsonSchema?: Record<string, unknown>;
  /** Defaults to 512. */
  maxTokens?: number;
  /** Defaults to 0 (greedy), so the generation cache means something. */
  temperature?: number;
  seed?: number;
  signal?: AbortSignal;
  onToken?: (text: string) => void;
  /** What the request is for, for the audit log: 'ask', 'explain' … */
  purpose: string;
  /** Skip the generation cache (neither read nor written); the audit row is still written. Defaults to false. */
  noCache?: boolean;
}

export interface GenerateResult {
  text: string;
  /** The parsed output when jsonSchema was given and the text parsed. */
  json?: unknown;
  promptTokens: number;
  completionTokens: number;
  durationMs: number;
  /** From the request to the first token; undefined for a cache hit. */
  timeToFirstTokenMs?: number;
  /** Answered from the generation cache, without running the model. */
  cached: boolean;
  /** Set when the prompt had to be cut to fit the context, saying what was cut. */
  trimmed?: string;
  /**
   * Prompt tokens the model actually evaluated, and those it took from the KV cache because the previous request
   * began the same way (the schema context). Only the local runtime knows them; undefined for a cache hit.
   */
  promptTokensEvaluated?: number;
  promptTokensReused?: number;
  /** Why generation stopped: the model ended it, maxTokens was reached. Undefined for a cache hit. */
  stopReason?: 'end' | 'maxTokens';
}

/**
 * What the copilot features need of a model: the local runtime (node-llama-cpp) and the optional
 * OpenAI-compatible endpoint both implement it.
 */
export interface TextGenerator {
  /** The model ready to answer, or undefined: generate() then rejects with ApiError NO_MODEL. */
  loaded(): LoadedModel | undefined;
  /** Tokens the loaded model can hold in one request (prompt and answer together). */
  contextSize(): number;
  /** Tokens `text` takes with the loaded model's tokenizer. */
  countTokens(text: string): number;
  generate(request: GenerateRequest): Promise<GenerateResult>;
}
