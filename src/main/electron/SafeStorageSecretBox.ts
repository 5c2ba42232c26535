import { safeStorage } from 'electron';
import type { SecretBox } from '../secrets/SecretBox';

/** Secrets encrypted with the OS keychain (Keychain, DPAPI, libsecret/kwallet) through Electron's safeStorage. */
export class SafeStorageSecretBox implements SecretBox {
  readonly kind = 'electron-safe-storage';

  static isAvailable(): boolean {
    return safeStorage.isEncryptionAvailable();
  }

  encrypt(plain: string): Buffer {
    return safeStorage.encryptString(plain);
  }

  decrypt(data: Buffer): string {
    return safeStorage.decryptString(data);
  }
}
