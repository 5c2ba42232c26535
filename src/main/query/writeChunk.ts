import { once } from 'node:events';

/**
 * Write one chunk and, when the stream's buffer is full, wait for 'drain' so a fast producer never buffers a
 * whole export in memory. Rejects if the stream errors while we wait.
 */
export async function writeChunk(out: NodeJS.WritableStream, chunk: string | Uint8Array): Promise<void> {
  if (chunk.length === 0) return;
  if (!out.write(chunk)) await once(out, 'drain');
}
