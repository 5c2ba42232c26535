import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createApp, packageRoot } from '../main/app';
import { startServer } from '../main/server/startServer';
import { CliError } from './CliError';

export interface ServeCommandOptions {
  dataDir: string;
  /** Defaults to 0, a free port. */
  port: number;
}

/** Runs until SIGINT or SIGTERM, then closes the server and disposes the app before exiting. */
export async function serveCommand(options: ServeCommandOptions): Promise<number> {
  // A stray rejection in one request must not take down the server and every open tab with it; it is logged instead.
  const onUnhandled = (reason: unknown): void => console.error('quarry: internal error (still serving):', reason);
  process.on('unhandledRejection', onUnhandled);
  const app = await createApp({ dataDir: options.dataDir, resourcesDir: join(packageRoot, 'resources'), door: 'browser' });
  let server;
  try {
    server = await startServer({ app, port: options.port });
  } catch (error) {
    await app.dispose();
    throw new CliError((error as Error).message, 2);
  }
  if (!existsSync(join(packageRoot, 'out', 'renderer', 'index.html'))) {
    process.stderr.write('quarry: the UI is not built yet, so the page will say so; run `npm run build` (or `npm run web`) first.\n');
  }
  // The e2e tests parse this line; keep its prefix.
  process.stdout.write(`Quarry is serving on ${server.url}\n`);
  process.stderr.write('quarry: only this machine can connect (127.0.0.1); press Ctrl-C to stop.\n');
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  await app.dispose();
  process.off('unhandledRejection', onUnhandled);
  return 0;
}
