import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fstatSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SecretBox } from './SecretBox';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** First byte of every ciphertext, so the format can change without guessing what old data is. */
const FORMAT_V1 = 1;

export interface KeyFileSecretBoxOptions {
  /** Where a warning goes when a key file readable by others was repaired. Defaults to console.warn. */
  warn?: (message: string) => void;
}

/**
 * AES-256-GCM with a random key kept in a file only the user can read (mode 0600). Ciphertext layout:
 * [version=1][12-byte IV][16-byte GCM tag][ciphertext]. A key file that group or others can read is repaired
 * (chmod 0600) with a warning rather than refused: refusing would lock the user out of their own connections,
 * and the repair closes the hole from now on.
 */
export class KeyFileSecretBox implements SecretBox {
  readonly kind = 'key-file';
  readonly #key: Buffer;

  constructor(
    readonly keyPath: string,
    options: KeyFileSecretBoxOptions = {},
  ) {
    this.#key = loadOrCreateKey(keyPath, options.warn ?? ((m) => console.warn(m)));
  }

  encrypt(plain: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([FORMAT_V1]), iv, cipher.getAuthTag(), body]);
  }

  decrypt(data: Buffer): string {
    if (data.length < 1 + IV_BYTES + TAG_BYTES) throw new Error('Stored secret is truncated.');
    if (data[0] !== FORMAT_V1) throw new Error(`Stored secret has unknown format version ${data[0]}.`);
    const iv = data.subarray(1, 1 + IV_BYTES);
    const tag = data.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.#key, iv);
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(data.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(`Stored secret could not be decrypted with the key in ${this.keyPath} (the key file changed or the data was altered).`);
    }
  }
}

function loadOrCreateKey(path: string, warn: (message: string) => void): Buffer {
  mkdirSync(dirname(path), { recursive: true });
  if (existsSync(path)) return readKey(path, warn);
  // Written aside, then hard-linked into place: link() refuses to replace an existing file, so of two processes
  // starting at once one key wins, and nobody ever reads a half-written key.
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const key = randomBytes(KEY_BYTES);
  writeFileSync(temp, key, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temp, path);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readKey(path, warn);
  } finally {
    rmSync(temp, { force: true });
  }
}

function readKey(path: string, warn: (message: string) => void): Buffer {
  const fd = openSync(path, 'r');
  try {
    const mode = fstatSync(fd).mode & 0o777;
    // Windows has no POSIX modes; its ACLs are the user profile's.
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      chmodSync(path, 0o600);
      warn(`quarry: the key file ${path} was readable by other users (mode ${mode.toString(8)}); its mode is now 600.`);
    }
  } finally {
    closeSync(fd);
  }
  const key = readFileSync(path);
  if (key.length !== KEY_BYTES) {
    throw new Error(`The key file ${path} is ${key.length} bytes long, expected ${KEY_BYTES}; it is damaged. Move it away to start with a new key (saved passwords are then lost).`);
  }
  return key;
}
