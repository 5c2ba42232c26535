import Editor, { type OnMount } from '@monaco-editor/react';
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import type { Dialect } from '../../../../shared/domain/connection';
import type { SchemaModel } from '../../../../shared/domain/SchemaModel';
import { defineThemes, languageFor, monaco, registerSqlCompletion, setModelSchema } from './monacoSetup';
import { statementAtCursor } from './statementAtCursor';

export type RunMode = 'statement' | 'all';

export interface RunTarget {
  sql: string;
  /** Offset of `sql` in the editor text. */
  baseOffset: number;
}

export interface EditorMarker {
  /** 0-based offset into the editor text. */
  offset: number;
  message: string;
}

export interface SqlEditorHandle {
  /** The selection if any, else the statement at the cursor, or everything for 'all'. */
  runTarget(mode: RunMode): RunTarget | undefined;
  /**
   * Puts text in place of the selection, or on lines of its own at the cursor, as one undoable edit; returns
   * where it landed, so it can be run as it stands in the editor.
   */
  insert(text: string): RunTarget | undefined;
  focus(): void;
}

interface SqlEditorProps {
  tabId: string;
  initialValue: string;
  /** Defaults to PostgreSQL's lexical rules when no connection is selected. */
  dialect: Dialect | undefined;
  theme: 'quarry-light' | 'quarry-dark';
  schema: SchemaModel | undefined;
  marker: EditorMarker | undefined;
  onChange: (value: string) => void;
  onRun: (mode: RunMode) => void;
}

/** `sql` without surrounding whitespace, and where it starts in the editor text; undefined when blank. */
function trimmedTarget(sql: string, start: number): RunTarget | undefined {
  const lead = sql.length - sql.trimStart().length;
  return sql.trim() ? { sql: sql.trim(), baseOffset: start + lead } : undefined;
}

defineThemes();
registerSqlCompletion();

/** Monaco with one model per tab (so undo history and cursor survive tab switches), SQL completion and run keys. */
export const SqlEditor = forwardRef<SqlEditorHandle, SqlEditorProps>(function SqlEditor(
  { tabId, initialValue, dialect: selectedDialect, theme, schema, marker, onChange, onRun },
  ref,
) {
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const onRunRef = useRef(onRun);
  useEffect(() => {
    onRunRef.current = onRun;
  }, [onRun]);

  useImperativeHandle(ref, () => ({
    runTarget(mode) {
      const editor = editorRef.current;
      const model = editor?.getModel();
      if (!editor || !model) return undefined;
      const text = model.getValue();
      if (mode === 'all') return trimmedTarget(text, 0);
      const selection = editor.getSelection();
      if (selection && !selection.isEmpty()) return trimmedTarget(model.getValueInRange(selection), model.getOffsetAt(selection.getStartPosition()));
      const position = editor.getPosition();
      const statement = statementAtCursor(text, position ? model.getOffsetAt(position) : 0, selectedDialect ?? 'postgres');
      return statement ? { sql: statement.text, baseOffset: statement.start } : trimmedTarget(text, 0);
    },
    insert(text) {
      const editor = editorRef.current;
      const model = editor?.getModel();
      if (!editor || !model) return undefined;
      const selection = editor.getSelection() ?? new monaco.Selection(1, 1, 1, 1);
      let inserted = text.trim();
      let range: monaco.IRange = selection;
      if (selection.isEmpty()) {
        // At a cursor inside a line, the text goes on a line of its own below it, ending as a statement.
        const line = model.getLineContent(selection.positionLineNumber);
        const column = line.trim() ? line.length + 1 : 1;
        range = new monaco.Range(selection.positionLineNumber, column, selection.positionLineNumber, line.trim() ? column : line.length + 1);
        if (!/;\s*$/.test(inserted)) inserted += ';';
        if (line.trim()) inserted = `\n${inserted}`;
      }
      const startOffset = model.getOffsetAt({ lineNumber: range.startLineNumber, column: range.startColumn });
      editor.pushUndoStop();
      editor.executeEdits('quarry.insert', [{ range, text: inserted, forceMoveMarkers: true }]);
      editor.pushUndoStop();
      const lead = inserted.length - inserted.trimStart().length;
      const end = model.getPositionAt(startOffset + inserted.length);
      editor.setSelection(new monaco.Selection(end.lineNumber, end.column, end.lineNumber, end.column));
      editor.revealPositionInCenterIfOutsideViewport(end);
      editor.focus();
      return { sql: inserted.trim(), baseOffset: startOffset + lead };
    },
    focus() {
      editorRef.current?.focus();
    },
  }));

  const onMount: OnMount = (editor) => {
    editorRef.current = editor;
    editor.addAction({
      id: 'quarry.runStatement',
      label: 'Run statement at cursor (or selection)',
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
      run: () => onRunRef.current('statement'),
    });
    editor.addAction({
      id: 'quarry.runAll',
      label: 'Run all statements',
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyMod.Shift | monaco.KeyCode.Enter],
      run: () => onRunRef.current('all'),
    });
    editor.focus();
  };

  // Model per tab: @monaco-editor/react switches models by path; the schema and markers follow the model.
  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (model) setModelSchema(model, schema);
  });

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model) return;
    if (!marker) {
      monaco.editor.setModelMarkers(model, 'quarry', []);
      return;
    }
    const offset = Math.min(marker.offset, model.getValueLength());
    const start = model.getPositionAt(offset);
    const word = model.getWordAtPosition(start);
    const endColumn = word && word.startColumn <= start.column ? word.endColumn : start.column + 1;
    monaco.editor.setModelMarkers(model, 'quarry', [
      {
        severity: monaco.MarkerSeverity.Error,
        message: marker.message,
        startLineNumber: start.lineNumber,
        startColumn: start.column,
        endLineNumber: start.lineNumber,
        endColumn: Math.max(endColumn, start.column + 1),
      },
    ]);
    editorRef.current?.revealPositionInCenterIfOutsideViewport(start);
  }, [marker, tabId]);

  return (
    <div className="editor-host" aria-label="SQL editor" role="region">
      <Editor
        path={`quarry-tab-${tabId}.sql`}
        defaultValue={initialValue}
        language={languageFor(selectedDialect)}
        theme={theme}
        onMount={onMount}
        onChange={(v) => onChange(v ?? '')}
        options={{
          minimap: { enabled: false },
          fontSize: 13,
          fontFamily: 'ui-monospace, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace',
          scrollBeyondLastLine: false,
          automaticLayout: true,
          renderLineHighlight: 'line',
          tabSize: 2,
          wordWrap: 'off',
          fixedOverflowWidgets: true,
          quickSuggestions: { other: true, comments: false, strings: false },
          padding: { top: 8 },
        }}
      />
    </div>
  );
});
