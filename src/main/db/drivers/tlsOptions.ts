import { readFile } from 'node:fs/promises';
import { checkServerIdentity, type ConnectionOptions, type PeerCertificate } from 'node:tls';
import type { TlsMode } from '../../../shared/domain/connection';
import { DriverError } from '../DriverError';

/**
 * Node TLS options for libpq's sslmode names. `require` encrypts without checking the certificate (as libpq does
 * without a root certificate); verify-ca checks the chain against tlsCaFile (or the system CAs); verify-full also
 * checks that the certificate names `host`, the host the user typed, even when the socket goes through a tunnel.
 * Returns undefined for `disable`. `prefer` gets the `require` options; the driver falls back to plain text.
 */
export async function tlsOptions(mode: TlsMode, caFile: string | undefined, host: string): Promise<ConnectionOptions | undefined> {
  if (mode === 'disable') return undefined;
  if (mode === 'prefer' || mode === 'require') return { rejectUnauthorized: false };
  let ca: Buffer | undefined;
  if (caFile) {
    try {
      ca = await readFile(caFile);
    } catch (error) {
      throw new DriverError('CONNECTION_FAILED', `Cannot read the TLS CA file ${caFile}: ${(error as Error).message}`);
    }
  }
  return {
    rejectUnauthorized: true,
    ...(ca ? { ca } : {}),
    checkServerIdentity: mode === 'verify-full' ? (_hostname: string, cert: PeerCertificate) => checkServerIdentity(host, cert) : () => undefined,
  };
}

/** A TLS failure in words that name the server and the mode, or undefined when the error is not about TLS. */
export function describeTlsError(error: unknown, mode: TlsMode, where: string): DriverError | undefined {
  const e = error as { message?: string; code?: string } | null;
  const message = e?.message ?? '';
  if (/does not support (SSL|secure)/i.test(message) || /Server does not support secure connnection|secure connection/i.test(message)) {
    return new DriverError('CONNECTION_FAILED', `${where} does not accept TLS, but the connection requires it (TLS mode ${mode}).`);
  }
  const code = e?.code ?? '';
  if (code.startsWith('ERR_TLS') || /certificate|SSL routines|self[- ]signed|Hostname\/IP does not match/i.test(message)) {
    return new DriverError('CONNECTION_FAILED', `TLS verification of ${where} failed (TLS mode ${mode}): ${message}`);
  }
  return undefined;
}

/**
 * Opens a session in the given TLS mode. Under libpq's `prefer` a server that has no TLS at all is spoken to
 * in plain text instead; every other failure is the caller's to describe (`fail`). Returns the mode in use.
 */
export async function openWithTls<C>(
  mode: TlsMode,
  caFile: string | undefined,
  host: string,
  open: (tls: ConnectionOptions | undefined) => Promise<C>,
  fail: (error: unknown) => Error,
): Promise<{ session: C; mode: TlsMode }> {
  try {
    return { session: await open(await tlsOptions(mode, caFile, host)), mode };
  } catch (error) {
    if (mode !== 'prefer' || !serverHasNoTls(error)) throw fail(error);
  }
  try {
    return { session: await open(undefined), mode: 'disable' };
  } catch (error) {
    throw fail(error);
  }
}

function serverHasNoTls(error: unknown): boolean {
  return /does not support (SSL|secure)/i.test((error as Error | null)?.message ?? '');
}
