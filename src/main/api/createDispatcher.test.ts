import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api/errors';
import type { StreamMessage } from '../../shared/api/contract';
import { createDispatcher, type Handlers } from './createDispatcher';

function dispatcherWith(partial: Partial<Handlers>, logged: unknown[] = []) {
  return createDispatcher(partial as Handlers, { logError: (_m, e) => logged.push(e) });
}

describe('createDispatcher', () => {
  it('rejects unknown methods', async () => {
    const d = dispatcherWith({});
    await expect(d.call('nope.nope', {})).rejects.toMatchObject({ code: 'UNKNOWN_METHOD' });
    await expect(d.call('toString', {})).rejects.toMatchObject({ code: 'UNKNOWN_METHOD' });
    expect(await d.invoke(42, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('validates input with the contract schema and reports paths', async () => {
    let seen: unknown;
    const d = dispatcherWith({ 'query.page': (input) => ((seen = input), { offset: 0, rows: [], total: 0, done: true }) });
    const error = await d.call('query.page', { queryId: 'q', resultIndex: -1, offset: 0, limit: 'ten' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('BAD_INPUT');
    const paths = ((error as ApiError).detail as { issues: { path: string; message: string }[] }).issues.map((i) => i.path);
    expect(paths.sort()).toEqual(['limit', 'resultIndex']);
    expect(seen).toBeUndefined();
    await expect(d.call('query.page', { queryId: 'q', resultIndex: 0, offset: 0, limit: 10 })).resolves.toMatchObject({ done: true });
    expect(seen).toEqual({ queryId: 'q', resultIndex: 0, offset: 0, limit: 10 });
  });

  it('rejects extra keys on empty inputs and applies schema defaults', async () => {
    let seen: unknown;
    const d = dispatcherWith({ 'app.info': () => ({ version: '1', door: 'browser', dataDir: '/', platform: 'linux' }), 'history.list': (i) => ((seen = i), []) });
    await expect(d.call('app.info', { evil: true })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(d.call('app.info', undefined)).resolves.toMatchObject({ version: '1' });
    await d.call('history.list', {});
    expect(seen).toEqual({ limit: 200 });
  });

  it('passes ApiErrors through and hides anything else behind INTERNAL', async () => {
    const logged: unknown[] = [];
    const d = dispatcherWith(
      {
        'connections.delete': () => {
          throw new ApiError('NOT_FOUND', 'No such connection.', { id: 'x' });
        },
        'tabs.list': () => {
          throw new TypeError('secret internals at /home/me/file.ts:12');
        },
      },
      logged,
    );
    expect(await d.invoke('connections.delete', { id: 'x' })).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'No such connection.', detail: { id: 'x' } } });
    const internal = await d.invoke('tabs.list', {});
    expect(internal).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(internal)).not.toMatch(/secret internals|file\.ts/);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toBeInstanceOf(TypeError);
  });

  it('fans events out to subscribers until they unsubscribe', () => {
    const d = dispatcherWith({});
    const a: StreamMessage[] = [];
    const b: StreamMessage[] = [];
    const offA = d.subscribe((m) => a.push(m));
    d.subscribe((m) => b.push(m));
    const message: StreamMessage = { stream: 'connectionStatus', id: 'c', event: { connectionId: 'c', state: 'connecting' } };
    d.emit(message);
    offA();
    d.emit(message);
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(2);
  });
});
