import { describe, expect, it } from 'vitest';
import type { Migration } from '../../../shared/domain/review';
import { missingFlywayUndo } from './missing-flyway-undo';
import { reviewOneMigration, locatedStatements } from './reviewOneMigration';
import { testRule } from './testRule';

const up = 'ALTER TABLE orders ADD COLUMN note text;';

testRule(missingFlywayUndo, {
  flag: [{ sql: up, format: 'flyway' }, { sql: 'ALTER TABLE orders ADD COLUMN note TEXT;', format: 'flyway', dialect: 'mysql' }],
  pass: [up, { sql: up, format: 'golang-migrate' }, { sql: up, format: 'liquibase' }],
});

describe('missing-flyway-undo on whole migrations', () => {
  const base = (over: Partial<Migration>): Migration => ({ id: '1.2', version: '1.2', description: 'add note', format: 'flyway', file: 'V1.2__add_note.sql', up: locatedStatements(up, 'postgres', 'V1.2__add_note.sql'), ...over });

  it('names the undo file it expected', async () => {
    const hits = await reviewOneMigration(missingFlywayUndo, base({}));
    expect(hits.map((h) => h.message)).toEqual(['Flyway migration 1.2 has no undo (U1.2__…) migration.']);
  });

  it('passes a migration with an undo, and repeatable migrations, which have none', async () => {
    expect(await reviewOneMigration(missingFlywayUndo, base({ down: locatedStatements('ALTER TABLE orders DROP COLUMN note;', 'postgres', 'U1.2__add_note.sql') }))).toEqual([]);
    expect(await reviewOneMigration(missingFlywayUndo, base({ version: undefined, id: 'R__views', repeatable: true }))).toEqual([]);
  });
});
