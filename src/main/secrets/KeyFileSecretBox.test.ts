import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeyFileSecretBox } from './KeyFileSecretBox';

describe('KeyFileSecretBox', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'quarry-secrets-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a 32-byte key readable only by the user and round-trips secrets', () => {
    const keyPath = join(dir, 'nested', 'secret.key');
    const box = new KeyFileSecretBox(keyPath);
    expect(readFileSync(keyPath)).toHaveLength(32);
    if (process.platform !== 'win32') expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    const sealed = box.encrypt('pässwörd 🔑');
    expect(sealed[0]).toBe(1);
    expect(sealed.includes(Buffer.from('pässwörd'))).toBe(false);
    expect(box.decrypt(sealed)).toBe('pässwörd 🔑');
    // A fresh IV each time.
    expect(box.encrypt('same').equals(box.encrypt('same'))).toBe(false);
  });

  it('reuses the key on reopen, and another key cannot decrypt', () => {
    const sealed = new KeyFileSecretBox(join(dir, 'a.key')).encrypt('hunter2');
    expect(new KeyFileSecretBox(join(dir, 'a.key')).decrypt(sealed)).toBe('hunter2');
    expect(() => new KeyFileSecretBox(join(dir, 'b.key')).decrypt(sealed)).toThrow(/could not be decrypted/);
  });

  it('rejects tampered, truncated and unknown-version data', () => {
    const box = new KeyFileSecretBox(join(dir, 'secret.key'));
    const sealed = box.encrypt('hunter2');
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => box.decrypt(tampered)).toThrow(/could not be decrypted/);
    expect(() => box.decrypt(sealed.subarray(0, 10))).toThrow(/truncated/);
    const v9 = Buffer.from(sealed);
    v9[0] = 9;
    expect(() => box.decrypt(v9)).toThrow(/unknown format version 9/);
  });

  it.skipIf(process.platform === 'win32')('repairs a key file readable by others, with a warning', () => {
    const keyPath = join(dir, 'secret.key');
    new KeyFileSecretBox(keyPath);
    chmodSync(keyPath, 0o644);
    const warnings: string[] = [];
    new KeyFileSecretBox(keyPath, { warn: (m) => warnings.push(m) });
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    expect(warnings.join()).toMatch(/readable by other users/);
  });

  it('gives processes starting at once the same key', async () => {
    const keyPath = join(dir, 'shared', 'secret.key');
    const script = `import { KeyFileSecretBox } from ${JSON.stringify(join(import.meta.dirname, 'KeyFileSecretBox.ts'))};
      const box = new KeyFileSecretBox(${JSON.stringify(keyPath)});
      process.stdout.write(box.encrypt('shared').toString('base64'));`;
    const outputs = await Promise.all(
      Array.from({ length: 6 }, () =>
        new Promise<string>((resolve, reject) => {
          const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
          let out = '';
          child.stdout.on('data', (d: Buffer) => (out += d.toString()));
          child.on('error', reject);
          child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
        }),
      ),
    );
    const box = new KeyFileSecretBox(keyPath);
    for (const sealed of outputs) expect(box.decrypt(Buffer.from(sealed, 'base64'))).toBe('shared');
    expect(readdirSync(join(dir, 'shared'))).toEqual(['secret.key']);
  });

  it('refuses a damaged key file with a clear message', () => {
    const keyPath = join(dir, 'secret.key');
    writeFileSync(keyPath, 'short', { mode: 0o600 });
    expect(() => new KeyFileSecretBox(keyPath)).toThrow(/5 bytes long, expected 32/);
  });
});
