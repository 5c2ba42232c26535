/**
 * Encrypts the secrets of saved connections at rest. The Electron door supplies one backed by the OS keychain
 * (safeStorage); elsewhere a key file in the data dir does the job (KeyFileSecretBox).
 */
export interface SecretBox {
  encrypt(plain: string): Buffer;
  /** Throws when the data was not sealed by this box (other key, tampered, truncated). */
  decrypt(data: Buffer): string;
  /** Names the mechanism, for app.info and diagnostics. */
  readonly kind: string;
}
