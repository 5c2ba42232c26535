import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ConnectionInfo } from '../../../shared/domain/connection';
import type { EditorTab, SavedQuery } from '../../../shared/domain/query';
import { errorMessage } from '../api';
import { CopilotPanel, type CopilotPanelHandle } from '../features/ai/CopilotPanel';
import { ConnectionDialog } from '../features/connections/ConnectionDialog';
import { ConnectionList } from '../features/connections/ConnectionList';
import { useConnections } from '../features/connections/useConnections';
import { SqlEditor, type RunMode, type SqlEditorHandle } from '../features/editor/SqlEditor';
import { HistoryPanel } from '../features/history/HistoryPanel';
import { droppedModelPath } from '../features/models/droppedModelPath';
import { ModelsScreen, type ModelsScreenHandle } from '../features/models/ModelsScreen';
import { SavedQueriesPanel } from '../features/history/SavedQueriesPanel';
import { ConfirmDialog } from '../features/query/ConfirmDialog';
import { useQueryRuns } from '../features/query/useQueryRuns';
import { ResultsPanel } from '../features/results/ResultsPanel';
import { ReviewScreen, type ReviewScreenHandle } from '../features/review/ReviewScreen';
import { useWindowDrop } from '../features/review/useWindowDrop';
import { SchemaTree } from '../features/schema/SchemaTree';
import { useSchema } from '../features/schema/useSchema';
import { TabBar } from '../features/tabs/TabBar';
import { useTabs } from '../features/tabs/useTabs';
import { useClient, useClientHandle } from './ClientContext';
import { Dialog } from './Dialog';
import { StatusBar } from './StatusBar';
import { useTheme, type ThemeSetting } from './useTheme';

/** What the first tab holds on first start; the demo database has these tables. */
export const starterQuery = '-- Welcome to Quarry. Ctrl+Enter runs the statement at the cursor.\nSELECT * FROM customers LIMIT 100;\n';

type SidePanel = 'schema' | 'history' | 'saved';

/** The top-level views the activity bar switches between. */
type View = 'sql' | 'reviewer' | 'models';

const viewLabels: Record<View, { name: string; title: string; icon: string }> = {
  sql: { name: 'SQL', title: 'SQL workspace', icon: '⌘' },
  reviewer: { name: 'Reviewer', title: 'Migration reviewer (or drop a folder anywhere)', icon: '✓' },
  models: { name: 'Models', title: 'Local AI models: download, import, load', icon: '◈' },
};

export function App() {
  const client = useClient();
  const handle = useClientHandle();
  const [themeSetting, setThemeSetting] = useState<ThemeSetting>('system');
  const theme = useTheme(themeSetting);
  const { connections, statuses, error: connectionsError, refresh, connect } = useConnections();
  const [dialog, setDialog] = useState<{ kind: 'connection'; existing?: ConnectionInfo } | { kind: 'save' } | undefined>();
  const [sidePanel, setSidePanel] = useState<SidePanel>('schema');
  const [socketError, setSocketError] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [savedKey, setSavedKey] = useState(0);
  const [resultsHeight, setResultsHeight] = useState(() => Math.round(window.innerHeight * 0.42));
  const editorRef = useRef<SqlEditorHandle>(null);
  const [view, setView] = useState<View>('sql');
  const reviewerRef = useRef<ReviewScreenHandle>(null);
  const modelsRef = useRef<ModelsScreenHandle>(null);
  const copilotRef = useRef<CopilotPanelHandle>(null);
  const [copilotOpen, setCopilotOpen] = useState(false);
  // A folder or file dropped anywhere is reviewed, except on the Models screen, where a model file is imported.
  const dragging = useWindowDrop((picked) => {
    if (view === 'models') {
      void droppedModelPath(picked).then((path) => modelsRef.current?.importDropped(path, picked.name));
      return;
    }
    setView('reviewer');
    reviewerRef.current?.start(picked);
  });

  useEffect(() => handle.onConnectionState?.((s) => setSocketError(s.connected ? undefined : s.error)), [handle]);
  useEffect(() => {
    client.call('settings.getAll', {}).then(
      (all) => {
        const t = all['ui.theme'];
        if (t === 'light' || t === 'dark' || t === 'system') setThemeSetting(t);
      },
      () => {},
    );
  }, [client]);

  const makeFirst = useCallback(async (): Promise<Partial<EditorTab>> => {
    const list = await client.call('connections.list', {}).catch(() => [] as ConnectionInfo[]);
    const demo = list.find((c) => c.builtin) ?? list[0];
    return { title: 'Query 1', sql: starterQuery, ...(demo ? { connectionId: demo.id } : {}) };
  }, [client]);
  const tabs = useTabs(makeFirst);
  const { runs, run, cancel, confirm, confirmPending, cancelPending } = useQueryRuns();

  const activeTab = tabs.tabs?.find((t) => t.id === tabs.activeId);
  const fallbackConnection = connections?.find((c) => c.builtin) ?? connections?.[0];
  const connectionId = activeTab?.connectionId && connections?.some((c) => c.id === activeTab.connectionId) ? activeTab.connectionId : fallbackConnection?.id;
  const connection = connections?.find((c) => c.id === connectionId);
  const status = connectionId ? statuses[connectionId] : undefined;
  const schemaState = useSchema(connectionId);
  const activeRun = activeTab ? runs[activeTab.id] : undefined;
  const running = activeRun?.status === 'running' || activeRun?.status === 'checking';

  useEffect(() => {
    if (connectionId && !statuses[connectionId]) void connect(connectionId);
  }, [connectionId, statuses, connect]);

  const runningIds = useMemo(
    () => new Set(Object.entries(runs).filter(([, r]) => r.status === 'running' || r.status === 'checking').map(([id]) => id)),
    [runs],
  );
  const finishedCount = Object.values(runs).filter((r) => r.status !== 'running' && r.status !== 'checking').length;

  const runQuery = useCallback(
    (mode: RunMode) => {
      if (!activeTab) return;
      if (!connectionId) {
        setNotice('Pick a connection first: add one with + under Connections.');
        return;
      }
      const target = editorRef.current?.runTarget(mode);
      if (!target) {
        setNotice('Nothing to run: the editor is empty at the cursor.');
        return;
      }
      setNotice(undefined);
      void run({ tabId: activeTab.id, connectionId, sql: target.sql, baseOffset: target.baseOffset });
    },
    [activeTab, connectionId, run],
  );

  /** Runs SQL the copilot suggested: it goes into the editor first, so what runs is what the user sees. */
  const runSuggested = (sql: string) => {
    if (!activeTab || !connectionId) {
      setNotice('Pick a connection first: add one with + under Connections.');
      return;
    }
    const target = editorRef.current?.insert(sql);
    if (!target) return;
    setNotice(undefined);
    void run({ tabId: activeTab.id, connectionId, sql: target.sql, baseOffset: target.baseOffset });
  };

  const openCopilot = () => {
    setCopilotOpen(true);
    // The panel mounts on this render; focus its question once it has.
    requestAnimationFrame(() => copilotRef.current?.focusQuestion());
  };

  const explainStatement = () => {
    const target = editorRef.current?.runTarget('statement');
    if (!target) {
      setNotice('Nothing to explain: select a statement or put the cursor in one.');
      return;
    }
    setNotice(undefined);
    setCopilotOpen(true);
    requestAnimationFrame(() => copilotRef.current?.explain({ sql: target.sql, ...(connectionId ? { connectionId } : {}) }));
  };

  const explainError = () => {
    if (!activeRun?.error) return;
    const { sql, connectionId: runConnection, error } = activeRun;
    setCopilotOpen(true);
    requestAnimationFrame(() => copilotRef.current?.explain({ sql, connectionId: runConnection, error: error.message }));
  };

  const openInNewTab = (sql: string, init: Partial<EditorTab> = {}) => {
    tabs.add({ sql, ...(connectionId ? { connectionId } : {}), ...init });
  };

  const openRelation = (schemaName: string, name: string) => {
    const ident = (s: string) => (/^[a-z_][a-z0-9_]*$/.test(s) ? s : `"${s.replace(/"/g, '""')}"`);
    const isDefault = schemaName === 'public' || schemaName === 'main' || schemaName === schemaState.schema?.database;
    openInNewTab(`SELECT * FROM ${isDefault ? '' : `${ident(schemaName)}.`}${ident(name)} LIMIT 100;\n`, { title: name });
  };

  const selectConnection = (id: string) => {
    if (activeTab) tabs.update(activeTab.id, { connectionId: id });
    void connect(id);
  };

  const errorLine = activeRun?.errorOffset !== undefined && activeTab ? activeTab.sql.slice(0, activeRun.errorOffset).split('\n').length : undefined;
  const marker = activeRun?.errorOffset !== undefined && activeRun.error ? { offset: activeRun.errorOffset, message: activeRun.error.message } : undefined;

  const startResize = (e: React.PointerEvent<HTMLDivElement>) => {
    const startY = e.clientY;
    const start = resultsHeight;
    const target = e.currentTarget;
    target.setPointerCapture(e.pointerId);
    const move = (ev: PointerEvent) => setResultsHeight(Math.max(80, Math.min(window.innerHeight - 180, start - (ev.clientY - startY))));
    const up = () => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
  };

  const changeTheme = (t: ThemeSetting) => {
    setThemeSetting(t);
    client.call('settings.set', { key: 'ui.theme', value: t }).catch(() => {});
  };

  return (
    <div className={`app view-${view}`}>
      <nav className="activitybar" aria-label="Activity bar">
        <div role="tablist" aria-label="Views" aria-orientation="vertical">
          {(['sql', 'reviewer', 'models'] as const).map((v) => (
            <button
              key={v}
              type="button"
              role="tab"
              aria-selected={view === v}
              aria-label={viewLabels[v].name}
              title={viewLabels[v].title}
              className={view === v ? 'active' : undefined}
              onClick={() => setView(v)}
            >
              <span aria-hidden="true">{viewLabels[v].icon}</span>
            </button>
          ))}
        </div>
      </nav>
      <div className="reviewer-area" hidden={view !== 'reviewer'}>
        <ReviewScreen ref={reviewerRef} connections={connections ?? []} theme={theme === 'dark' ? 'quarry-dark' : 'quarry-light'} />
      </div>
      <div className="models-area" hidden={view !== 'models'}>
        <ModelsScreen ref={modelsRef} active={view === 'models'} />
      </div>
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          {view === 'models' ? 'Drop to import the model' : 'Drop to review'}
        </div>
      )}
      <aside className="sidebar" aria-label="Sidebar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">◆</span> Quarry
        </div>
        {connectionsError && <p className="sidebar-message error" role="alert">{connectionsError}</p>}
        <ConnectionList
          connections={connections ?? []}
          statuses={statuses}
          selectedId={connectionId}
          onSelect={selectConnection}
          onEdit={(c) => setDialog({ kind: 'connection', existing: c })}
          onAdd={() => setDialog({ kind: 'connection' })}
        />
        <div role="tablist" aria-label="Sidebar panels" className="side-tabs">
          {(['schema', 'history', 'saved'] as const).map((p) => (
            <button key={p} type="button" role="tab" aria-selected={sidePanel === p} className={sidePanel === p ? 'active' : undefined} onClick={() => setSidePanel(p)}>
              {p === 'schema' ? 'Schema' : p === 'history' ? 'History' : 'Saved'}
            </button>
          ))}
        </div>
        <div className="side-panel">
          {sidePanel === 'schema' && (
            <SchemaTree schema={schemaState.schema} loading={schemaState.loading} error={schemaState.error} onRefresh={schemaState.refresh} onOpenRelation={openRelation} />
          )}
          {sidePanel === 'history' && <HistoryPanel refreshKey={finishedCount} onOpen={(sql) => openInNewTab(sql)} />}
          {sidePanel === 'saved' && (
            <SavedQueriesPanel
              refreshKey={savedKey}
              onOpen={(q: SavedQuery) => {
                const open = tabs.tabs?.find((t) => t.savedQueryId === q.id);
                if (open) tabs.setActive(open.id);
                else openInNewTab(q.sql, { title: q.name, savedQueryId: q.id, ...(q.connectionId ? { connectionId: q.connectionId } : {}) });
              }}
            />
          )}
        </div>
      </aside>
      <main className="main">
        {tabs.tabs && (
          <TabBar
            tabs={tabs.tabs}
            activeId={tabs.activeId}
            runningIds={runningIds}
            onSelect={tabs.setActive}
            onAdd={() => openInNewTab('')}
            onClose={(id) => {
              const r = runs[id];
              if (r?.queryId && (r.status === 'running' || r.status === 'checking')) void cancel(id);
              tabs.close(id);
            }}
            onRename={(id, title) => tabs.update(id, { title })}
          />
        )}
        <div className="toolbar" role="toolbar" aria-label="Query">
          <button type="button" className="primary run" onClick={() => runQuery('statement')} disabled={!activeTab || running} title="Run statement at cursor or selection (Ctrl+Enter)">
            <span aria-hidden="true">▶ </span>Run
          </button>
          <button type="button" onClick={() => runQuery('all')} disabled={!activeTab || running} title="Run all statements (Shift+Ctrl+Enter)">
            Run all
          </button>
          {running && (
            <button type="button" className="danger" onClick={() => activeTab && cancel(activeTab.id)} disabled={activeRun?.cancelling || !activeRun?.queryId}>
              <span aria-hidden="true">■ </span>Cancel
            </button>
          )}
          <span className="toolbar-sep" />
          <button type="button" onClick={() => setDialog({ kind: 'save' })} disabled={!activeTab}>
            Save
          </button>
          <span className="toolbar-sep" />
          <button type="button" onClick={openCopilot} aria-pressed={copilotOpen} title="Ask in plain words; the answer is SQL you insert or run">
            Ask
          </button>
          <button type="button" onClick={explainStatement} disabled={!activeTab} title="Explain the selection or the statement at the cursor, and propose a fix">
            Explain
          </button>
          {notice && <span className="toolbar-notice" role="alert">{notice}</span>}
          <span className="spacer" />
          <label className="toolbar-field">
            <span>Theme</span>
            <select aria-label="Theme" value={themeSetting} onChange={(e) => changeTheme(e.target.value as ThemeSetting)}>
              <option value="system">System</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
          </label>
        </div>
        {copilotOpen && (
          <CopilotPanel
            ref={copilotRef}
            active={view === 'sql'}
            connectionId={connectionId}
            connectionName={connection?.config.name}
            onInsert={(sql) => editorRef.current?.insert(sql)}
            onRun={runSuggested}
            onOpenModels={() => setView('models')}
            onClose={() => setCopilotOpen(false)}
          />
        )}
        <div className="editor-area">
          {activeTab && (
            <SqlEditor
              ref={editorRef}
              tabId={activeTab.id}
              key="editor"
              initialValue={activeTab.sql}
              dialect={connection?.config.dialect}
              theme={theme === 'dark' ? 'quarry-dark' : 'quarry-light'}
              schema={schemaState.schema}
              marker={marker}
              onChange={(sql) => tabs.update(activeTab.id, { sql, dirty: true })}
              onRun={runQuery}
            />
          )}
          {!tabs.tabs && <p className="loading">Loading…</p>}
        </div>
        <div className="hsplit" role="separator" aria-orientation="horizontal" aria-label="Resize results" onPointerDown={startResize} />
        <section className="results-area" style={{ height: resultsHeight }} aria-label="Results panel">
          <ResultsPanel key={activeTab?.id} run={activeRun} errorLine={errorLine} onExplainError={explainError} />
        </section>
      </main>
      <StatusBar
        connection={connection}
        status={status}
        serverVersion={status?.serverVersion ?? schemaState.schema?.serverVersion}
        run={activeRun}
        socketError={socketError}
        tabsNote={tabs.saveError}
      />
      {dialog?.kind === 'connection' && (
        <ConnectionDialog
          existing={dialog.existing}
          onClose={() => setDialog(undefined)}
          onSaved={async (saved) => {
            setDialog(undefined);
            await refresh();
            selectConnection(saved.id);
          }}
          onDeleted={async () => {
            setDialog(undefined);
            await refresh();
          }}
        />
      )}
      {dialog?.kind === 'save' && activeTab && (
        <SaveQueryDialog
          tab={activeTab}
          onClose={() => setDialog(undefined)}
          onSave={async (name) => {
            const saved = await client.call('savedQueries.save', {
              ...(activeTab.savedQueryId ? { id: activeTab.savedQueryId } : {}),
              name,
              sql: activeTab.sql,
              ...(connectionId ? { connectionId } : {}),
            });
            tabs.update(activeTab.id, { savedQueryId: saved.id, title: saved.name, dirty: false });
            setSavedKey((k) => k + 1);
            setDialog(undefined);
          }}
        />
      )}
      {confirm && (
        <ConfirmDialog
          statements={confirm.statements}
          connectionName={connections?.find((c) => c.id === confirm.connectionId)?.config.name ?? 'this connection'}
          onConfirm={confirmPending}
          onCancel={cancelPending}
        />
      )}
    </div>
  );
}

function SaveQueryDialog({ tab, onClose, onSave }: { tab: EditorTab; onClose: () => void; onSave: (name: string) => Promise<void> }) {
  const [name, setName] = useState(tab.title);
  const [error, setError] = useState<string | undefined>();
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setError('Give the query a name.');
    try {
      await onSave(name.trim());
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <Dialog
      title="Save query"
      onClose={onClose}
      size="small"
      footer={
        <>
          <span className="spacer" />
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" form="save-query-form" className="primary">Save</button>
        </>
      }
    >
      <form id="save-query-form" onSubmit={submit} className="form-grid">
        <label className="span-2">
          <span>Name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
        </label>
        {error && <p className="span-2 form-message error" role="alert">{error}</p>}
      </form>
    </Dialog>
  );
}
