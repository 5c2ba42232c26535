import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ApiError } from '../shared/api/errors';
import type { AskSuggestion } from '../shared/domain/models';
import { CopilotService } from '../main/ai/copilot/CopilotService';
import { ModelCatalog } from '../main/ai/models/ModelCatalog';
import { disposeSharedLlama } from '../main/ai/models/sharedLlama';
import { LlamaRuntime, type ModelToLoad } from '../main/ai/runtime/LlamaRuntime';
import { ModelRuntime } from '../main/ai/runtime/ModelRuntime';
import { KeyFileSecretBox } from '../main/secrets/KeyFileSecretBox';
import { createDriver } from '../main/db/createDriver';
import { AppStore } from '../main/store/AppStore';
import { CliError } from './CliError';
import { resolveTarget } from './resolveTarget';

export interface AskCommandOptions {
  dataDir: string;
  target: string;
  question: string;
  /** A GGUF file, or a model id in the models directory. Defaults to the only model there. */
  model?: string;
  format: 'text' | 'json';
}

/**
 * `quarry ask <target> "<question>"`: reads the schema, loads the model, and prints the suggested SQL, its
 * explanation and what validation found. It never runs the SQL. Exit 0 when the SQL passed validation, 1 when
 * the model gave up after its tries, 2 for usage, a connection that fails, or no model.
 */
export async function askCommand(options: AskCommandOptions): Promise<number> {
  const { config, secrets } = await resolveTarget(options.target, options.dataDir);
  let driver;
  try {
    driver = await createDriver({ config, secrets });
  } catch (error) {
    throw new CliError(`Cannot connect to ${config.name}: ${(error as Error).message.split('\n')[0]}`, 2);
  }
  let schema;
  try {
    schema = await driver.introspect();
  } finally {
    await driver.dispose();
  }

  const store = new AppStore({ dataDir: options.dataDir });
  const catalog = new ModelCatalog({ store, dataDir: options.dataDir, resourcesDir: join(import.meta.dirname, '..', '..', 'resources') });
  const local = new LlamaRuntime();
  // As in the app: the generation cache and the audit log around every request, and the ai.endpoint setting honoured.
  const runtime = new ModelRuntime({ store, secretBox: new KeyFileSecretBox(join(options.dataDir, 'secret.key')), local, catalog });
  const copilot = new CopilotService({ generator: runtime, getSchema: async () => schema, emit: () => undefined });
  try {
    const endpoint = runtime.endpointSetting();
    if (endpoint?.enabled && options.model === undefined) {
      process.stderr.write(`quarry: asking the OpenAI-compatible endpoint ${endpoint.baseUrl} (setting ai.endpoint)…\n`);
    } else {
      const threads = threadsFromEnv();
      const model = await pickModel(catalog, options.model);
      process.stderr.write(`quarry: loading ${model.id} (threads: ${threads ?? catalog.getSettings().threads})…\n`);
      try {
        if ('path' in model) await local.load(model, { ...catalog.getSettings(), ...(threads !== undefined && { threads }) });
        else await runtime.load(model.id, threads === undefined ? undefined : { threads });
      } catch (error) {
        throw new CliError(error instanceof Error ? error.message.split('\n')[0]! : String(error), 2);
      }
    }
    const suggestion = await copilot.suggest(schema, options.question, {
      onEvent: (event) => {
        if (event.type === 'attempt') process.stderr.write(`quarry: try ${event.attempt} refused: ${event.problems.join(' ')}\n`);
      },
    });
    process.stdout.write(options.format === 'json' ? `${JSON.stringify(suggestion, null, 2)}\n` : suggestionText(suggestion));
    return suggestion.valid ? 0 : 1;
  } catch (error) {
    if (error instanceof ApiError && (error.code === 'NO_MODEL' || error.code === 'MODEL_ERROR' || error.code === 'NOT_FOUND')) throw new CliError(error.message, 2);
    throw error;
  } finally {
    await copilot.dispose();
    await runtime.dispose();
    await disposeSharedLlama();
    catalog.dispose();
    store.dispose();
  }
}

/** The suggestion for a terminal: the SQL alone on its lines (easy to copy), then what to know about it. */
export function suggestionText(s: AskSuggestion): string {
  const lines = [s.sql || '(no SQL)', '', `-- ${s.explanation || '(no explanation)'}`];
  if (s.tables.length > 0) lines.push(`-- tables: ${s.tables.join(', ')}`);
  lines.push(
    s.valid
      ? `-- valid: it parses and every table and column exists (${s.attempts} ${s.attempts === 1 ? 'try' : 'tries'}). Not run.`
      : `-- NOT valid after ${s.attempts} ${s.attempts === 1 ? 'try' : 'tries'}; not run:`,
  );
  for (const p of s.problems) lines.push(`--   ${p}`);
  if (s.trimmed) lines.push(`-- note: ${s.trimmed}`);
  return `${lines.join('\n')}\n`;
}

/** QUARRY_LLAMA_THREADS, which decides the threads over the saved setting when it is set. */
function threadsFromEnv(): number | undefined {
  const env = process.env.QUARRY_LLAMA_THREADS;
  if (env === undefined || env.trim() === '') return undefined;
  const threads = Number(env);
  if (!Number.isInteger(threads) || threads < 1 || threads > 512) throw new CliError(`QUARRY_LLAMA_THREADS must be a whole number from 1 to 512, got "${env}".`, 2);
  return threads;
}

/**
 * --model as a GGUF file anywhere (loaded as it is) or a models-directory id (loaded as the app loads it, with
 * the catalog's fit estimate); without it, the one model in the directory.
 */
async function pickModel(catalog: ModelCatalog, asked: string | undefined): Promise<ModelToLoad | { id: string }> {
  if (asked !== undefined) {
    if (isFile(asked)) {
      const path = resolve(asked);
      return { id: basename(path), path, sha256: await fileSha256(path) };
    }
    const model = await catalog.get(asked).catch(() => {
      throw new CliError(`--model "${asked}" is neither a file nor a model in ${catalog.dir()} (see quarry models list).`, 2);
    });
    return { id: model.id };
  }
  const { dir, models } = await catalog.list();
  const usable = models.filter((m) => m.error === undefined);
  if (usable.length === 0) throw new CliError(`No model in ${dir}: download one (quarry models download) or give a GGUF file with --model.`, 2);
  if (usable.length > 1) throw new CliError(`${usable.length} models in ${dir}; pick one with --model (${usable.map((m) => m.id).join(', ')}).`, 2);
  return { id: usable[0]!.id };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
