import type { PickedSource } from '../review/pickedSource';

/**
 * The path of a file dropped on the window, where the door can tell it (Electron), else undefined. The drop's
 * reader is handed an aborted signal: a path comes back at once without touching the file, while the browser's
 * reader, which would read the whole file into memory, stops before its first byte.
 */
export async function droppedModelPath(picked: PickedSource): Promise<string | undefined> {
  const stop = new AbortController();
  stop.abort();
  try {
    const source = await picked.read(() => {}, stop.signal);
    return source.kind === 'path' ? source.path : undefined;
  } catch {
    return undefined;
  }
}
