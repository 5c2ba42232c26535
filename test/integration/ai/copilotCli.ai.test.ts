// `quarry ask` as a user runs it: a real process, the shipped demo database, the fixture model through
// QUARRY_TEST_MODELS_DIR. stories260K writes nonsense, so the command must give up after its tries (exit 1) and
// print the refused SQL with its problems, never run it.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AskSuggestion } from '../../../src/shared/domain/models';

const modelsDir = process.env.QUARRY_TEST_MODELS_DIR;
if (!modelsDir) console.warn('QUARRY_TEST_MODELS_DIR is not set: skipping the quarry ask tests (set it to the folder holding llm/stories260K.gguf).');

const root = join(import.meta.dirname, '..', '..', '..');
const bin = join(root, 'bin', 'quarry.mjs');
const demo = join(root, 'resources', 'demo.sqlite');
const dataDir = mkdtempSync(join(tmpdir(), 'quarry-ask-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function quarry(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // One llama thread: two were ~200× slower on the 2-core machine.
    const child = spawn(process.execPath, [bin, ...args, ...(args.includes('--data-dir') ? [] : ['--data-dir', dataDir])], { cwd: root, env: { ...process.env, QUARRY_LLAMA_THREADS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(!modelsDir)('quarry ask', () => {
  const model = join(modelsDir ?? '', 'llm', 'stories260K.gguf');

  it('prints the refused suggestion with its problems and exits 1 when the model gives up', async () => {
    const r = await quarry(['ask', demo, 'Which customers placed the most orders?', '--model', model, '--format', 'json']);
    expect(r.code, r.stderr).toBe(1);
    const suggestion = JSON.parse(r.stdout) as AskSuggestion;
    expect(suggestion).toMatchObject({ valid: false, attempts: 3 });
    expect(suggestion.problems.length).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/try 3 refused: /);
  });

  it('text output: the SQL first, then the explanation and why it is not valid, and that it was not run', async () => {
    const r = await quarry(['ask', demo, 'How many products are active?', '--model', model]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/\n-- NOT valid after 3 tries; not run:\n-- {3}\S/);
  });

  it('without --model uses the one model in the models folder, loaded through the catalog; several need --model', async () => {
    const own = mkdtempSync(join(tmpdir(), 'quarry-ask-models-'));
    try {
      mkdirSync(join(own, 'models'));
      copyFileSync(model, join(own, 'models', 'stories.gguf'));
      const one = await quarry(['ask', demo, 'How many orders were paid?', '--format', 'json', '--data-dir', own]);
      expect(one.code, one.stderr).toBe(1);
      expect(one.stderr).toMatch(/^quarry: loading stories\.gguf \(threads: 1\)/);
      expect(JSON.parse(one.stdout)).toMatchObject({ valid: false, attempts: 3 });
      copyFileSync(model, join(own, 'models', 'again.gguf'));
      const two = await quarry(['ask', demo, 'orders?', '--data-dir', own]);
      expect(two.code).toBe(2);
      expect(two.stderr).toMatch(/2 models in .*; pick one with --model \(again\.gguf, stories\.gguf\)/);
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });

  it('exits 2 saying what to do when there is no model, or --model names nothing', async () => {
    const none = await quarry(['ask', demo, 'orders?']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^quarry: No model in .*models: download one \(quarry models download\) or give a GGUF file with --model\.\n$/);
    const missing = await quarry(['ask', demo, 'orders?', '--model', 'no-such-model.gguf']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--model "no-such-model\.gguf" is neither a file nor a model in /);
  });
});
