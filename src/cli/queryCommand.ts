import { ApiError } from '../shared/api/errors';
import type { CellValue, StatementClassification } from '../shared/domain/query';
import { createDriver } from '../main/db/createDriver';
import type { Driver } from '../main/db/Driver';
import { createRowWriter, type RowWriter } from '../main/query/createRowWriter';
import { writeChunk } from '../main/query/writeChunk';
import { classifyStatements } from '../main/sql/classifyStatements';
import { CliError } from './CliError';
import { resolveTarget } from './resolveTarget';
import { TableWriter } from './TableWriter';

export interface QueryCommandOptions {
  dataDir: string;
  target: string;
  sql: string;
  format: 'table' | 'csv' | 'json';
  /** Open a writable session. Defaults to the connection's own allowWrites (false for URLs). */
  allowWrites: boolean;
  /** Run destructive statements without asking. */
  yes: boolean;
  /** Defaults to process.stdout. */
  out?: NodeJS.WritableStream;
  /** Where row counts and notices go. Defaults to process.stderr. */
  err?: NodeJS.WritableStream;
}

/**
 * Runs each statement in order on one session, streaming rows to stdout as they arrive. Several result sets
 * follow each other: tables separated by a blank line, CSV blocks each with its header, one JSON array each.
 */
export async function queryCommand(options: QueryCommandOptions): Promise<number> {
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  const { config, secrets } = await resolveTarget(options.target, options.dataDir);
  if (options.allowWrites) config.allowWrites = true;

  let statements: StatementClassification[];
  try {
    statements = classifyStatements(options.sql, config.dialect);
  } catch (error) {
    throw new CliError(`Cannot parse the SQL: ${messageOf(error)}`, 1);
  }
  if (statements.length === 0) throw new CliError('No SQL statement to run.', 2);
  const destructive = statements.map((s, i) => ({ ...s, n: i + 1 })).filter((s) => s.risk === 'destructive');
  if (destructive.length > 0 && !options.yes) {
    const list = destructive.map((s) => `statement ${s.n}${s.reason ? ` (${s.reason})` : ''}`).join(', ');
    throw new CliError(`Refusing to run destructive ${list} without --yes.`, 2);
  }

  let driver: Driver;
  try {
    driver = await createDriver({ config, secrets });
  } catch (error) {
    throw new CliError(`Cannot connect to ${config.name}: ${messageOf(error)}`, 2);
  }

  // Ctrl-C stops the statement on the server, not just the client.
  let interrupted = false;
  const onSigint = (): void => {
    interrupted = true;
    void driver.cancel().catch(() => undefined);
  };
  process.on('SIGINT', onSigint);
  // A reader that goes away (`| head`) is not an error: stop the query and leave quietly.
  let pipeClosed = false;
  const onOutError = (error: NodeJS.ErrnoException): void => {
    if (error.code === 'EPIPE') {
      pipeClosed = true;
      void driver.cancel().catch(() => undefined);
    }
  };
  out.on('error', onOutError);

  let resultSets = 0;
  try {
    for (const [i, statement] of statements.entries()) {
      const label = statements.length > 1 ? `statement ${i + 1}: ` : '';
      let writer: RowWriter | undefined;
      let table: TableWriter | undefined;
      try {
        if (options.format === 'csv' && driver.copyCsv && isPlainQuery(statement)) {
          // The server formats CSV several times faster than rows can be parsed and written again.
          const copied = await driver.copyCsv(statement.text, out);
          if (pipeClosed) return 0;
          resultSets++;
          await writeChunk(err, `${label}(${copied.rowCount} row${copied.rowCount === 1 ? '' : 's'})\n`);
          continue;
        }
        const summary = await driver.stream(statement.text, {
          onColumns: (cols) => {
            if (options.format === 'table' && resultSets > 0) out.write('\n');
            resultSets++;
            if (options.format === 'table') {
              table = new TableWriter();
              table.columns(cols);
            } else {
              writer = createRowWriter(options.format, out, cols);
            }
          },
          onRows: async (rows: CellValue[][]) => {
            if (pipeClosed) return;
            if (table) await writeChunk(out, table.rows(rows));
            else await writer?.writeRows(rows);
          },
        });
        if (pipeClosed) return 0;
        if (summary.hasResultSet) {
          if (table) await writeChunk(out, table.end());
          if (writer) await writer.end();
          await writeChunk(err, `${label}(${summary.rowCount} row${summary.rowCount === 1 ? '' : 's'})\n`);
        } else {
          const affected = summary.affectedRows;
          await writeChunk(err, `${label}${affected === undefined ? 'OK' : `${affected} row${affected === 1 ? '' : 's'} affected`}\n`);
        }
      } catch (error) {
        if (pipeClosed) return 0;
        if (interrupted) throw new CliError(`${label}cancelled.`, 1);
        throw new CliError(`${label}${messageOf(error)}`, error instanceof ApiError && error.code === 'CONNECTION_LOST' ? 2 : 1);
      }
    }
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    out.off('error', onOutError);
    await driver.dispose();
  }
}

/** A read-only query that COPY can wrap: SELECT, WITH … SELECT, VALUES or TABLE, after any leading comments. */
function isPlainQuery(statement: StatementClassification): boolean {
  return statement.risk === 'safe' && /^(?:\s+|--[^\n]*\n|\/\*[\s\S]*?\*\/)*(?:select|with|values|table)\b/i.test(statement.text);
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
