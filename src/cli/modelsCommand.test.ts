import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../shared/api/errors';
import { buildTestGguf } from '../main/ai/models/buildTestGguf';
import { CliError } from './CliError';
import { modelsCommand } from './modelsCommand';

let dataDir: string;

/** The command on a temporary data dir, its output captured: what it printed, or what it threw. */
async function models(subcommand: string, args: string[] = [], format: 'text' | 'json' = 'text'): Promise<{ stdout: string; error?: unknown }> {
  let stdout = '';
  try {
    await modelsCommand({ dataDir, subcommand, args, format, stdout: { write: (text: string) => (stdout += text) } });
    return { stdout };
  } catch (error) {
    return { stdout, error };
  }
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'quarry-models-cli-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('quarry models', () => {
  it('lists an empty folder, then models with their metadata or their error', async () => {
    expect((await models('list')).stdout).toContain(`No models in ${join(dataDir, 'models')}.\nDownload one with: quarry models download qwen2.5-coder-1.5b-instruct-q4_k_m`);

    const good = buildTestGguf({ metadata: { 'general.architecture': 'qwen2', 'general.file_type': 15, 'qwen2.context_length': 32768 } });
    writeFileSync(join(dataDir, 'models', 'coder.gguf'), good);
    writeFileSync(join(dataDir, 'models', 'cut.gguf'), good.subarray(0, 50));
    const text = await models('list');
    expect(text.error).toBeUndefined();
    expect(text.stdout).toMatch(/coder\.gguf +\d+ bytes +qwen2, 32 params, Q4_K_M, ctx 32768/);
    expect(text.stdout).toMatch(/cut\.gguf +50 bytes +error: cut\.gguf is truncated/);

    const json = JSON.parse((await models('list', [], 'json')).stdout) as { models: { id: string; error?: string }[] };
    expect(json.models.map((m) => [m.id, m.error !== undefined])).toEqual([
      ['coder.gguf', false],
      ['cut.gguf', true],
    ]);
  });

  it('refuses info on a broken file with its reason (exit 1), and bad usage (exit 2)', async () => {
    const broken = (await models('info', ['cut.gguf'])).error;
    expect(broken).toBeInstanceOf(CliError);
    expect(broken).toMatchObject({ exitCode: 1, message: expect.stringMatching(/^cut\.gguf is truncated/) });
    expect((await models('info')).error).toMatchObject({ exitCode: 2, message: expect.stringMatching(/^Usage: quarry models/) });
    expect((await models('frobnicate')).error).toMatchObject({ exitCode: 2, message: expect.stringMatching(/Unknown models command "frobnicate"/) });
    expect((await models('info', ['nothing.gguf'])).error).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('deletes a model, and refuses a path outside the folder', async () => {
    const outside = (await models('rm', ['../quarry.db'])).error;
    expect(outside).toBeInstanceOf(ApiError);
    expect(outside).toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/not a model id/) });
    expect(existsSync(join(dataDir, 'quarry.db'))).toBe(true);
    expect(await models('rm', ['cut.gguf'])).toEqual({ stdout: 'Deleted cut.gguf, 50 bytes.\n' });
    expect(existsSync(join(dataDir, 'models', 'cut.gguf'))).toBe(false);
  });

  it('shows and moves the models folder through the models.dir setting', async () => {
    expect((await models('dir')).stdout).toBe(`${join(dataDir, 'models')}\n`);
    const other = join(dataDir, 'elsewhere');
    expect((await models('dir', [other])).stdout).toBe(`${other}\n`);
    expect(existsSync(other)).toBe(true);
    expect((await models('list')).stdout).toContain(`No models in ${other}.`);
  });
});
