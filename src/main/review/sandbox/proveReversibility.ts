import type { Finding, Migration, MigrationSet, MigrationStatement, ReversibilityResult, SourceLocation, StatementError } from '../../../shared/domain/review';
import { diffSchemas } from './diffSchemas';
import type { Sandbox } from './Sandbox';

export interface ReversibilityProof {
  results: ReversibilityResult[];
  findings: Finding[];
}

/**
 * The proof runs the whole set inside one transaction of its own, so a migration's own BEGIN/COMMIT would end it
 * early: those are skipped (and said so).
 */
const transactionControl = /^\s*(begin(\s+(work|transaction|deferred|immediate|exclusive))?|start\s+transaction|commit(\s+(work|transaction))?|end(\s+transaction)?|rollback(\s+(work|transaction))?)\s*;?\s*$/i;

class StatementFailed extends Error {
  constructor(
    readonly detail: StatementError,
    /** Set when the sandbox, not the migration, is why it failed. */
    readonly unprovable?: string,
  ) {
    super(detail.message);
  }
}

/**
 * Applies each migration's up in order and, where it has a down, proves that up then down gives back the schema
 * it started from: the state before migration N is the state after the ups of 1..N-1. After a proof the sandbox
 * returns to the state after N's up (a lossy down must not shape what N+1 sees). When an up fails, the later
 * migrations are skipped: they were written for a schema that now cannot exist.
 *
 * Nothing leaves the sandbox; the caller disposes of it.
 */
export async function proveReversibility(set: MigrationSet, sandbox: Sandbox): Promise<ReversibilityProof> {
  const results: ReversibilityResult[] = [];
  const findings: Finding[] = [];
  let failedUp: string | undefined;
  for (const [index, migration] of set.migrations.entries()) {
    if (failedUp !== undefined) {
      results.push({ migrationId: migration.id, status: 'skipped', error: { message: `Not proved: the up of ${failedUp} could not be applied before it.` } });
      continue;
    }
    const result = await proveOne(migration, index, sandbox);
    results.push(result);
    // A not-provable up left the sandbox without it too.
    if (result.failedIn === 'up') failedUp = migration.id;
    findings.push(...findingsOf(migration, result));
  }
  return { results, findings };
}

async function proveOne(migration: Migration, index: number, sandbox: Sandbox): Promise<ReversibilityResult> {
  const notes: string[] = [];
  const withNotes = (r: ReversibilityResult): ReversibilityResult => (notes.length ? { ...r, notes } : r);
  const beforeUp = `quarry_before_up_${index}`;
  const afterUp = `quarry_after_up_${index}`;
  const before = migration.down ? await sandbox.snapshot() : undefined;
  await sandbox.mark(beforeUp);
  try {
    await apply(sandbox, migration.up, notes);
  } catch (error) {
    if (!(error instanceof StatementFailed)) throw error;
    await sandbox.rollbackTo(beforeUp);
    await sandbox.release(beforeUp);
    if (error.unprovable) notes.push(error.unprovable);
    return withNotes({ migrationId: migration.id, status: error.unprovable ? 'not-provable' : 'up-failed', failedIn: 'up', error: error.detail });
  }
  if (!migration.down || !before) {
    await sandbox.release(beforeUp);
    return withNotes({ migrationId: migration.id, status: 'no-down' });
  }
  await sandbox.mark(afterUp);
  let result: ReversibilityResult;
  try {
    await apply(sandbox, migration.down, notes);
    const differences = diffSchemas(before, await sandbox.snapshot());
    result = differences.length === 0 ? { migrationId: migration.id, status: 'reversible' } : { migrationId: migration.id, status: 'not-reversible', differences };
  } catch (error) {
    if (!(error instanceof StatementFailed)) throw error;
    if (error.unprovable) notes.push(error.unprovable);
    result = { migrationId: migration.id, status: error.unprovable ? 'not-provable' : 'down-failed', failedIn: 'down', error: error.detail };
  }
  await sandbox.rollbackTo(afterUp);
  await sandbox.release(afterUp);
  await sandbox.release(beforeUp);
  return withNotes(result);
}

async function apply(sandbox: Sandbox, statements: readonly MigrationStatement[], notes: string[]): Promise<void> {
  for (const statement of statements) {
    const where = `${statement.location.file}:${statement.location.line}:${statement.location.column}`;
    if (transactionControl.test(statement.sql)) {
      notes.push(`${where}: ${statement.sql.trim()} skipped: the proof runs in a transaction of its own.`);
      continue;
    }
    const adapted = sandbox.adapt(statement.sql);
    if (adapted.note) notes.push(`${where}: ${adapted.note}`);
    try {
      await sandbox.execute(adapted.sql);
    } catch (error) {
      throw new StatementFailed({ message: error instanceof Error ? error.message : String(error), location: statement.location, sql: statement.sql }, sandbox.unprovable(error));
    }
  }
}

function findingsOf(migration: Migration, result: ReversibilityResult): Finding[] {
  const where: SourceLocation = migration.down?.[0]?.location ?? migration.up[0]?.location ?? { file: migration.file, line: 1, column: 1 };
  switch (result.status) {
    case 'not-reversible':
      return [
        {
          ruleId: 'irreversible-migration',
          severity: 'error',
          migrationId: migration.id,
          location: where,
          message: `Applying the up then the down of ${migration.id} does not give back the schema it started from; compared with before the up, ${result.differences!.map((d) => d.message).join('; ')}.`,
          help: 'Make the down undo every change of the up (indexes, constraints, defaults included).',
        },
      ];
    case 'up-failed':
    case 'down-failed': {
      const error = result.error as StatementError;
      const part = result.status === 'up-failed' ? 'up' : 'down';
      return [
        {
          ruleId: result.status === 'up-failed' ? 'up-fails' : 'down-fails',
          severity: 'error',
          migrationId: migration.id,
          location: error.location,
          message: `The ${part} of ${migration.id} fails here: ${error.message}`,
        },
      ];
    }
    case 'not-provable': {
      const error = result.error as StatementError;
      return [
        {
          ruleId: 'not-provable',
          severity: 'info',
          migrationId: migration.id,
          location: error.location,
          message: `The ${result.failedIn} of ${migration.id} could not be proved in the sandbox: ${result.notes?.at(-1) ?? ''} (${error.message})`,
          help: 'Run this migration against a disposable copy of the database to check it.',
        },
      ];
    }
    default:
      return [];
  }
}
