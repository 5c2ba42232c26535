import { describe, expect, it } from 'vitest';
import type { Migration } from '../../../shared/domain/review';
import { missingDown } from './missing-down';
import { reviewOneMigration, locatedStatements } from './reviewOneMigration';
import { testRule } from './testRule';

const up = 'ALTER TABLE orders ADD COLUMN note text;\nCREATE INDEX CONCURRENTLY orders_note_idx ON orders (note);';

testRule(missingDown, {
  flag: [
    { sql: up, format: 'golang-migrate', line: 1 },
    { sql: up, format: 'dbmate' },
    { sql: 'ALTER TABLE orders ADD COLUMN note TEXT;', format: 'goose', dialect: 'mysql' },
  ],
  pass: [up, { sql: up, format: 'prisma' }, { sql: up, format: 'flyway' }],
});

describe('missing-down on whole migrations', () => {
  const base = (over: Partial<Migration>): Migration => ({
    id: '20240101_add_note',
    description: 'add note',
    format: 'golang-migrate',
    file: '20240101_add_note.up.sql',
    up: locatedStatements(up, 'postgres', '20240101_add_note.up.sql'),
    ...over,
  });

  it('passes a migration with a down part, even an empty one', async () => {
    expect(await reviewOneMigration(missingDown, base({ down: locatedStatements('ALTER TABLE orders DROP COLUMN note;', 'postgres', 'x.down.sql') }))).toEqual([]);
    expect(await reviewOneMigration(missingDown, base({ down: [] }))).toEqual([]);
  });

  it('reports once per migration, on its first statement', async () => {
    const hits = await reviewOneMigration(missingDown, base({ format: 'dbmate' }));
    expect(hits.map((h) => [h.location.line, h.migrationId])).toEqual([[1, '20240101_add_note']]);
  });

  it('flags a Liquibase changeset Liquibase cannot roll back by itself, naming the change', async () => {
    const hits = await reviewOneMigration(missingDown, base({ id: 'alice:7', format: 'liquibase', changeTypes: [{ type: 'addColumn', autoRollback: true }, { type: 'sql', autoRollback: false }] }));
    expect(hits).toHaveLength(1);
    expect(hits[0]?.message).toContain('sql');
    expect(hits[0]?.message).not.toContain('addColumn');
  });

  it('passes a Liquibase changeset with a rollback, or one Liquibase reverses itself', async () => {
    const changeTypes = [{ type: 'sql', autoRollback: false }];
    expect(await reviewOneMigration(missingDown, base({ format: 'liquibase', changeTypes, down: locatedStatements('ALTER TABLE orders DROP COLUMN note;', 'postgres', 'x.xml') }))).toEqual([]);
    // The reader generates the inverse of auto-rollback changes; should it not manage, Quarry does not blame the author.
    expect(await reviewOneMigration(missingDown, base({ format: 'liquibase', changeTypes: [{ type: 'addColumn', autoRollback: true }] }))).toEqual([]);
  });
});
