import { startTestServers } from '../../../scripts/testServers';

/** A throwaway server without TLS, for the TLS fallback and mismatch cases; stop() removes it. */
export async function plainServer(which: 'pgUrl' | 'mysqlUrl'): Promise<{ port: number; stop(): Promise<void> }> {
  const servers = await startTestServers({ tls: false });
  return { port: Number(new URL(servers[which]).port), stop: () => servers.stop() };
}
