import { describe, expect, it } from 'vitest';
import { readMigrations } from '../readers/readMigrations';
import { dialectOfConnection, openSandbox, proveInSandbox } from './openSandbox';

const fixture = (name: string): string => new URL(`../../../../test/fixtures/review/sandbox/${name}`, import.meta.url).pathname;

describe('openSandbox', () => {
  it('knows the dialect of a connection URL by its scheme', () => {
    expect(['postgres://u@127.0.0.1/db', 'postgresql://127.0.0.1/db', 'mysql://127.0.0.1/db', 'mariadb://127.0.0.1/db', 'sqlite:/tmp/app.db', '/tmp/app.db', 'redis://x'].map(dialectOfConnection)).toEqual([
      'postgres',
      'postgres',
      'mysql',
      'mysql',
      'sqlite',
      undefined,
      undefined,
    ]);
  });

  it('refuses to prove PostgreSQL or MySQL migrations without a connection, saying what to pass', async () => {
    await expect(openSandbox('postgres')).rejects.toThrow(/--connection <url>/);
    await expect(openSandbox('mysql')).rejects.toThrow(/--connection <url>/);
  });

  it('proves SQLite migrations in an empty in-memory database when there is no connection', async () => {
    const proof = await proveInSandbox(await readMigrations(fixture('sqlite-up-fails'), { dialect: 'sqlite', format: 'golang-migrate' }), 'sqlite');
    expect(proof.results.map((r) => r.status)).toEqual(['reversible', 'up-failed', 'skipped']);
  });
});
