import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lookupPgpass, matchPgpass, pgpassFile } from './pgpass';

const dir = mkdtempSync(join(tmpdir(), 'quarry-pgpass-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function passFile(name: string, text: string, mode = 0o600): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  chmodSync(file, mode);
  return file;
}

const target = { host: 'db.example.com', port: 5432, database: 'sales', user: 'alice' };

describe('pgpass', () => {
  it('takes the first matching line, with * wildcards', () => {
    const file = passFile('a', ['# comment', 'other.host:5432:*:alice:nope', 'db.example.com:*:sales:alice:first', '*:*:*:*:fallback', ''].join('\n'));
    expect(lookupPgpass(target, { file })).toBe('first');
    expect(lookupPgpass({ ...target, database: 'hr' }, { file })).toBe('fallback');
  });

  it('unescapes \\: and \\\\ and keeps colons in the password field', () => {
    expect(matchPgpass('db\\:x:5432:*:bob:p\\:w\\\\d', { host: 'db:x', port: 5432, database: 'd', user: 'bob' })).toBe('p:w\\d');
    expect(matchPgpass('*:*:*:bob:a:b:c', { host: 'h', port: 1, database: 'd', user: 'bob' })).toBe('a:b:c');
  });

  it('ignores a file others can read, as libpq does', () => {
    const file = passFile('loose', '*:*:*:*:secret', 0o644);
    expect(lookupPgpass(target, { file })).toBeUndefined();
    chmodSync(file, 0o600);
    expect(lookupPgpass(target, { file })).toBe('secret');
  });

  it('matches localhost entries for loopback addresses and returns undefined without a match or file', () => {
    expect(matchPgpass('localhost:5432:*:*:loop', { host: '127.0.0.1', port: 5432, database: 'x', user: 'y' })).toBe('loop');
    expect(matchPgpass('localhost:5433:*:*:loop', { host: '127.0.0.1', port: 5432, database: 'x', user: 'y' })).toBeUndefined();
    expect(lookupPgpass(target, { file: join(dir, 'missing') })).toBeUndefined();
  });

  it('honours PGPASSFILE', () => {
    const file = passFile('env', '*:*:*:*:from-env');
    expect(pgpassFile({ env: { PGPASSFILE: file } })).toBe(file);
    expect(lookupPgpass(target, { env: { PGPASSFILE: file } })).toBe('from-env');
  });
});
