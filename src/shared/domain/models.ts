/** What the GGUF header says of a model, read without loading it. */
export interface GgufMetadata {
  /** general.architecture: llama, qwen2, phi3 … */
  architecture: string;
  /** general.name, when the file has one. */
  name?: string;
  /** Parameters, counted from the tensors when general.parameter_count is missing. */
  parameterCount?: number;
  /** The file type as llama.cpp names it: Q4_K_M, Q8_0, F16 … */
  quantization?: string;
  /** <arch>.context_length: the context the model was trained with. */
  contextLength?: number;
  /** <arch>.block_count: transformer layers, which is what GPU offload counts. */
  layers?: number;
  /** tokenizer.chat_template, when the model carries one. */
  chatTemplate?: string;
}

/** One model in the models directory: a GGUF file, or the parts of a multi-part GGUF as one model. */
export interface ModelFile {
  /** The file name relative to the models directory (the first part's, for a multi-part model). Stable id. */
  id: string;
  /** Absolute path of the (first) file. */
  path: string;
  /** All parts together. */
  sizeBytes: number;
  parts: number;
  /** Set when the header was read. */
  metadata?: GgufMetadata;
  /** Set instead when it could not be read: not GGUF, truncated, a part missing — said so the user can act. */
  error?: string;
  /** sha256 of the file(s), once computed (after a verified download, or on first load). */
  sha256?: string;
}

/** The machine as node-llama-cpp sees it. */
export interface HardwareInfo {
  /** The GPU backend in use, or false for CPU only. */
  gpu: 'cuda' | 'vulkan' | 'metal' | false;
  gpuNames: string[];
  vramTotalBytes: number;
  vramFreeBytes: number;
  ramTotalBytes: number;
  ramFreeBytes: number;
  /** Physical cores where known, else logical. */
  cpuCores: number;
  /** Threads used when the setting says auto: physical cores − 1, at least 1. */
  defaultThreads: number;
}

/** How a model is loaded. Stored as the `models.settings` setting. */
export interface ModelSettings {
  /** Layers offloaded to the GPU: 'auto' fits as many as memory allows, 'off' keeps all on the CPU. Defaults to 'auto'. */
  gpuLayers: 'auto' | 'off' | number;
  /** Tokens of context; 'auto' picks the largest that fits up to the model's trained context. Defaults to 'auto'. */
  contextSize: 'auto' | number;
  /** CPU threads; 'auto' is HardwareInfo.defaultThreads. Defaults to 'auto'. */
  threads: 'auto' | number;
  /** Tokens evaluated per batch. Defaults to 512. */
  batchSize: number;
  /** Where the backend supports it. Defaults to false. */
  flashAttention: boolean;
  /** Unload the model after this many minutes without use; 0 never. Defaults to 15. */
  idleUnloadMinutes: number;
}

/** ModelSettings' documented defaults. */
export const defaultModelSettings: Readonly<ModelSettings> = Object.freeze({
  gpuLayers: 'auto',
  contextSize: 'auto',
  threads: 'auto',
  batchSize: 512,
  flashAttention: false,
  idleUnloadMinutes: 15,
});

/** Whether a model fits with the given settings, and what it would take, before it is loaded. */
export interface FitEstimate {
  fits: boolean;
  gpuLayers: number;
  totalLayers: number;
  contextSize: number;
  /** Estimated memory on the GPU and in RAM for the model and its context. */
  vramBytes: number;
  ramBytes: number;
  /** Why it does not fit, or what was reduced to make it fit. */
  note?: string;
}

/** An entry of resources/recommended-models.json. */
export interface RecommendedModel {
  id: string;
  name: string;
  kind: 'llm' | 'embedding';
  /** One URL per file (a multi-part GGUF has several; an ONNX model its model and tokenizer files). */
  files: { url: string; sizeBytes: number; sha256: string; path: string }[];
  license: string;
  /** RAM the model needs at its default context, roughly. */
  ramBytes: number;
  description: string;
}

export type DownloadStatus = 'queued' | 'downloading' | 'paused' | 'verifying' | 'done' | 'failed' | 'cancelled';

export interface DownloadState {
  downloadId: string;
  url: string;
  /** Where it lands, relative to the models directory. */
  file: string;
  status: DownloadStatus;
  receivedBytes: number;
  totalBytes?: number;
  bytesPerSecond: number;
  etaSeconds?: number;
  /** For 'failed': what went wrong, in words (404, a redirect loop, a checksum mismatch and the file deleted, a full disk …). */
  error?: string;
}

/** The chat model held in memory. */
export interface LoadedModel {
  modelId: string;
  sha256: string;
  gpu: HardwareInfo['gpu'];
  gpuLayers: number;
  contextSize: number;
  threads: number;
  /** 'local' for node-llama-cpp, 'openai' for the optional OpenAI-compatible endpoint. */
  provider: 'local' | 'openai';
}

/** What Ask suggests: never run by Quarry itself. */
export interface AskSuggestion {
  sql: string;
  explanation: string;
  tables: string[];
  /** Tries the model needed; each failed try's problems are fed back to it. */
  attempts: number;
  /** Whether the SQL parsed for the dialect and every table and column it names exists; what did not. */
  valid: boolean;
  problems: string[];
  /** Set when the schema or prompt had to be cut to fit the context, saying what was left out. */
  trimmed?: string;
}

export interface ExplainResult {
  explanation: string;
  /** A corrected statement, when the model proposes one (and it parses). */
  fixedSql?: string;
  valid: boolean;
  problems: string[];
  /** Set when the query, the error or the schema had to be cut to fit the context, saying what was left out. */
  trimmed?: string;
}

/** Events of the 'generation' stream, under the generationId that ai.ask / ai.explain returned. */
export type GenerationEvent =
  | { type: 'token'; text: string }
  | { type: 'attempt'; attempt: number; problems: string[] }
  | { type: 'suggestion'; suggestion: AskSuggestion }
  | { type: 'explanation'; result: ExplainResult }
  | { type: 'error'; code: string; message: string };
