import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/api/errors';
import { openInput } from './openInput';

interface ZipEntry {
  name: string;
  data: Buffer;
  /** Lie about the uncompressed size, as a crafted archive can. */
  declaredSize?: number;
}

/** A minimal deflate zip, written by hand so tests can build the hostile archives no zip tool makes. */
function zipOf(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const packed = deflateRawSync(e.data);
    const size = e.declaredSize ?? e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc32(e.data), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc32(e.data), 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'quarry-input-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(rel: string, content: string | Buffer): Promise<void> {
  await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
  await writeFile(path.join(dir, rel), content);
}

describe('openInput: folders', () => {
  it('walks the folder with relative / paths, skipping .git, node_modules and hidden folders but not hidden files', async () => {
    await put('db/migrations/V1__init.sql', 'CREATE TABLE a (id int);');
    await put('db/migrations/V2__b.sql', 'CREATE TABLE b (id int);');
    await put('.quarry.yml', 'rules: {}\n');
    await put('.git/HEAD', 'ref: refs/heads/main\n');
    await put('node_modules/pkg/V9__x.sql', 'DROP TABLE a;');
    await put('.idea/V8__x.sql', 'DROP TABLE a;');
    const opened = await openInput(dir);
    expect(opened.root).toBe(dir);
    expect(opened.problems).toEqual([]);
    expect(opened.files.map((f) => f.path)).toEqual(['.quarry.yml', 'db/migrations/V1__init.sql', 'db/migrations/V2__b.sql']);
    expect(Buffer.from(opened.files[1]!.bytes).toString()).toBe('CREATE TABLE a (id int);');
  });

  it('opens a single file as a one-file input named by its base name', async () => {
    await put('20240101_init.sql', 'SELECT 1;');
    const opened = await openInput(path.join(dir, '20240101_init.sql'));
    expect(opened.files.map((f) => f.path)).toEqual(['20240101_init.sql']);
  });

  it('reports files over the size limit without reading them, and reads the rest', async () => {
    await put('V1__small.sql', 'SELECT 1;');
    await put('V2__big.sql', '');
    await truncate(path.join(dir, 'V2__big.sql'), 4096);
    const opened = await openInput(dir, { maxFileBytes: 1024 });
    expect(opened.files.map((f) => f.path)).toEqual(['V1__small.sql']);
    expect(opened.problems).toHaveLength(1);
    expect(opened.problems[0]).toMatchObject({ ruleId: 'read-error', severity: 'error', location: { file: 'V2__big.sql', line: 1, column: 1 } });
    expect(opened.problems[0]!.message).toContain('4096 bytes');
    expect(opened.problems[0]!.message).toContain('1024-byte limit');
  });

  it('skips a file over the default 100 MB limit (a sparse file, never read)', async () => {
    await put('V1__dump.sql', '');
    await truncate(path.join(dir, 'V1__dump.sql'), 100 * 1024 * 1024 + 1);
    const opened = await openInput(dir);
    expect(opened.files).toEqual([]);
    expect(opened.problems[0]!.message).toContain(`${100 * 1024 * 1024 + 1} bytes`);
  });

  it('neither reads nor reports files the caller does not include', async () => {
    await put('V1__a.sql', 'SELECT 1;');
    await put('docs/dump.bin', '');
    await truncate(path.join(dir, 'docs/dump.bin'), 8192);
    const opened = await openInput(dir, { maxFileBytes: 1024, include: (p) => p.endsWith('.sql') });
    expect(opened.files.map((f) => f.path)).toEqual(['V1__a.sql']);
    expect(opened.problems).toEqual([]);
  });

  it('stops at the limit for all files together', async () => {
    await put('a.sql', 'x'.repeat(600));
    await put('b.sql', 'x'.repeat(600));
    await put('c.sql', 'x'.repeat(600));
    const opened = await openInput(dir, { maxTotalBytes: 1000 });
    expect(opened.files.map((f) => f.path)).toEqual(['a.sql']);
    expect(opened.problems).toHaveLength(1);
    expect(opened.problems[0]!.location.file).toBe('b.sql');
  });

  it('refuses symbolic links that point outside the root, follows those inside, and does not loop', async () => {
    const outside = await mkdtemp(path.join(tmpdir(), 'quarry-outside-'));
    try {
      await writeFile(path.join(outside, 'secret.sql'), 'SELECT 1;');
      await put('migrations/V1__a.sql', 'SELECT 1;');
      await symlink(path.join(outside, 'secret.sql'), path.join(dir, 'migrations/V2__escape.sql'));
      await symlink(outside, path.join(dir, 'elsewhere'));
      await symlink(path.join(dir, 'migrations/V1__a.sql'), path.join(dir, 'latest.sql'));
      await put('shared/V3__only_via_link.sql', 'SELECT 3;');
      await symlink(path.join(dir, 'shared/V3__only_via_link.sql'), path.join(dir, 'migrations/V3__linked.sql'));
      await rm(path.join(dir, 'shared'), { recursive: true });
      await put('.shared/V4__hidden.sql', 'SELECT 4;');
      await symlink(path.join(dir, '.shared/V4__hidden.sql'), path.join(dir, 'migrations/V4__linked.sql'));
      await symlink(path.join(dir, 'migrations'), path.join(dir, 'current'));
      await put('.vendor/pkg/V5__vendored.sql', 'SELECT 5;');
      await symlink(path.join(dir, '.vendor/pkg'), path.join(dir, 'vendored'));
      await symlink(dir, path.join(dir, 'migrations/loop'));
      await symlink(path.join(dir, 'missing.sql'), path.join(dir, 'dangling.sql'));
      const opened = await openInput(dir);
      // latest.sql and current/ reach files read under their own paths; links into hidden folders are followed.
      expect(opened.files.map((f) => f.path)).toEqual(['migrations/V1__a.sql', 'migrations/V4__linked.sql', 'vendored/V5__vendored.sql']);
      expect(opened.problems.map((p) => [p.location.file, p.message.includes('outside') || p.message.includes('does not exist')])).toEqual([
        ['dangling.sql', true],
        ['elsewhere', true],
        ['migrations/V2__escape.sql', true],
        ['migrations/V3__linked.sql', true],
      ]);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('leaves a named pipe alone instead of waiting on it forever', async () => {
    await put('V1__a.sql', 'SELECT 1;');
    execFileSync('mkfifo', [path.join(dir, 'V2__pipe.sql')]);
    const opened = await openInput(dir);
    expect(opened.files.map((f) => f.path)).toEqual(['V1__a.sql']);
  });

  it('throws IO_ERROR naming a root that does not exist', async () => {
    const missing = path.join(dir, 'nope');
    const error = await openInput(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('IO_ERROR');
    expect((error as ApiError).message).toContain(missing);
  });
});

describe('openInput: zip archives', () => {
  it('reads entries, refusing names that climb out or are absolute, and skipping hidden folders', async () => {
    await writeFile(
      path.join(dir, 'migrations.zip'),
      zipOf([
        { name: 'db/', data: Buffer.alloc(0) },
        { name: 'db/V1__init.sql', data: Buffer.from('CREATE TABLE a (id int);') },
        { name: '../evil.sql', data: Buffer.from('DROP TABLE a;') },
        { name: 'db/../../evil2.sql', data: Buffer.from('DROP TABLE a;') },
        { name: '/etc/cron.d/evil.sql', data: Buffer.from('DROP TABLE a;') },
        { name: '__MACOSX/db/._V1__init.sql', data: Buffer.from([0, 1, 2]) },
        { name: 'db/V2__orders.sql', data: Buffer.from('CREATE TABLE orders (id int);') },
      ]),
    );
    const opened = await openInput(path.join(dir, 'migrations.zip'));
    expect(opened.files.map((f) => f.path)).toEqual(['db/V1__init.sql', 'db/V2__orders.sql']);
    expect(Buffer.from(opened.files[1]!.bytes).toString()).toBe('CREATE TABLE orders (id int);');
    expect(opened.problems.map((p) => p.location.file)).toEqual([
      'migrations.zip:../evil.sql',
      'migrations.zip:db/../../evil2.sql',
      'migrations.zip:/etc/cron.d/evil.sql',
    ]);
    for (const p of opened.problems) expect(p.message).toContain('outside the archive root');
  });

  it('bounds a zip bomb by its total uncompressed size', async () => {
    const zeros = Buffer.alloc(4 * 1024 * 1024);
    await writeFile(
      path.join(dir, 'bomb.zip'),
      zipOf([
        { name: 'V1__a.sql', data: Buffer.from('SELECT 1;') },
        { name: 'V2__b.sql', data: zeros },
        { name: 'V3__c.sql', data: zeros },
      ]),
    );
    const opened = await openInput(path.join(dir, 'bomb.zip'), { maxTotalBytes: 6 * 1024 * 1024 });
    expect(opened.files.map((f) => f.path)).toEqual(['V1__a.sql', 'V2__b.sql']);
    expect(opened.problems).toHaveLength(1);
    expect(opened.problems[0]!.location.file).toBe('V3__c.sql');
    expect(opened.problems[0]!.message).toContain('6291456-byte limit');
  });

  it('stops an entry that inflates past the size it declares', async () => {
    await writeFile(path.join(dir, 'liar.zip'), zipOf([{ name: 'V1__a.sql', data: Buffer.alloc(1024 * 1024, 0x41), declaredSize: 100 }]));
    const opened = await openInput(path.join(dir, 'liar.zip'));
    expect(opened.files).toEqual([]);
    expect(opened.problems).toHaveLength(1);
    expect(opened.problems[0]!.location.file).toBe('V1__a.sql');
  });

  it('reports an entry over the per-file limit by its declared size, unread', async () => {
    await writeFile(path.join(dir, 'big.zip'), zipOf([{ name: 'V1__big.sql', data: Buffer.alloc(5000, 0x41) }, { name: 'V2__ok.sql', data: Buffer.from('SELECT 1;') }]));
    const opened = await openInput(path.join(dir, 'big.zip'), { maxFileBytes: 1000 });
    expect(opened.files.map((f) => f.path)).toEqual(['V2__ok.sql']);
    expect(opened.problems[0]).toMatchObject({ location: { file: 'V1__big.sql' } });
    expect(opened.problems[0]!.message).toContain('5000 bytes');
  });

  it('reports a file that is not a zip as a problem, not a crash', async () => {
    await writeFile(path.join(dir, 'broken.zip'), 'this is not a zip archive at all');
    const opened = await openInput(path.join(dir, 'broken.zip'));
    expect(opened.files).toEqual([]);
    expect(opened.problems).toHaveLength(1);
    expect(opened.problems[0]).toMatchObject({ ruleId: 'read-error', location: { file: 'broken.zip', line: 1, column: 1 } });
    expect(opened.problems[0]!.message).toContain('not a readable zip');
  });
});
