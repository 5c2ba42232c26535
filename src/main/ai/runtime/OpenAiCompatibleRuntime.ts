import { ApiError } from '../../../shared/api/errors';
import type { LoadedModel } from '../../../shared/domain/models';
import { fitPrompt } from './fitPrompt';
import type { GenerateRequest, GenerateResult, TextGenerator } from './TextGenerator';

export interface OpenAiCompatibleRuntimeOptions {
  /** The server's base URL: `http://host:8080` or `http://host:8080/v1` (llama-server, vLLM, …). */
  baseUrl: string;
  /** The model name the server expects in requests. */
  model: string;
  /** Sent as a bearer token when set. Defaults to none. */
  apiKey?: string;
  /** Tokens the served model holds in one request; the server is not asked. Defaults to 8192. */
  contextSize?: number;
  /** Give up on a request that has not finished after this long. Defaults to 300,000 ms. */
  timeoutMs?: number;
}

/** Without the server's tokenizer, tokens are estimated at four characters each (close for English and SQL). */
const charsPerToken = 4;
const templateAllowance = 48;

/**
 * The same TextGenerator over an OpenAI-compatible `/v1/chat/completions`, streamed (SSE), with the JSON
 * schema sent as `response_format` so the server constrains the output. For teams that run llama-server or
 * vLLM in their network; it is only used when the `ai.endpoint` setting enables it.
 */
export class OpenAiCompatibleRuntime implements TextGenerator {
  readonly #options: OpenAiCompatibleRuntimeOptions;
  readonly #url: string;

  constructor(options: OpenAiCompatibleRuntimeOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new ApiError('BAD_INPUT', `The AI endpoint's base URL is not a URL: ${JSON.stringify(options.baseUrl)}.`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ApiError('BAD_INPUT', `The AI endpoint's base URL must be http(s), not ${url.protocol}.`);
    }
    const path = url.pathname.replace(/\/+$/, '');
    url.pathname = `${path.endsWith('/v1') ? path : `${path}/v1`}/chat/completions`;
    this.#url = url.toString();
    this.#options = options;
  }

  /** The chat completions URL requests go to. */
  get url(): string {
    return this.#url;
  }

  loaded(): LoadedModel {
    return { modelId: this.#options.model, sha256: '', gpu: false, gpuLayers: 0, contextSize: this.contextSize(), threads: 0, provider: 'openai' };
  }

  contextSize(): number {
    return this.#options.contextSize ?? 8192;
  }

  countTokens(text: string): number {
    return Math.ceil(text.length / charsPerToken);
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    if (request.signal?.aborted) throw cancelled();
    const started = performance.now();
    const contextSize = this.contextSize();
    const maxTokens = Math.max(1, Math.min(Math.floor(request.maxTokens ?? 512), Math.floor(contextSize / 2)));
    const fitted = fitPrompt({
      system: request.system,
      prompt: request.prompt,
      budget: (contextSize - maxTokens - templateAllowance) * charsPerToken,
      tokenizer: { tokenize: (t) => Array.from(t, (c) => c.codePointAt(0)!), detokenize: (codes) => String.fromCodePoint(...codes) },
      unit: 'characters',
    });
    const body = {
      model: this.#options.model,
      messages: [...(fitted.system === '' ? [] : [{ role: 'system', content: fitted.system }]), { role: 'user', content: fitted.prompt }],
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: maxTokens,
      temperature: request.temperature ?? 0,
      ...(request.seed !== undefined && { seed: request.seed }),
      ...(request.jsonSchema !== undefined && {
        response_format: { type: 'json_schema', json_schema: { name: 'answer', strict: true, schema: request.jsonSchema } },
      }),
    };
    const timeout = AbortSignal.timeout(this.#options.timeoutMs ?? 300_000);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await fetch(this.#url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          ...(this.#options.apiKey && { authorization: `Bearer ${this.#options.apiKey}` }),
        },
        body: JSON.stringify(body),
        signal,
      });
    } catch (error) {
      throw this.#failure(error, request.signal, timeout);
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      throw new ApiError('MODEL_ERROR', `The AI endpoint ${this.#url} answered ${response.status} ${response.statusText}${text ? `: ${text.slice(0, 300)}` : ''}`, {
        status: response.status,
      });
    }
    let text = '';
    let firstTokenAt: number | undefined;
    let finishReason: string | undefined;
    let usage: { prompt_tokens?: number; completion_tokens?: number } | undefined;
    const onData = (data: string): void => {
      if (data === '[DONE]') return;
      let chunk: SseChunk;
      try {
        chunk = JSON.parse(data) as SseChunk;
      } catch {
        throw new ApiError('MODEL_ERROR', `The AI endpoint ${this.#url} sent an event that is not JSON: ${data.slice(0, 200)}`);
      }
      if (chunk.error) throw new ApiError('MODEL_ERROR', `The AI endpoint ${this.#url} reported an error: ${chunk.error.message ?? JSON.stringify(chunk.error)}`);
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices?.[0];
      if (choice?.finish_reason) finishReason = choice.finish_reason;
      const piece = choice?.delta?.content ?? choice?.message?.content;
      if (typeof piece === 'string' && piece !== '') {
        firstTokenAt ??= performance.now();
        text += piece;
        request.onToken?.(piece);
      }
    };
    try {
      if ((response.headers.get('content-type') ?? '').includes('text/event-stream')) {
        await readSse(response, onData);
      } else {
        // A server that ignores stream:true answers with one JSON object.
        onData(await response.text());
      }
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw this.#failure(error, request.signal, timeout);
    }
    const stopReason = finishReason === 'length' ? 'maxTokens' : 'end';
    const promptTokens = usage?.prompt_tokens ?? this.countTokens(fitted.system) + this.countTokens(fitted.prompt);
    const result: GenerateResult = {
      text,
      promptTokens,
      completionTokens: usage?.completion_tokens ?? this.countTokens(text),
      durationMs: performance.now() - started,
      cached: false,
      stopReason,
      ...(firstTokenAt !== undefined && { timeToFirstTokenMs: firstTokenAt - started }),
      ...(fitted.trimmed !== undefined && { trimmed: fitted.trimmed }),
    };
    if (request.jsonSchema !== undefined) {
      if (stopReason === 'maxTokens') {
        throw new ApiError('MODEL_ERROR', `The model ran out of tokens (maxTokens ${maxTokens}) before it finished the JSON answer.`, { text });
      }
      try {
        result.json = JSON.parse(text) as unknown;
      } catch (error) {
        throw new ApiError('MODEL_ERROR', `The model's answer is not the requested JSON: ${error instanceof Error ? error.message : String(error)}`, { text });
      }
    }
    return result;
  }

  #failure(error: unknown, outer: AbortSignal | undefined, timeout: AbortSignal): ApiError {
    if (outer?.aborted) return cancelled();
    if (timeout.aborted) return new ApiError('TIMEOUT', `The AI endpoint ${this.#url} did not finish within ${Math.round((this.#options.timeoutMs ?? 300_000) / 1000)} s.`);
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return new ApiError('MODEL_ERROR', `Cannot reach the AI endpoint ${this.#url}: ${error instanceof Error ? error.message : String(error)}${cause}`);
  }
}

interface SseChunk {
  choices?: { delta?: { content?: string | null }; message?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number };
  error?: { message?: string };
}

/** Calls onData with each event's data (the `data:` lines of one event joined by newlines). */
async function readSse(response: Response, onData: (data: string) => void): Promise<void> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  const line = (raw: string): void => {
    const l = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (l === '') {
      if (data.length) onData(data.join('\n'));
      data = [];
    } else if (l.startsWith('data:')) {
      data.push(l.slice(5).replace(/^ /, ''));
    }
    // Comments (':'), event: and id: lines carry nothing this reader needs.
  };
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      line(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
    }
  }
  buffer += decoder.decode();
  if (buffer !== '') line(buffer);
  line('');
}

function cancelled(): ApiError {
  return new ApiError('CANCELLED', 'The generation was cancelled.');
}
