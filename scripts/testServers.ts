/**
 * Throwaway PostgreSQL 15, MariaDB and OpenSSH servers for the db and e2e tests, on loopback only.
 *
 * CLI:   node --import tsx scripts/testServers.ts start   → prints `export QUARRY_TEST_…=` lines
 *        node --import tsx scripts/testServers.ts stop    → stops what `start` started and removes its files
 * Module: startTestServers(), attachTestServers(state), startSshd().
 *
 * Servers run as an unprivileged user when we are root, because initdb refuses root.
 */
import { spawn, type SpawnOptions } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import mysql from 'mysql2/promise';

const PG_BIN = '/usr/lib/postgresql/15/bin';
const TEST_USER = 'quarry';
const TEST_PASSWORD = 'quarry';
const TEST_DATABASE = 'quarry';
const SSH_USER = 'quarrytun';
const SSH_PASSWORD = 'quarry-ssh-pw';
const SSH_KEY_PASSPHRASE = 'quarry-key-pass';

export interface RunAs {
  user: string;
  uid: number;
  gid: number;
}

/** Everything needed to stop or restart the servers from another process (a vitest worker, the CLI's `stop`). */
export interface TestServersState {
  rootDir: string;
  runAs: RunAs | null;
  /** PEM of the throwaway CA that signed both servers' certificates; undefined when TLS is off. */
  caFile?: string;
  postgres: { port: number; dataDir: string; logFile: string };
  mysql: { port: number; dataDir: string; logFile: string; socket: string; pidFile: string; args: string[] };
}

export interface TestServers {
  pgUrl: string;
  mysqlUrl: string;
  pgDataDir: string;
  mysqlDataDir: string;
  /** CA certificate for verify-ca / verify-full tests; its server certificates name only IP 127.0.0.1. */
  caFile?: string;
  state: TestServersState;
  /** Stops both servers and removes their files. */
  stop(): Promise<void>;
  /** Stops then starts PostgreSQL on the same port and data directory (for reconnect tests). */
  restartPostgres(): Promise<void>;
  /** Stops then starts MariaDB on the same port and data directory (for reconnect tests). */
  restartMysql(): Promise<void>;
}

export interface StartTestServersOptions {
  /** Serve TLS on both servers with a throwaway CA. Defaults to true. */
  tls?: boolean;
  /** Leave the servers running when this process exits (the CLI's `start`). Defaults to false: they are killed on exit. */
  detached?: boolean;
  /** Where the temp directory is made. Defaults to os.tmpdir(). */
  parentDir?: string;
}

export function pgUrlOf(state: TestServersState): string {
  return `postgres://${TEST_USER}:${TEST_PASSWORD}@127.0.0.1:${state.postgres.port}/${TEST_DATABASE}`;
}

export function mysqlUrlOf(state: TestServersState): string {
  return `mysql://${TEST_USER}:${TEST_PASSWORD}@127.0.0.1:${state.mysql.port}/${TEST_DATABASE}`;
}

export async function startTestServers(options: StartTestServersOptions = {}): Promise<TestServers> {
  const runAs = await unprivilegedUser();
  const rootDir = await mkdtemp(join(options.parentDir ?? tmpdir(), 'quarry-servers-'));
  chmodSync(rootDir, 0o755);
  if (runAs) chownSync(rootDir, runAs.uid, runAs.gid);

  const caFile = options.tls === false ? undefined : await makeCertificates(rootDir, runAs);
  const [pgPort, mysqlPort] = await freePorts(2);
  const state: TestServersState = {
    rootDir,
    runAs,
    caFile,
    postgres: { port: pgPort!, dataDir: join(rootDir, 'pg'), logFile: join(rootDir, 'pg.log') },
    mysql: {
      port: mysqlPort!,
      dataDir: join(rootDir, 'mysql'),
      logFile: join(rootDir, 'mysql.log'),
      socket: join(rootDir, 'mysql.sock'),
      pidFile: join(rootDir, 'mysql.pid'),
      args: [],
    },
  };
  state.mysql.args = mysqlArgs(state);

  const servers = attachTestServers(state);
  if (!options.detached) killOnExit(state);
  try {
    // Both at once: on 2 cores this still saves a few seconds of mostly-waiting.
    await Promise.all([initPostgres(state), initMysql(state)]);
  } catch (error) {
    await servers.stop().catch(() => undefined);
    throw error;
  }
  return servers;
}

/** A handle on servers started elsewhere (from their state), e.g. to restart them from a test worker. */
export function attachTestServers(state: TestServersState): TestServers {
  return {
    pgUrl: pgUrlOf(state),
    mysqlUrl: mysqlUrlOf(state),
    pgDataDir: state.postgres.dataDir,
    mysqlDataDir: state.mysql.dataDir,
    caFile: state.caFile,
    state,
    stop: () => stopTestServers(state),
    restartPostgres: async () => {
      await stopPostgres(state);
      await startPostgres(state);
    },
    restartMysql: async () => {
      await stopMysql(state);
      await startMysql(state);
      await waitForMysql(state);
    },
  };
}

export async function stopTestServers(state: TestServersState): Promise<void> {
  const results = await Promise.allSettled([stopPostgres(state), stopMysql(state)]);
  await rm(state.rootDir, { recursive: true, force: true });
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

// ---------------------------------------------------------------- PostgreSQL

async function initPostgres(state: TestServersState): Promise<void> {
  const { dataDir } = state.postgres;
  const pwFile = join(state.rootDir, 'pg.pw');
  writeFileSync(pwFile, `${TEST_PASSWORD}\n`, { mode: 0o600 });
  if (state.runAs) chownSync(pwFile, state.runAs.uid, state.runAs.gid);
  await run(
    join(PG_BIN, 'initdb'),
    ['-D', dataDir, '-U', TEST_USER, `--pwfile=${pwFile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '--encoding=UTF8', '--locale=C', '--no-sync'],
    state.runAs,
  );
  rmSync(pwFile, { force: true });

  const conf = [
    `listen_addresses = '127.0.0.1'`,
    `port = ${state.postgres.port}`,
    `unix_socket_directories = '${dataDir}'`,
    // Throwaway data: durability costs time and buys nothing.
    `fsync = off`,
    `synchronous_commit = off`,
    `full_page_writes = off`,
    `shared_preload_libraries = 'pg_stat_statements'`,
    `password_encryption = 'scram-sha-256'`,
    `max_connections = 200`,
    `log_min_messages = warning`,
  ];
  if (state.caFile) {
    conf.push(`ssl = on`, `ssl_cert_file = '${join(state.rootDir, 'tls', 'server.crt')}'`, `ssl_key_file = '${join(state.rootDir, 'tls', 'server.key')}'`);
  }
  writeFileSync(join(dataDir, 'postgresql.conf'), `${readFileSync(join(dataDir, 'postgresql.conf'), 'utf8')}\n# quarry test server\n${conf.join('\n')}\n`);
  // Password auth over TCP so wrong-password tests are real; trust only on the private unix socket.
  writeFileSync(join(dataDir, 'pg_hba.conf'), 'local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n');

  await startPostgres(state);
  const admin = new pg.Client({ host: '127.0.0.1', port: state.postgres.port, user: TEST_USER, password: TEST_PASSWORD, database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${TEST_DATABASE}`);
  } finally {
    await admin.end();
  }
  const db = new pg.Client({ connectionString: pgUrlOf(state) });
  await db.connect();
  try {
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  } finally {
    await db.end();
  }
}

async function startPostgres(state: TestServersState): Promise<void> {
  await run(join(PG_BIN, 'pg_ctl'), ['-D', state.postgres.dataDir, '-l', state.postgres.logFile, '-w', '-t', '60', 'start'], state.runAs, state.postgres.logFile);
}

async function stopPostgres(state: TestServersState): Promise<void> {
  if (!existsSync(join(state.postgres.dataDir, 'postmaster.pid'))) return;
  await run(join(PG_BIN, 'pg_ctl'), ['-D', state.postgres.dataDir, '-m', 'fast', '-w', '-t', '60', 'stop'], state.runAs, state.postgres.logFile);
}

function postgresPid(state: TestServersState): number | undefined {
  try {
    const first = readFileSync(join(state.postgres.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0];
    const pid = Number(first);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- MariaDB

function mysqlArgs(state: TestServersState): string[] {
  const m = state.mysql;
  const args = [
    '--no-defaults',
    `--datadir=${m.dataDir}`,
    `--port=${m.port}`,
    '--bind-address=127.0.0.1',
    `--socket=${m.socket}`,
    `--pid-file=${m.pidFile}`,
    `--log-error=${m.logFile}`,
    '--skip-name-resolve',
    '--skip-log-bin',
    '--innodb-flush-log-at-trx-commit=0',
    '--innodb-doublewrite=0',
    '--innodb-buffer-pool-size=128M',
    '--innodb-flush-method=nosync',
    '--max-connections=200',
    // The driver suite round-trips a 50 MB value.
    '--max-allowed-packet=256M',
    '--character-set-server=utf8mb4',
    '--collation-server=utf8mb4_general_ci',
  ];
  if (state.caFile) {
    const tls = join(state.rootDir, 'tls');
    args.push(`--ssl-ca=${state.caFile}`, `--ssl-cert=${join(tls, 'server.crt')}`, `--ssl-key=${join(tls, 'server.key')}`);
  }
  return args;
}

async function initMysql(state: TestServersState): Promise<void> {
  const m = state.mysql;
  mkdirSync(m.dataDir, { mode: 0o700 });
  if (state.runAs) chownSync(m.dataDir, state.runAs.uid, state.runAs.gid);
  await run('mariadb-install-db', ['--no-defaults', `--datadir=${m.dataDir}`, '--auth-root-authentication-method=normal', '--skip-test-db', '--skip-name-resolve'], state.runAs);
  // The init file runs on this first start only; it creates the test user, so we never need root over the network.
  const initFile = join(state.rootDir, 'mysql-init.sql');
  writeFileSync(
    initFile,
    [
      `CREATE USER IF NOT EXISTS '${TEST_USER}'@'127.0.0.1' IDENTIFIED BY '${TEST_PASSWORD}';`,
      `GRANT ALL PRIVILEGES ON *.* TO '${TEST_USER}'@'127.0.0.1' WITH GRANT OPTION;`,
      `CREATE DATABASE IF NOT EXISTS ${TEST_DATABASE} CHARACTER SET utf8mb4;`,
      `FLUSH PRIVILEGES;`,
      '',
    ].join('\n'),
  );
  if (state.runAs) chownSync(initFile, state.runAs.uid, state.runAs.gid);
  await startMysql(state, [`--init-file=${initFile}`]);
  await waitForMysql(state);
  rmSync(initFile, { force: true });
}

async function startMysql(state: TestServersState, extra: string[] = []): Promise<void> {
  const child = spawn('mariadbd', [...state.mysql.args, ...extra], {
    detached: true,
    stdio: 'ignore',
    cwd: state.rootDir,
    ...(state.runAs ? { uid: state.runAs.uid, gid: state.runAs.gid } : {}),
  });
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `mariadbd exited (${signal ?? code})`));
  child.once('error', (error) => (exited = `could not start mariadbd: ${error.message}`));
  child.unref();
  // Ready when the pid file appears and the port accepts; fail fast if the process dies.
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${exited}\n${tail(state.mysql.logFile)}`);
    if (existsSync(state.mysql.pidFile) && (await portOpen(state.mysql.port))) return;
    await sleep(100);
  }
  throw new Error(`mariadbd did not start within 60 s\n${tail(state.mysql.logFile)}`);
}

async function waitForMysql(state: TestServersState): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const c = await mysql.createConnection({ host: '127.0.0.1', port: state.mysql.port, user: TEST_USER, password: TEST_PASSWORD, database: TEST_DATABASE });
      await c.end();
      return;
    } catch (error) {
      last = error;
      await sleep(100);
    }
  }
  throw new Error(`MariaDB on 127.0.0.1:${state.mysql.port} did not accept the test user: ${String(last)}\n${tail(state.mysql.logFile)}`);
}

function mysqlPid(state: TestServersState): number | undefined {
  try {
    const pid = Number(readFileSync(state.mysql.pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function stopMysql(state: TestServersState): Promise<void> {
  const pid = mysqlPid(state);
  if (pid === undefined || !processAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 60_000;
  while (processAlive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      break;
    }
    await sleep(50);
  }
  // The port must be free again before a restart binds it.
  while (Date.now() < deadline && (await portOpen(state.mysql.port))) await sleep(50);
  rmSync(state.mysql.pidFile, { force: true });
}

// ---------------------------------------------------------------- SSH

export interface SshServer {
  host: '127.0.0.1';
  port: number;
  user: string;
  password: string;
  /** Unencrypted ed25519 private key accepted by the server. */
  privateKeyPath: string;
  /** The same kind of key, encrypted with `passphrase`. */
  encryptedKeyPath: string;
  passphrase: string;
  /** Stops sshd and removes its files. */
  stop(): Promise<void>;
}

/**
 * An sshd on a free loopback port accepting a throwaway unprivileged user by password or key; it allows TCP
 * forwarding and nothing else useful (the user's shell is nologin). Needs root: sshd must switch users.
 */
export async function startSshd(): Promise<SshServer> {
  if (process.getuid?.() !== 0) throw new Error('startSshd needs root: sshd must authenticate and switch to a throwaway user');
  const dir = await mkdtemp(join(tmpdir(), 'quarry-sshd-'));
  chmodSync(dir, 0o755);
  await ensureSshUser();
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'quarry-test-host', '-f', join(dir, 'host_key')], null);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'quarry-test-user', '-f', join(dir, 'id_ed25519')], null);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', SSH_KEY_PASSPHRASE, '-C', 'quarry-test-user-enc', '-f', join(dir, 'id_ed25519_enc')], null);
  const authorized = join(dir, 'authorized_keys');
  writeFileSync(authorized, readFileSync(join(dir, 'id_ed25519.pub'), 'utf8') + readFileSync(join(dir, 'id_ed25519_enc.pub'), 'utf8'), { mode: 0o644 });
  chmodSync(authorized, 0o644);

  const [port] = await freePorts(1);
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${authorized}`,
      // The key files live in a temp dir owned by root, not in the user's home.
      'StrictModes no',
      'PasswordAuthentication yes',
      'PubkeyAuthentication yes',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'AllowTcpForwarding yes',
      'PermitRootLogin no',
      `AllowUsers ${SSH_USER}`,
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  // sshd's privilege separation directory; Debian creates it at boot, containers often lack it.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `sshd exited (${signal ?? code}): ${stderr}`));
  child.once('error', (error) => (exited = `could not start sshd: ${error.message}`));
  const onExit = () => child.kill('SIGKILL');
  process.once('exit', onExit);

  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exited) throw new Error(exited);
    if (await portOpen(port!)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`sshd did not listen on 127.0.0.1:${port} within 20 s: ${stderr}`);
    }
    await sleep(50);
  }
  return {
    host: '127.0.0.1',
    port: port!,
    user: SSH_USER,
    password: SSH_PASSWORD,
    privateKeyPath: join(dir, 'id_ed25519'),
    encryptedKeyPath: join(dir, 'id_ed25519_enc'),
    passphrase: SSH_KEY_PASSPHRASE,
    stop: async () => {
      process.removeListener('exit', onExit);
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        await Promise.race([gone, sleep(5_000)]);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function ensureSshUser(): Promise<void> {
  if (!passwdEntry(SSH_USER)) {
    await run('useradd', ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', SSH_USER], null).catch((error: Error) => {
      // Two test files may race to create the user; the loser finds it there.
      if (!passwdEntry(SSH_USER)) throw error;
    });
  }
  await run('chpasswd', [], null, undefined, `${SSH_USER}:${SSH_PASSWORD}\n`);
}

// ---------------------------------------------------------------- helpers

function passwdEntry(name: string): RunAs | undefined {
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name) return { user, uid: Number(uid), gid: Number(gid) };
  }
  return undefined;
}

/** The user the database servers run as: ourselves unless we are root, then `postgres` (or a created one). */
async function unprivilegedUser(): Promise<RunAs | null> {
  if (process.getuid?.() !== 0) return null;
  const existing = passwdEntry('postgres') ?? passwdEntry('quarrydb');
  if (existing) return existing;
  await run('useradd', ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', 'quarrydb'], null);
  const created = passwdEntry('quarrydb');
  if (!created) throw new Error('could not create the unprivileged user quarrydb to run the test servers');
  return created;
}

/** A throwaway CA and a server certificate for IP 127.0.0.1 only (so verify-full to "localhost" fails, as it should). */
async function makeCertificates(rootDir: string, runAs: RunAs | null): Promise<string> {
  const dir = join(rootDir, 'tls');
  mkdirSync(dir, { mode: 0o755 });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', ['req', '-x509', ...ec, '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.crt'), '-days', '3650', '-subj', '/CN=Quarry Test CA'], null);
  await run('openssl', ['req', ...ec, '-keyout', join(dir, 'server.key'), '-out', join(dir, 'server.csr'), '-subj', '/CN=quarry-test-server'], null);
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName = IP:127.0.0.1\nbasicConstraints = CA:FALSE\nkeyUsage = digitalSignature, keyEncipherment\nextendedKeyUsage = serverAuth\n');
  await run(
    'openssl',
    ['x509', '-req', '-in', join(dir, 'server.csr'), '-CA', join(dir, 'ca.crt'), '-CAkey', join(dir, 'ca.key'), '-CAcreateserial', '-out', join(dir, 'server.crt'), '-days', '3650', '-extfile', join(dir, 'server.ext')],
    null,
  );
  // PostgreSQL refuses a key readable by others; both servers read it as the unprivileged user.
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (runAs) chownSync(path, runAs.uid, runAs.gid);
    chmodSync(path, name.endsWith('.key') ? 0o600 : 0o644);
  }
  return join(dir, 'ca.crt');
}

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () =>
      new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
        const s = createServer();
        s.once('error', reject);
        s.listen(0, '127.0.0.1', () => resolve(s));
      }),
    ),
  );
  const ports = servers.map((s) => {
    const address = s.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    return address.port;
  });
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tail(file: string, bytes = 2_000): string {
  try {
    const text = readFileSync(file, 'utf8');
    return text.slice(-bytes);
  } catch {
    return '';
  }
}

function run(command: string, args: string[], runAs: RunAs | null, logFile?: string, input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const options: SpawnOptions = {
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
      ...(runAs ? { uid: runAs.uid, gid: runAs.gid, cwd: '/tmp' } : {}),
    };
    const child = spawn(command, args, options);
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    if (input !== undefined) child.stdin?.end(input);
    child.once('error', (error) => reject(new Error(`could not run ${command}: ${error.message}`)));
    child.once('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(' ')} failed (exit ${code}):\n${output}${logFile ? `\n${tail(logFile)}` : ''}`));
    });
  });
}

/** Kill what we started if this process ends without stop(): a crashed or interrupted run must not leave servers behind. */
function killOnExit(state: TestServersState): void {
  const cleanup = () => {
    for (const pid of [postgresPid(state), mysqlPid(state)]) {
      if (pid !== undefined) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    try {
      rmSync(state.rootDir, { recursive: true, force: true });
    } catch {
      // best effort on exit
    }
  };
  process.once('exit', cleanup);
  // 'exit' does not run when a signal ends the process; clean up, then let the signal do what it would have done.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      cleanup();
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

// ---------------------------------------------------------------- CLI

/** Where the CLI keeps its state between `start` and `stop`. Defaults to $TMPDIR/quarry-test-servers.json. */
export function defaultStateFile(): string {
  return process.env.QUARRY_TEST_SERVERS_STATE ?? join(tmpdir(), 'quarry-test-servers.json');
}

export function readStateFile(path = defaultStateFile()): TestServersState | undefined {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as TestServersState;
}

async function main(argv: string[]): Promise<number> {
  const command = argv[0];
  const stateFile = defaultStateFile();
  if (command === 'start') {
    const previous = readStateFile(stateFile);
    if (previous && existsSync(previous.rootDir)) await stopTestServers(previous).catch(() => undefined);
    const servers = await startTestServers({ detached: true, tls: !argv.includes('--no-tls') });
    writeFileSync(stateFile, JSON.stringify(servers.state, null, 2));
    console.log(`export QUARRY_TEST_PG_URL=${servers.pgUrl}`);
    console.log(`export QUARRY_TEST_MYSQL_URL=${servers.mysqlUrl}`);
    console.log(`export QUARRY_TEST_SERVERS_STATE=${stateFile}`);
    if (servers.caFile) console.log(`export QUARRY_TEST_CA_FILE=${servers.caFile}`);
    return 0;
  }
  if (command === 'stop') {
    const state = readStateFile(stateFile);
    if (!state) {
      console.error(`no test servers recorded in ${stateFile}`);
      return 0;
    }
    await stopTestServers(state);
    rmSync(stateFile, { force: true });
    console.error(`stopped test servers in ${state.rootDir}`);
    return 0;
  }
  if (command === 'status') {
    const state = readStateFile(stateFile);
    console.log(state ? JSON.stringify({ pgUrl: pgUrlOf(state), mysqlUrl: mysqlUrlOf(state), running: existsSync(state.rootDir) && statSync(state.rootDir).isDirectory() }) : 'not started');
    return 0;
  }
  console.error('usage: node --import tsx scripts/testServers.ts start [--no-tls] | stop | status');
  return 2;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}

export const testCredentials = { user: TEST_USER, password: TEST_PASSWORD, database: TEST_DATABASE } as const;
