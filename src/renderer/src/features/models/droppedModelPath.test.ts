import { describe, expect, it } from 'vitest';
import type { PickedSource } from '../review/pickedSource';
import { droppedModelPath } from './droppedModelPath';

describe('droppedModelPath', () => {
  it('gives the path where the door knows it', async () => {
    const picked: PickedSource = { name: 'model.gguf', read: async () => ({ kind: 'path', path: '/models/model.gguf' }) };
    expect(await droppedModelPath(picked)).toBe('/models/model.gguf');
  });

  it('never reads a browser drop: the reader sees an aborted signal before its first byte', async () => {
    let bytesRead = 0;
    const picked: PickedSource = {
      name: 'model.gguf',
      read: async (_progress, signal) => {
        signal.throwIfAborted();
        bytesRead += 1;
        return { kind: 'files', name: 'model.gguf', files: [{ path: 'model.gguf', base64: '' }] };
      },
    };
    expect(await droppedModelPath(picked)).toBeUndefined();
    expect(bytesRead).toBe(0);
  });

  it('is undefined for a reader that hands files back anyway', async () => {
    const picked: PickedSource = { name: 'x', read: async () => ({ kind: 'files', name: 'x', files: [{ path: 'x', base64: '' }] }) };
    expect(await droppedModelPath(picked)).toBeUndefined();
  });
});
