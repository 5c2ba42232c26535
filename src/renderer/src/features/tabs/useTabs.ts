import { useCallback, useEffect, useRef, useState } from 'react';
import type { EditorTab } from '../../../../shared/domain/query';
import { errorMessage } from '../../api';
import { useClient } from '../../app/ClientContext';
import { newId } from '../../app/newId';

export interface TabsState {
  tabs: EditorTab[] | undefined;
  activeId: string | undefined;
  setActive: (id: string) => void;
  add: (init?: Partial<EditorTab>) => EditorTab;
  close: (id: string) => void;
  update: (id: string, patch: Partial<EditorTab>) => void;
  /** Whether every change has reached tabs.save. */
  saved: boolean;
  saveError: string | undefined;
}

/**
 * Open editor tabs, restored with tabs.list on start and written back with tabs.save (debounced), so unsaved
 * SQL survives a reload or a restart.
 *
 * @param makeFirst builds the first tab when nothing was stored (the starter query on first start).
 * @param debounceMs wait after the last keystroke before saving. Defaults to 400.
 */
export function useTabs(makeFirst: () => Promise<Partial<EditorTab>>, debounceMs = 400): TabsState {
  const client = useClient();
  const [tabs, setTabs] = useState<EditorTab[] | undefined>();
  const [activeId, setActiveId] = useState<string | undefined>();
  const [saved, setSaved] = useState(true);
  const [saveError, setSaveError] = useState<string | undefined>();
  const loaded = useRef(false);
  const makeFirstRef = useRef(makeFirst);

  useEffect(() => {
    let live = true;
    (async () => {
      let stored: EditorTab[] = [];
      try {
        stored = await client.call('tabs.list', {});
      } catch (e) {
        setSaveError(`Could not restore tabs: ${errorMessage(e)}`);
      }
      if (!live) return;
      if (stored.length === 0) {
        const first = await makeFirstRef.current();
        stored = [{ id: newId(), title: 'Query 1', sql: '', position: 0, dirty: false, ...first }];
      }
      stored.sort((a, b) => a.position - b.position);
      loaded.current = true;
      setTabs(stored);
      const lastActive = sessionStorage.getItem('quarry.activeTab');
      setActiveId(stored.find((t) => t.id === lastActive)?.id ?? stored[0]!.id);
    })();
    return () => {
      live = false;
    };
  }, [client]);

  useEffect(() => {
    if (!tabs || !loaded.current) return;
    setSaved(false);
    const timer = setTimeout(() => {
      const payload = tabs.map((t, i) => {
        const tab: EditorTab = { id: t.id, title: t.title, sql: t.sql, position: i, dirty: t.dirty };
        if (t.connectionId) tab.connectionId = t.connectionId;
        if (t.savedQueryId) tab.savedQueryId = t.savedQueryId;
        return tab;
      });
      client.call('tabs.save', { tabs: payload }).then(
        () => {
          setSaved(true);
          setSaveError(undefined);
        },
        (e) => setSaveError(`Tabs not saved: ${errorMessage(e)}`),
      );
    }, debounceMs);
    return () => clearTimeout(timer);
  }, [client, tabs, debounceMs]);

  useEffect(() => {
    if (activeId) sessionStorage.setItem('quarry.activeTab', activeId);
  }, [activeId]);

  const add = useCallback((init: Partial<EditorTab> = {}) => {
    const tab: EditorTab = { id: newId(), title: '', sql: '', position: 0, dirty: false, ...init };
    setTabs((ts = []) => {
      if (!tab.title) {
        const used = new Set(ts.map((t) => t.title));
        let n = ts.length + 1;
        while (used.has(`Query ${n}`)) n++;
        tab.title = `Query ${n}`;
      }
      return [...ts, { ...tab, position: ts.length }];
    });
    setActiveId(tab.id);
    return tab;
  }, []);

  const close = useCallback((id: string) => {
    setTabs((ts = []) => {
      const index = ts.findIndex((t) => t.id === id);
      const rest = ts.filter((t) => t.id !== id);
      const next = rest.length ? rest : [{ id: newId(), title: 'Query 1', sql: '', position: 0, dirty: false, connectionId: ts[index]?.connectionId }];
      setActiveId((a) => (a === id ? next[Math.min(Math.max(0, index), next.length - 1)]!.id : a));
      return next;
    });
  }, []);

  const update = useCallback((id: string, patch: Partial<EditorTab>) => {
    setTabs((ts) => ts?.map((t) => (t.id === id ? { ...t, ...patch } : t)));
  }, []);

  return { tabs, activeId, setActive: setActiveId, add, close, update, saved, saveError };
}
