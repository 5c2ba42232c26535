import { useState } from 'react';
import type { EditorTab } from '../../../../shared/domain/query';

interface TabBarProps {
  tabs: EditorTab[];
  activeId: string | undefined;
  runningIds: Set<string>;
  onSelect: (id: string) => void;
  onAdd: () => void;
  onClose: (id: string) => void;
  onRename: (id: string, title: string) => void;
}

/** Editor tabs: + adds, × closes, double click renames; arrow keys move between tabs. */
export function TabBar({ tabs, activeId, runningIds, onSelect, onAdd, onClose, onRename }: TabBarProps) {
  const [renaming, setRenaming] = useState<string | undefined>();
  const [draft, setDraft] = useState('');
  const finish = (commit: boolean) => {
    if (renaming && commit && draft.trim()) onRename(renaming, draft.trim().slice(0, 200));
    setRenaming(undefined);
  };
  return (
    <div className="tabbar">
      <div
        role="tablist"
        aria-label="Editor tabs"
        className="tabs"
        onKeyDown={(e) => {
          if (renaming) return;
          const index = tabs.findIndex((t) => t.id === activeId);
          const delta = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
          if (!delta) return;
          const next = tabs[(index + delta + tabs.length) % tabs.length];
          if (next) {
            onSelect(next.id);
            (e.currentTarget.querySelector(`[data-tab-id="${CSS.escape(next.id)}"]`) as HTMLElement | null)?.focus();
          }
        }}
      >
        {tabs.map((t) => {
          const active = t.id === activeId;
          return (
            <div key={t.id} className={`tab${active ? ' active' : ''}`}>
              {renaming === t.id ? (
                <input
                  className="tab-rename"
                  aria-label="Tab name"
                  value={draft}
                  autoFocus
                  onChange={(e) => setDraft(e.target.value)}
                  onBlur={() => finish(true)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') finish(true);
                    else if (e.key === 'Escape') finish(false);
                  }}
                />
              ) : (
                <button
                  type="button"
                  role="tab"
                  data-tab-id={t.id}
                  aria-selected={active}
                  tabIndex={active ? 0 : -1}
                  className="tab-button"
                  onClick={() => onSelect(t.id)}
                  onDoubleClick={() => {
                    setDraft(t.title);
                    setRenaming(t.id);
                  }}
                  onAuxClick={(e) => e.button === 1 && onClose(t.id)}
                  title={`${t.title} — double-click to rename`}
                >
                  {runningIds.has(t.id) && <span className="tab-running" aria-label="running" role="img" />}
                  <span className="tab-title">{t.title}</span>
                  {t.dirty && <span className="tab-dirty" aria-label="unsaved changes" role="img">●</span>}
                </button>
              )}
              <button type="button" className="tab-close" aria-label={`Close ${t.title}`} title="Close tab" onClick={() => onClose(t.id)}>
                ×
              </button>
            </div>
          );
        })}
      </div>
      <button type="button" className="icon-button tab-add" aria-label="New tab" title="New tab" onClick={onAdd}>
        +
      </button>
    </div>
  );
}
