import { parseArgs } from 'node:util';
import { ApiError } from '../shared/api/errors';
import { dialects } from '../shared/domain/connection';
import { CliError } from './CliError';
import { cliUsage } from './cliUsage';

type Parsed = ReturnType<typeof parseCommandLine>;

function parseCommandLine(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
      'data-dir': { type: 'string' },
      format: { type: 'string', short: 'f' },
      'allow-writes': { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
      port: { type: 'string', short: 'p' },
      dialect: { type: 'string' },
      'server-version': { type: 'string' },
      'fail-on': { type: 'string' },
      prove: { type: 'boolean' },
      connection: { type: 'string' },
      model: { type: 'string', short: 'm' },
      sha256: { type: 'string' },
      file: { type: 'string' },
    },
  });
}

async function run(argv: string[]): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    throw new CliError(`${(error as Error).message.split('\n')[0]} (see quarry --help)`, 2);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.version) {
    const { readPackageVersion } = await import('./readPackageVersion');
    process.stdout.write(`${readPackageVersion()}\n`);
    return 0;
  }
  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(cliUsage);
    return command === undefined && !values.help ? 2 : 0;
  }
  // Its own module: importing the app would load every database client before any command needs one.
  const { defaultDataDir } = await import('../main/defaultDataDir');
  const dataDir = values['data-dir'] ?? defaultDataDir();
  switch (command) {
    case 'serve': {
      expectArgs(command, rest, 0);
      const { serveCommand } = await import('./serveCommand');
      return serveCommand({ dataDir, port: parsePort(values.port) });
    }
    case 'query': {
      expectArgs(command, rest, 2);
      const { queryCommand } = await import('./queryCommand');
      return queryCommand({
        dataDir,
        target: rest[0]!,
        sql: rest[1] === '-' ? await readStdin() : rest[1]!,
        format: parseFormat(values.format, ['table', 'csv', 'json'], process.stdout.isTTY ? 'table' : 'csv'),
        allowWrites: values['allow-writes'] ?? false,
        yes: values.yes ?? false,
      });
    }
    case 'schema': {
      expectArgs(command, rest, 1);
      const { schemaCommand } = await import('./schemaCommand');
      return schemaCommand({ dataDir, target: rest[0]!, format: parseFormat(values.format, ['text', 'json'], 'text') });
    }
    case 'review': {
      expectArgs(command, rest, 1);
      const { reviewCommand, reviewFormats } = await import('./reviewCommand');
      const { existsSync } = await import('node:fs');
      if (!existsSync(rest[0]!)) throw new CliError(`${rest[0]} does not exist.`, 2);
      return reviewCommand({
        path: rest[0]!,
        dialect: values.dialect === undefined ? undefined : parseFormat(values.dialect, dialects, 'postgres', '--dialect'),
        serverVersion: values['server-version'],
        format: parseFormat(values.format, reviewFormats, 'text'),
        failOn: parseFormat(values['fail-on'], ['error', 'warning', 'info'], 'error', '--fail-on'),
        prove: values.prove ?? false,
        connection: values.connection,
        dataDir,
      });
    }
    case 'ask': {
      expectArgs(command, rest, 2);
      if (rest[1]!.trim() === '') throw new CliError('The question is empty: quarry ask <target> "<question>".', 2);
      const { askCommand } = await import('./askCommand');
      return askCommand({ dataDir, target: rest[0]!, question: rest[1]!, model: values.model, format: parseFormat(values.format, ['text', 'json'], 'text') });
    }
    case 'connections': {
      if (rest[0] !== 'list' || rest.length !== 1) throw new CliError('Usage: quarry connections list [--format text|json]', 2);
      const { connectionsListCommand } = await import('./connectionsListCommand');
      return connectionsListCommand({ dataDir, format: parseFormat(values.format, ['text', 'json'], 'text') });
    }
    case 'models': {
      const [subcommand, ...args] = rest;
      if (subcommand === 'download') {
        if (args.length !== 1) throw new CliError('Usage: quarry models download <url|hf:owner/repo/file.gguf|recommended-id> [--sha256 <hex>] [--file <name>]', 2);
        const { modelsDownloadCommand } = await import('./modelsDownloadCommand');
        return modelsDownloadCommand({ dataDir, source: args[0]!, sha256: values.sha256, file: values.file });
      }
      const { modelsCommand, modelsUsage } = await import('./modelsCommand');
      if (subcommand === undefined) throw new CliError(modelsUsage, 2);
      return modelsCommand({ dataDir, subcommand, args, format: parseFormat(values.format, ['text', 'json'], 'text') });
    }
    default:
      throw new CliError(`Unknown command "${command}" (see quarry --help).`, 2);
  }
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new CliError('SQL "-" means standard input, but it is a terminal; pipe a file in (quarry query db - < script.sql).', 2);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function expectArgs(command: string, args: string[], count: number): void {
  if (args.length !== count) {
    const shape: Record<string, string> = {
      serve: 'quarry serve [--port N] [--data-dir D]',
      query: 'quarry query <url|path|name> "<sql>" [--format table|csv|json] [--allow-writes] [--yes]',
      schema: 'quarry schema <url|path|name> [--format text|json]',
      ask: 'quarry ask <url|path|name> "<question>" [--model <file|id>] [--format text|json]',
      review: 'quarry review <folder|file|zip> [--dialect postgres|mysql|sqlite] [--server-version V] [--format text|json|markdown|sarif] [--fail-on error|warning|info] [--connection URL|FILE|NAME] [--prove]',
    };
    throw new CliError(`Usage: ${shape[command] ?? command} (got ${args.length} argument${args.length === 1 ? '' : 's'}, expected ${count}).`, 2);
  }
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return 0;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new CliError(`--port must be a number from 0 to 65535, got "${text}".`, 2);
  return port;
}

function parseFormat<F extends string>(text: string | undefined, allowed: readonly F[], fallback: F, flag = '--format'): F {
  if (text === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(text)) throw new CliError(`${flag} must be one of ${allowed.join(', ')}; got "${text}".`, 2);
  return text as F;
}

/** One line on stderr, never a stack: ApiErrors say what the user can act on; anything else is summarised. */
function report(error: unknown): number {
  if (error instanceof CliError) {
    process.stderr.write(`quarry: ${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof ApiError) {
    process.stderr.write(`quarry: ${error.message.split('\n')[0]}\n`);
    return error.code === 'CONNECTION_FAILED' || error.code === 'BAD_INPUT' || error.code === 'NOT_FOUND' ? 2 : 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`quarry: ${message.split('\n')[0]}\n`);
  if (process.env.QUARRY_DEBUG) console.error(error);
  return 1;
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (error) {
  process.exitCode = report(error);
}
