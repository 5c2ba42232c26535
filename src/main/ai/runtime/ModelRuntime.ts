import { z } from 'zod';
import type { AiEndpointInfo } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import type { LoadedModel, ModelSettings } from '../../../shared/domain/models';
import type { SecretBox } from '../../secrets/SecretBox';
import type { AppStore } from '../../store/AppStore';
import type { ModelCatalog } from '../models/ModelCatalog';
import { generationCacheKey, sha256Text } from './generationCacheKey';
import type { LlamaRuntime } from './LlamaRuntime';
import { OpenAiCompatibleRuntime } from './OpenAiCompatibleRuntime';
import type { GenerateRequest, GenerateResult, TextGenerator } from './TextGenerator';

/** The `ai.endpoint` setting. The API key is not in it: it is sealed apart (setEndpoint). */
export const endpointSettingSchema = z.object({
  /** Defaults to false: the endpoint is only used when someone turns it on. */
  enabled: z.boolean().default(false),
  baseUrl: z.string().min(1).max(2000),
  model: z.string().min(1).max(500),
  /** Defaults to 8192. */
  contextSize: z.number().int().min(256).max(1_048_576).optional(),
});
export type EndpointSetting = z.output<typeof endpointSettingSchema>;

export const endpointSettingKey = 'ai.endpoint';
const endpointApiKeyKey = 'ai.endpoint.apiKey';

export interface ModelRuntimeOptions {
  store: AppStore;
  secretBox: SecretBox;
  local: LlamaRuntime;
  /** Where a model id is, the settings to load it with and whether it fits (planLoad), and its sha256. */
  catalog: Pick<ModelCatalog, 'planLoad' | 'sha256'>;
  /** Told the first time in this process that a request goes to the endpoint. Defaults to a line on stderr. */
  onEndpointInUse?: (url: string) => void;
  /** Answers kept in the generation cache. Defaults to 2000. */
  cacheLimit?: number;
}

/**
 * What the app and the copilot features talk to: the local model (or, when the `ai.endpoint` setting enables
 * it, the OpenAI-compatible endpoint) behind one TextGenerator, with the generation cache and the audit log
 * around every request, whichever answers it.
 */
export class ModelRuntime implements TextGenerator {
  readonly #options: ModelRuntimeOptions;
  #endpoint?: { key: string; runtime: OpenAiCompatibleRuntime };
  #announced = new Set<string>();

  constructor(options: ModelRuntimeOptions) {
    this.#options = options;
  }

  /** Loads a local model by id with the saved settings and these overrides; refuses while the endpoint is enabled. */
  async load(modelId: string, override?: Partial<ModelSettings>): Promise<LoadedModel> {
    const endpoint = this.endpointSetting();
    if (endpoint?.enabled) {
      throw new ApiError(
        'MODEL_ERROR',
        `AI requests go to the OpenAI-compatible endpoint ${endpoint.baseUrl} (setting ${endpointSettingKey}); turn it off to load a local model.`,
      );
    }
    // Refuses a model that does not fit (or cannot be read) with the estimate, before llama.cpp sees it.
    const plan = await this.#options.catalog.planLoad(modelId, override);
    let sha256: string;
    try {
      sha256 = await this.#options.catalog.sha256(modelId);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError('MODEL_ERROR', `Cannot read the model file ${plan.path}: ${error instanceof Error ? error.message : String(error)}`);
    }
    return this.#options.local.load({ id: plan.model.id, path: plan.path, sha256 }, plan.settings, plan.estimate);
  }

  unload(): Promise<void> {
    return this.#options.local.unload();
  }

  /** The model that answers: the endpoint's when it is enabled (provider 'openai'), else the local one. */
  loaded(): LoadedModel | undefined {
    // An enabled endpoint whose saved setting is unusable (written past setEndpoint) answers nothing; generate() says why.
    try {
      return this.#active()?.loaded();
    } catch {
      return undefined;
    }
  }

  contextSize(): number {
    try {
      return this.#active()?.contextSize() ?? 0;
    } catch {
      return 0;
    }
  }

  countTokens(text: string): number {
    const active = this.#active();
    if (!active) throw noModel();
    return active.countTokens(text);
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const generator = this.#active();
    const model = generator?.loaded();
    if (!generator || !model) throw noModel();
    const started = performance.now();
    const maxTokens = request.maxTokens ?? 512;
    const temperature = request.temperature ?? 0;
    const modelIdentity = model.provider === 'local' ? model.sha256 : `openai ${(generator as OpenAiCompatibleRuntime).url} ${model.modelId}`;
    const key = generationCacheKey({ modelIdentity, system: request.system, prompt: request.prompt, jsonSchema: request.jsonSchema, maxTokens, temperature, seed: request.seed });
    const audit = {
      purpose: request.purpose,
      provider: model.provider,
      modelId: model.modelId,
      modelSha256: model.sha256,
      params: {
        maxTokens,
        temperature,
        ...(request.seed !== undefined && { seed: request.seed }),
        json: request.jsonSchema !== undefined,
        ...(request.jsonSchema !== undefined && { schemaHash: sha256Text(JSON.stringify(request.jsonSchema)) }),
      },
      promptHash: sha256Text(`${request.system}\u0000${request.prompt}`),
    };
    const store = this.#options.store;

    // Only deterministic requests are cached: with temperature > 0 the same prompt is meant to vary.
    const cacheable = !request.noCache && temperature === 0;
    const hit = cacheable ? store.getCachedGeneration(key) : undefined;
    if (hit) {
      request.onToken?.(hit.text);
      const result: GenerateResult = {
        text: hit.text,
        promptTokens: hit.promptTokens,
        completionTokens: hit.completionTokens,
        durationMs: performance.now() - started,
        cached: true,
        ...(hit.json !== undefined && { json: hit.json }),
      };
      store.addGenerationAudit({
        ...audit,
        at: new Date().toISOString(),
        responseHash: sha256Text(hit.text),
        promptTokens: hit.promptTokens,
        completionTokens: hit.completionTokens,
        durationMs: result.durationMs,
        cached: true,
      });
      return result;
    }

    let result: GenerateResult;
    try {
      result = await generator.generate(request);
    } catch (error) {
      const e = error instanceof ApiError ? error : new ApiError('MODEL_ERROR', error instanceof Error ? error.message : String(error));
      store.addGenerationAudit({ ...audit, at: new Date().toISOString(), durationMs: performance.now() - started, cached: false, error: `${e.code}: ${e.message}` });
      throw e;
    }
    store.addGenerationAudit({
      ...audit,
      at: new Date().toISOString(),
      responseHash: sha256Text(result.text),
      promptTokens: result.promptTokens,
      completionTokens: result.completionTokens,
      ...(result.promptTokensReused !== undefined && { promptTokensReused: result.promptTokensReused }),
      durationMs: result.durationMs,
      ...(result.timeToFirstTokenMs !== undefined && { timeToFirstTokenMs: result.timeToFirstTokenMs }),
      cached: false,
      ...(result.trimmed !== undefined && { trimmed: result.trimmed }),
    });
    // A cut prompt's answer is not the answer to the prompt as asked, so it is not kept under that prompt's key.
    if (cacheable && result.trimmed === undefined) {
      store.putCachedGeneration(
        {
          key,
          modelIdentity,
          text: result.text,
          promptTokens: result.promptTokens,
          completionTokens: result.completionTokens,
          createdAt: new Date().toISOString(),
          ...(result.json !== undefined && { json: result.json }),
        },
        this.#options.cacheLimit,
      );
    }
    return result;
  }

  /** The endpoint as the UI may see it: the setting and whether a key is stored, never the key. */
  endpointInfo(): AiEndpointInfo | null {
    const setting = this.endpointSetting();
    if (!setting) return null;
    return { ...setting, hasApiKey: this.#options.store.getSealedValue(endpointApiKeyKey) !== undefined };
  }

  /** The saved endpoint setting, or undefined when there is none (or it is malformed, which counts as off). */
  endpointSetting(): EndpointSetting | undefined {
    const parsed = endpointSettingSchema.safeParse(this.#options.store.getSetting(endpointSettingKey));
    return parsed.success ? parsed.data : undefined;
  }

  /**
   * Saves the endpoint setting; the API key is sealed with the SecretBox and kept out of settings (a string sets
   * it, null removes it, undefined keeps it). Nothing is enabled unless `enabled: true` is passed.
   */
  setEndpoint(setting: z.input<typeof endpointSettingSchema>, apiKey?: string | null): EndpointSetting {
    const parsed = endpointSettingSchema.parse(setting);
    // Constructing it checks the URL now, not at the first question.
    new OpenAiCompatibleRuntime({ baseUrl: parsed.baseUrl, model: parsed.model });
    this.#options.store.setSetting(endpointSettingKey, parsed);
    if (apiKey === null) this.#options.store.setSealedValue(endpointApiKeyKey, undefined);
    else if (apiKey !== undefined) this.#options.store.setSealedValue(endpointApiKeyKey, this.#options.secretBox.encrypt(apiKey));
    this.#endpoint = undefined;
    return parsed;
  }

  /** Unloads the local model. Idempotent. */
  async dispose(): Promise<void> {
    await this.#options.local.dispose();
  }

  #active(): TextGenerator | undefined {
    const endpoint = this.#endpointRuntime();
    if (endpoint) return endpoint;
    return this.#options.local.loaded() ? this.#options.local : undefined;
  }

  #endpointRuntime(): OpenAiCompatibleRuntime | undefined {
    const setting = this.endpointSetting();
    if (!setting?.enabled) return undefined;
    const sealed = this.#options.store.getSealedValue(endpointApiKeyKey);
    const cacheKey = JSON.stringify(setting) + (sealed?.toString('base64') ?? '');
    if (this.#endpoint?.key !== cacheKey) {
      let apiKey: string | undefined;
      if (sealed) {
        try {
          apiKey = this.#options.secretBox.decrypt(sealed);
        } catch {
          throw new ApiError('MODEL_ERROR', `The API key of the AI endpoint cannot be unsealed (another machine's key?); set it again.`);
        }
      }
      const runtime = new OpenAiCompatibleRuntime({
        baseUrl: setting.baseUrl,
        model: setting.model,
        ...(apiKey !== undefined && { apiKey }),
        ...(setting.contextSize !== undefined && { contextSize: setting.contextSize }),
      });
      this.#endpoint = { key: cacheKey, runtime };
      if (!this.#announced.has(runtime.url)) {
        this.#announced.add(runtime.url);
        (this.#options.onEndpointInUse ?? ((url: string) => console.error(`quarry: AI requests go to the OpenAI-compatible endpoint ${url} (setting ${endpointSettingKey}).`)))(runtime.url);
      }
    }
    return this.#endpoint.runtime;
  }
}

function noModel(): ApiError {
  return new ApiError('NO_MODEL', 'No model is loaded. Load one on the Models screen (or `quarry models list`).');
}
