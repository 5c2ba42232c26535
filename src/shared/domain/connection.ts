import { z } from 'zod';

export const dialects = ['postgres', 'mysql', 'sqlite'] as const;
export type Dialect = (typeof dialects)[number];

export const tlsModes = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type TlsMode = (typeof tlsModes)[number];

export const sshTunnelSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(22),
  user: z.string().min(1),
  auth: z.enum(['password', 'key']),
  /** Path to a private key file; used when auth is 'key'. */
  privateKeyPath: z.string().optional(),
});
export type SshTunnel = z.infer<typeof sshTunnelSchema>;

/**
 * Everything needed to reach a database except its secrets. Passwords, key passphrases and SSH passwords
 * travel separately (ConnectionSecrets) and are never sent back to the renderer.
 */
export const connectionConfigSchema = z.object({
  name: z.string().min(1).max(200),
  dialect: z.enum(dialects),
  /** Server host; unused for SQLite. */
  host: z.string().optional(),
  /** Defaults to the dialect's port (5432, 3306). */
  port: z.number().int().min(1).max(65535).optional(),
  user: z.string().optional(),
  /** Database name, or for SQLite the file path. */
  database: z.string().optional(),
  /** Defaults to 'prefer' for PostgreSQL (libpq's default) and 'disable' elsewhere. */
  tls: z.enum(tlsModes).optional(),
  /** PEM file of the CA that signed the server certificate, for verify-ca and verify-full. */
  tlsCaFile: z.string().optional(),
  ssh: sshTunnelSchema.optional(),
  /** Sessions are read-only unless this is true. Defaults to false. */
  allowWrites: z.boolean().default(false),
  /** Milliseconds before a statement is cancelled by the server; 0 means none. Defaults to 0. */
  statementTimeoutMs: z.number().int().min(0).default(0),
  /** Milliseconds to wait when connecting. Defaults to 10000. */
  connectTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
  /** Free-form colour or tag shown in the UI, e.g. to mark production. */
  color: z.string().optional(),
});
export type ConnectionConfig = z.infer<typeof connectionConfigSchema>;
export type ConnectionConfigInput = z.input<typeof connectionConfigSchema>;

export const connectionSecretsSchema = z.object({
  password: z.string().optional(),
  sshPassword: z.string().optional(),
  sshPassphrase: z.string().optional(),
});
export type ConnectionSecrets = z.infer<typeof connectionSecretsSchema>;

/** What the renderer sees of a saved connection: the config, and whether secrets are stored. Never the secrets. */
export interface ConnectionInfo {
  id: string;
  config: ConnectionConfig;
  hasPassword: boolean;
  hasSshPassword: boolean;
  /** True for the demo database that ships with Quarry. */
  builtin: boolean;
  createdAt: string;
  updatedAt: string;
}

export type ConnectionState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting' | 'error';

export interface ConnectionStatus {
  connectionId: string;
  state: ConnectionState;
  serverVersion?: string;
  readOnly?: boolean;
  error?: { code: string; message: string };
}
