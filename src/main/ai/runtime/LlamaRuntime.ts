import { LlamaChat, type ChatHistoryItem, type Llama, type LlamaContext, type LlamaContextSequence, type LlamaJsonSchemaGrammar, type LlamaModel } from 'node-llama-cpp';
import { ApiError } from '../../../shared/api/errors';
import type { FitEstimate, LoadedModel, ModelSettings } from '../../../shared/domain/models';
import { addLlamaLogListener, sharedLlama } from '../models/sharedLlama';
import { assertFits, estimateFit, type MemoryOverride } from '../models/estimateFit';
import { readModelHeader } from '../models/readModelMetadata';
import { fitPrompt } from './fitPrompt';
import type { GenerateRequest, GenerateResult, TextGenerator } from './TextGenerator';

export interface LlamaRuntimeOptions {
  /** The llama.cpp backend, owned by the caller (the runtime never disposes it). Defaults to the process's sharedLlama(). */
  llama?: () => Promise<Llama>;
  /** Memory the fit estimate assumes instead of the machine's (how tests reach the refusal). Defaults to what llama.cpp reports. */
  memory?: MemoryOverride;
  /** Told when the idle timer unloads the model, so the app can say so. Defaults to nothing. */
  onIdleUnload?: (modelId: string) => void;
}

/** A model file to load, with its identity for the cache and the audit log. */
export interface ModelToLoad {
  id: string;
  path: string;
  sha256: string;
}

interface Held {
  info: LoadedModel;
  model: LlamaModel;
  context: LlamaContext;
  sequence: LlamaContextSequence;
  chat: LlamaChat;
  idleMs: number;
  /** Tokens the chat template adds around a system prompt and a prompt, measured once at load. */
  templateTokens: number;
}

type JsonGrammar = LlamaJsonSchemaGrammar<never>;

/** Slack on top of the measured chat-template tokens: text joined to template markers may tokenize a little differently. */
const templateSlack = 8;

/**
 * One chat model held by node-llama-cpp, with one context and one sequence kept alive while loaded. Every
 * request is evaluated on that sequence, so the tokens it shares with the previous request (the system prompt
 * with the schema) are taken from the KV cache instead of being evaluated again. Requests run one at a time.
 */
export class LlamaRuntime implements TextGenerator {
  readonly #options: LlamaRuntimeOptions;
  #held?: Held;
  #idleTimer?: NodeJS.Timeout;
  /** Serializes load, unload and generate: one sequence cannot serve two requests at once. */
  #queue: Promise<unknown> = Promise.resolve();
  /** Aborts the running generation when the model is unloaded under it. */
  #running?: AbortController;
  readonly #grammars = new Map<string, Promise<JsonGrammar>>();
  #disposed = false;

  constructor(options: LlamaRuntimeOptions = {}) {
    this.#options = options;
  }

  loaded(): LoadedModel | undefined {
    return this.#held?.info;
  }

  contextSize(): number {
    return this.#held?.context.contextSize ?? 0;
  }

  countTokens(text: string): number {
    if (!this.#held) throw noModel();
    return this.#held.model.tokenize(text).length;
  }

  /** The estimate for a model without loading it: header read and checked (corrupt and truncated files refused), nothing mapped. */
  async estimate(path: string, settings: ModelSettings): Promise<FitEstimate> {
    const header = await readModelHeader(path, { withVocabulary: true });
    return estimateFit({ llama: await this.#llama(), info: header.info, settings, ...(this.#options.memory && { memory: this.#options.memory }) });
  }

  /**
   * Loads the model, unloading the one held first; refuses with the estimate when it would not fit, before
   * llama.cpp sees the file. `estimate` is the one the catalog's planLoad already made; without it the runtime
   * reads the header and estimates itself.
   */
  load(model: ModelToLoad, settings: ModelSettings, estimate?: FitEstimate): Promise<LoadedModel> {
    return this.#serial(async () => {
      if (this.#disposed) throw new ApiError('MODEL_ERROR', 'The model runtime has shut down.');
      await this.#unloadNow();
      const llama = await this.#llama();
      const fit = estimate ?? (await this.estimate(model.path, settings));
      assertFits(model.id, fit);
      const threads = threadsFor(settings.threads, llama);
      const nativeErrors: string[] = [];
      const stopListening = addLlamaLogListener((level, message) => {
        if (level === 'error') nativeErrors.push(message);
      });
      let loadedModel: LlamaModel | undefined;
      let context: LlamaContext | undefined;
      try {
        loadedModel = await llama.loadModel({ modelPath: model.path, gpuLayers: fit.gpuLayers, defaultContextFlashAttention: settings.flashAttention });
        context = await loadedModel.createContext({
          contextSize: fit.contextSize,
          threads,
          batchSize: Math.min(settings.batchSize, fit.contextSize),
          flashAttention: settings.flashAttention,
          sequences: 1,
        });
      } catch (error) {
        await context?.dispose().catch(() => undefined);
        await loadedModel?.dispose().catch(() => undefined);
        const native = nativeErrors.filter((m) => !/failed to load model$/i.test(m.trim())).join(' ').trim();
        throw new ApiError('MODEL_ERROR', `Cannot load ${model.path}: ${native || (error instanceof Error ? error.message : String(error))}`, { path: model.path });
      } finally {
        stopListening();
      }
      const sequence = context.getSequence();
      const chat = new LlamaChat({ contextSequence: sequence });
      const templateTokens = formattedTokens(chat, loadedModel, 'x', 'x') - 2 * loadedModel.tokenize('x').length;
      this.#held = {
        info: {
          modelId: model.id,
          sha256: model.sha256,
          gpu: llama.gpu,
          gpuLayers: loadedModel.gpuLayers,
          contextSize: context.contextSize,
          threads,
          provider: 'local',
        },
        model: loadedModel,
        context,
        sequence,
        chat,
        idleMs: Math.max(0, settings.idleUnloadMinutes) * 60_000,
        templateTokens: Math.max(0, templateTokens),
      };
      this.#touch();
      return this.#held.info;
    });
  }

  /** Unloads the model, aborting a generation that is running. Does nothing when none is held. */
  unload(): Promise<void> {
    this.#running?.abort(new ApiError('CANCELLED', 'The model was unloaded.'));
    return this.#serial(() => this.#unloadNow());
  }

  generate(request: GenerateRequest): Promise<GenerateResult> {
    if (request.signal?.aborted) return Promise.reject(new ApiError('CANCELLED', 'The generation was cancelled.'));
    return this.#serial(() => this.#generate(request));
  }

  /** Unloads the model (the shared backend stays; its owner disposes it). Idempotent. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.unload();
    this.#grammars.clear();
  }

  async #generate(request: GenerateRequest): Promise<GenerateResult> {
    // Cancelled while it waited for the request before it.
    if (request.signal?.aborted) throw new ApiError('CANCELLED', 'The generation was cancelled.');
    const held = this.#held;
    if (!held) throw noModel();
    this.#touch();
    const started = performance.now();
    const contextSize = held.context.contextSize;
    let maxTokens = Math.max(1, Math.floor(request.maxTokens ?? 512));
    const notes: string[] = [];
    if (maxTokens > contextSize / 2) {
      notes.push(`maxTokens lowered from ${maxTokens} to ${Math.floor(contextSize / 2)}, half the ${contextSize}-token context`);
      maxTokens = Math.floor(contextSize / 2);
    }
    const tokenizer = {
      tokenize: (text: string) => held.model.tokenize(text),
      detokenize: (tokens: readonly number[]) => held.model.detokenize(tokens as never),
    };
    const fitted = fitPrompt({ system: request.system, prompt: request.prompt, budget: contextSize - maxTokens - held.templateTokens - templateSlack, tokenizer });
    if (fitted.trimmed) notes.push(fitted.trimmed);

    const history = chatHistory(fitted.system, fitted.prompt);
    const promptTokens = formattedTokens(held.chat, held.model, fitted.system, fitted.prompt);
    const grammar = request.jsonSchema === undefined ? undefined : await this.#grammar(request.jsonSchema);

    const abort = new AbortController();
    this.#running = abort;
    const onOuterAbort = (): void => abort.abort(request.signal?.reason);
    request.signal?.addEventListener('abort', onOuterAbort, { once: true });
    const meterBefore = held.sequence.tokenMeter.getState();
    let firstTokenAt: number | undefined;
    let response: Awaited<ReturnType<LlamaChat['generateResponse']>>;
    try {
      response = await held.chat.generateResponse(history, {
        maxTokens,
        temperature: request.temperature ?? 0,
        ...(request.seed !== undefined && { seed: request.seed }),
        ...(grammar && { grammar }),
        signal: abort.signal,
        onTextChunk: (text) => {
          firstTokenAt ??= performance.now();
          request.onToken?.(text);
        },
      });
    } catch (error) {
      if (abort.signal.aborted) {
        const why = abort.signal.reason;
        throw why instanceof ApiError ? why : new ApiError('CANCELLED', 'The generation was cancelled.');
      }
      throw new ApiError('MODEL_ERROR', `The model failed while generating: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      request.signal?.removeEventListener('abort', onOuterAbort);
      if (this.#running === abort) this.#running = undefined;
      this.#touch();
    }
    const used = held.sequence.tokenMeter.diff(meterBefore);
    // Generated tokens are fed back as input too; the meter counts those as output, so the input is the prompt's part.
    const evaluated = Math.min(promptTokens, used.usedInputTokens);
    const stopReason = response.metadata.stopReason === 'maxTokens' ? 'maxTokens' : 'end';
    const result: GenerateResult = {
      text: response.response,
      promptTokens,
      completionTokens: used.usedOutputTokens,
      durationMs: performance.now() - started,
      cached: false,
      promptTokensEvaluated: evaluated,
      promptTokensReused: promptTokens - evaluated,
      stopReason,
      ...(firstTokenAt !== undefined && { timeToFirstTokenMs: firstTokenAt - started }),
      ...(notes.length > 0 && { trimmed: notes.join('; ') }),
    };
    if (grammar) {
      if (stopReason === 'maxTokens') {
        throw new ApiError('MODEL_ERROR', `The model ran out of tokens (maxTokens ${maxTokens}) before it finished the JSON answer.`, { text: result.text });
      }
      try {
        result.json = grammar.parse(result.text);
      } catch (error) {
        throw new ApiError('MODEL_ERROR', `The model's answer is not the requested JSON: ${error instanceof Error ? error.message : String(error)}`, { text: result.text });
      }
    }
    return result;
  }

  #grammar(schema: Record<string, unknown>): Promise<JsonGrammar> {
    const key = JSON.stringify(schema);
    let grammar = this.#grammars.get(key);
    if (!grammar) {
      grammar = this.#llama().then((llama) => llama.createGrammarForJsonSchema(schema as never) as Promise<JsonGrammar>);
      grammar.catch(() => this.#grammars.delete(key));
      this.#grammars.set(key, grammar);
    }
    return grammar.catch((error: unknown) => {
      throw new ApiError('BAD_INPUT', `The JSON schema cannot be turned into a grammar: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  async #unloadNow(): Promise<void> {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    const held = this.#held;
    this.#held = undefined;
    // Grammars belong to the backend, which its owner may dispose once no model is held.
    this.#grammars.clear();
    if (!held) return;
    held.chat.dispose({ disposeSequence: true });
    await held.context.dispose();
    await held.model.dispose();
  }

  /** Restarts the idle timer; unref'd, so a loaded model never keeps the process alive. */
  #touch(): void {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    const held = this.#held;
    if (!held || held.idleMs <= 0) return;
    this.#idleTimer = setTimeout(() => {
      if (this.#held !== held) return;
      void this.#serial(async () => {
        if (this.#held !== held) return;
        await this.#unloadNow();
        this.#options.onIdleUnload?.(held.info.modelId);
      }).catch(() => undefined);
    }, held.idleMs);
    this.#idleTimer.unref();
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #llama(): Promise<Llama> {
    return (this.#options.llama ?? sharedLlama)().catch((error: unknown) => {
      throw error instanceof ApiError ? error : new ApiError('MODEL_ERROR', `llama.cpp could not start: ${error instanceof Error ? error.message : String(error)}`);
    });
  }
}

/** 'auto' is QUARRY_LLAMA_THREADS when set (benches and tests pin it), else the math cores less one. */
function threadsFor(setting: ModelSettings['threads'], llama: Llama): number {
  if (setting !== 'auto') return setting;
  const env = Number(process.env.QUARRY_LLAMA_THREADS);
  if (Number.isInteger(env) && env > 0) return env;
  return Math.max(1, llama.cpuMathCores - 1);
}

function chatHistory(system: string, prompt: string): ChatHistoryItem[] {
  return [...(system === '' ? [] : [{ type: 'system' as const, text: system }]), { type: 'user', text: prompt }, { type: 'model', response: [] }];
}

/** Tokens of the prompt as the model sees it: system and prompt inside the model's chat template. */
function formattedTokens(chat: LlamaChat, model: LlamaModel, system: string, prompt: string): number {
  return chat.chatWrapper.generateContextState({ chatHistory: chatHistory(system, prompt) }).contextText.tokenize(model.tokenizer).length;
}

function noModel(): ApiError {
  return new ApiError('NO_MODEL', 'No model is loaded. Load one on the Models screen (or `quarry models list`).');
}
