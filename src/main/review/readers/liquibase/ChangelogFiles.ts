import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { InputFile } from '../../input/InputFile';

/** The files a changelog tree can reach, by root-relative '/' paths; paths are already checked to stay inside. */
export interface ChangelogFiles {
  /** The bytes of a file, or undefined when there is none. */
  read(path: string): Uint8Array | undefined;
  /** Every file under a folder ('' for the root), recursively, as root-relative paths. */
  list(dir: string): string[];
}

/** Files the input layer already opened (a folder, a file or a zip). */
export function changelogFilesFromInput(files: InputFile[]): ChangelogFiles {
  const byPath = new Map(files.map((f) => [f.path, f.bytes]));
  return {
    read: (path) => byPath.get(path),
    list: (dir) => {
      const prefix = dir === '' || dir.endsWith('/') ? dir : `${dir}/`;
      return files.map((f) => f.path).filter((p) => p.startsWith(prefix));
    },
  };
}

/**
 * Files read from disk under rootDir, on demand. A symbolic link that resolves outside the root reads as
 * missing, so an include cannot leave the reviewed folder through one.
 */
export function changelogFilesFromDisk(rootDir: string): ChangelogFiles {
  const root = realpathSync(rootDir);
  const inside = (abs: string): boolean => {
    try {
      const real = realpathSync(abs);
      return real === root || real.startsWith(root + sep);
    } catch {
      return false;
    }
  };
  return {
    read: (path) => {
      const abs = join(root, path);
      if (!inside(abs)) return undefined;
      try {
        return statSync(abs).isFile() ? new Uint8Array(readFileSync(abs)) : undefined;
      } catch {
        return undefined;
      }
    },
    list: (dir) => {
      const out: string[] = [];
      const walk = (abs: string): void => {
        if (!inside(abs)) return;
        let entries;
        try {
          entries = readdirSync(abs, { withFileTypes: true });
        } catch {
          return;
        }
        for (const e of entries) {
          const child = join(abs, e.name);
          if (e.isDirectory()) walk(child);
          else if (e.isFile()) out.push(relative(root, child).split(sep).join('/'));
        }
      };
      walk(join(root, dir));
      return out;
    },
  };
}
