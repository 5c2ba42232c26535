import { readFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { homedir } from 'node:os';
import { Client, type ConnectConfig } from 'ssh2';
import type { ConnectionSecrets, SshTunnel as SshTunnelConfig } from '../../shared/domain/connection';
import { DriverError } from './DriverError';

export interface SshTunnelOptions {
  ssh: SshTunnelConfig;
  secrets: Pick<ConnectionSecrets, 'sshPassword' | 'sshPassphrase'>;
  /** Where the database listens, as seen from the SSH server. */
  targetHost: string;
  targetPort: number;
  /** Milliseconds to wait for the SSH handshake and login. Defaults to 10000. */
  connectTimeoutMs?: number;
}

/** A local 127.0.0.1 listener whose connections are forwarded through one SSH session to the database. */
export interface SshTunnel {
  readonly localHost: '127.0.0.1';
  readonly localPort: number;
  /** True while the SSH session is up. */
  isOpen(): boolean;
  /** Called once when the SSH session ends (server gone, network); not after dispose(). */
  onClose(listener: (error: Error) => void): void;
  /** Closes the listener and the SSH session; idempotent. */
  dispose(): Promise<void>;
}

/**
 * Opens an SSH session (password, or private key with an optional passphrase) and a local listener forwarding to
 * targetHost:targetPort. The host key is not checked against known_hosts: Quarry has no known_hosts store yet.
 */
export async function openSshTunnel(options: SshTunnelOptions): Promise<SshTunnel> {
  const { ssh, secrets } = options;
  const where = `${ssh.user}@${ssh.host}:${ssh.port ?? 22}`;
  const timeout = options.connectTimeoutMs ?? 10_000;
  const config: ConnectConfig = { host: ssh.host, port: ssh.port ?? 22, username: ssh.user, readyTimeout: timeout, keepaliveInterval: 15_000 };
  if (ssh.auth === 'key') {
    if (!ssh.privateKeyPath) throw new DriverError('BAD_INPUT', `SSH tunnel ${where}: key authentication needs a private key file.`);
    const path = ssh.privateKeyPath.startsWith('~/') ? homedir() + ssh.privateKeyPath.slice(1) : ssh.privateKeyPath;
    try {
      config.privateKey = await readFile(path);
    } catch (error) {
      throw new DriverError('CONNECTION_FAILED', `SSH tunnel ${where}: cannot read the private key ${path}: ${(error as Error).message}`);
    }
    if (secrets.sshPassphrase) config.passphrase = secrets.sshPassphrase;
  } else {
    if (secrets.sshPassword === undefined) throw new DriverError('BAD_INPUT', `SSH tunnel ${where}: password authentication needs the SSH password.`);
    config.password = secrets.sshPassword;
  }

  const client = new Client();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.end();
      reject(new DriverError('TIMEOUT', `SSH tunnel ${where}: no SSH login within ${timeout} ms.`));
    }, timeout + 500);
    client.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
    client.once('error', (error: Error & { level?: string }) => {
      clearTimeout(timer);
      client.end();
      reject(sshError(error, where, timeout));
    });
    try {
      client.connect(config);
    } catch (error) {
      clearTimeout(timer);
      reject(sshError(error as Error, where, timeout));
    }
  });

  let open = true;
  let disposed = false;
  const closeListeners: ((error: Error) => void)[] = [];
  const sockets = new Set<Socket>();
  let lastError: Error | undefined;
  client.on('error', (error) => (lastError = error));
  client.on('close', () => {
    open = false;
    for (const s of sockets) s.destroy();
    if (!disposed) {
      const error = new DriverError('CONNECTION_LOST', `SSH tunnel ${where} closed${lastError ? `: ${lastError.message}` : ''}.`);
      for (const l of closeListeners) l(error);
    }
  });

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    if (!open) {
      socket.destroy();
      return;
    }
    client.forwardOut('127.0.0.1', socket.remotePort ?? 0, options.targetHost, options.targetPort, (error, stream) => {
      if (error) {
        // The database client sees a closed socket; the reason is the SSH server's refusal.
        lastError = new Error(`SSH tunnel ${where} could not reach ${options.targetHost}:${options.targetPort}: ${error.message}`);
        socket.destroy();
        return;
      }
      socket.pipe(stream).pipe(socket);
      stream.on('error', () => socket.destroy());
      socket.on('error', () => stream.destroy());
      stream.on('close', () => socket.destroy());
      socket.on('close', () => stream.destroy());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  }).catch((error: Error) => {
    client.end();
    throw new DriverError('CONNECTION_FAILED', `SSH tunnel ${where}: cannot open a local listener: ${error.message}`);
  });
  const address = server.address();
  const localPort = typeof address === 'object' && address ? address.port : 0;

  return {
    localHost: '127.0.0.1',
    localPort,
    isOpen: () => open && !disposed,
    onClose: (listener) => void closeListeners.push(listener),
    dispose: async () => {
      if (disposed) return;
      disposed = true;
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      client.end();
    },
  };
}

function sshError(error: Error & { level?: string; code?: string }, where: string, timeout: number): DriverError {
  if (error.level === 'client-authentication' || /authentication methods failed/i.test(error.message)) {
    return new DriverError('CONNECTION_FAILED', `SSH authentication failed for ${where}: the server refused the password or key.`);
  }
  if (/passphrase|encrypted private key|parse privateKey/i.test(error.message)) {
    return new DriverError('CONNECTION_FAILED', `SSH tunnel ${where}: cannot use the private key: ${error.message}`);
  }
  if (error.level === 'client-timeout' || /timed out/i.test(error.message)) {
    return new DriverError('TIMEOUT', `SSH tunnel ${where}: timed out after ${timeout} ms.`);
  }
  if (error.code === 'ECONNREFUSED') return new DriverError('CONNECTION_FAILED', `SSH tunnel ${where}: connection refused.`);
  return new DriverError('CONNECTION_FAILED', `SSH tunnel ${where}: ${error.message}`);
}

/**
 * Where a driver should connect: straight to host:port, or through the SSH tunnel, reusing `current` while it is
 * open and opening a new one otherwise (a reconnect after the tunnel dropped goes through SSH again).
 */
export async function routeThroughTunnel(
  current: SshTunnel | undefined,
  options: Omit<SshTunnelOptions, 'ssh'> & { ssh: SshTunnelConfig | undefined },
  onClose: (error: Error) => void,
): Promise<{ host: string; port: number; tunnel: SshTunnel | undefined }> {
  const { ssh } = options;
  if (!ssh) return { host: options.targetHost, port: options.targetPort, tunnel: current };
  let tunnel = current;
  if (!tunnel?.isOpen()) {
    await tunnel?.dispose();
    tunnel = await openSshTunnel({ ...options, ssh });
    tunnel.onClose(onClose);
  }
  return { host: tunnel.localHost, port: tunnel.localPort, tunnel };
}

/** "host:port", or "host:port via SSH user@bastion", for error messages. */
export function describeEndpoint(host: string, port: number, ssh: SshTunnelConfig | undefined): string {
  const at = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return ssh ? `${at} via SSH ${ssh.user}@${ssh.host}` : at;
}
