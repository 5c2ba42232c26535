import { useEffect, useRef } from 'react';
import type { Dialect } from '../../../../shared/domain/connection';
import type { Finding, RuleDoc, Severity } from '../../../../shared/domain/review';
import { defineThemes, languageFor, monaco } from '../editor/monacoSetup';

interface SourceViewProps {
  /** Which file `text` is; a new file or text gets a new model. */
  file: string;
  text: string;
  dialect: Dialect;
  /** The findings of this file that pass the severity filter. */
  findings: readonly Finding[];
  rules: ReadonlyMap<string, RuleDoc>;
  theme: 'quarry-light' | 'quarry-dark';
  /** Puts the cursor here and scrolls to it; `seq` repeats a jump to the same place. */
  reveal?: { file: string; line: number; column: number; seq: number };
}

const markerSeverity: Record<Severity, monaco.MarkerSeverity> = {
  error: monaco.MarkerSeverity.Error,
  warning: monaco.MarkerSeverity.Warning,
  info: monaco.MarkerSeverity.Info,
};

/** Changelogs and schemas are not SQL: each gets the grammar of what it is. */
function languageOf(file: string, dialect: Dialect): string {
  const ext = file.slice(file.lastIndexOf('.') + 1).toLowerCase();
  if (ext === 'xml') return 'xml';
  if (ext === 'yaml' || ext === 'yml') return 'yaml';
  if (ext === 'json') return 'json';
  if (ext === 'sql') return languageFor(dialect);
  return 'plaintext';
}

/** The marker's hover is where the rule's docs are read in the editor: problem, then the safe way. */
export function markerMessage(finding: Finding, doc: RuleDoc | undefined): string {
  const parts = [finding.message];
  if (doc) parts.push(`Problem: ${doc.docs.problem}`, `Safe alternative: ${doc.docs.solution}`);
  else if (finding.help) parts.push(`Safe alternative: ${finding.help}`);
  return parts.join('\n\n');
}

defineThemes();

/**
 * One migration file, read-only, with its findings as markers. The editor is Monaco itself rather than the React
 * wrapper because the markers must be set on the very model that was just created, not on one the wrapper may
 * still be about to replace.
 */
export function SourceView({ file, text, dialect, findings, rules, theme, reveal }: SourceViewProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);

  useEffect(() => {
    const editor = monaco.editor.create(hostRef.current!, {
      readOnly: true,
      domReadOnly: true,
      // Monaco hides squiggles in read-only editors by default; here they are the point.
      renderValidationDecorations: 'on',
      minimap: { enabled: false },
      fontSize: 13,
      fontFamily: 'ui-monospace, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace',
      scrollBeyondLastLine: false,
      automaticLayout: true,
      fixedOverflowWidgets: true,
      renderLineHighlight: 'line',
      glyphMargin: true,
      padding: { top: 8 },
      model: null,
    });
    editorRef.current = editor;
    return () => {
      const model = editor.getModel();
      editor.dispose();
      model?.dispose();
      editorRef.current = null;
    };
  }, []);

  useEffect(() => monaco.editor.setTheme(theme), [theme]);

  useEffect(() => {
    const editor = editorRef.current;
    if (!editor) return;
    const previous = editor.getModel();
    editor.setModel(monaco.editor.createModel(text, languageOf(file, dialect)));
    previous?.dispose();
  }, [file, text, dialect]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model) return;
    const lines = model.getLineCount();
    monaco.editor.setModelMarkers(
      model,
      'quarry-review',
      findings.map((f) => {
        const startLine = Math.min(Math.max(1, f.location.line), lines);
        const endLine = Math.min(Math.max(startLine, f.location.endLine ?? startLine), lines);
        const startColumn = Math.max(1, f.location.column);
        const endColumn = f.location.endColumn ?? model.getLineMaxColumn(endLine);
        return {
          severity: markerSeverity[f.severity],
          message: markerMessage(f, rules.get(f.ruleId)),
          code: f.ruleId,
          source: 'Quarry',
          startLineNumber: startLine,
          startColumn,
          endLineNumber: endLine,
          // A zero-width range draws no squiggle: give it one character at least.
          endColumn: endLine === startLine ? Math.max(endColumn, startColumn + 1) : endColumn,
        };
      }),
    );
  }, [findings, rules, file, text, dialect]);

  useEffect(() => {
    const editor = editorRef.current;
    if (!editor || !reveal || reveal.file !== file) return;
    const position = { lineNumber: reveal.line, column: Math.max(1, reveal.column) };
    editor.setPosition(position);
    editor.revealPositionInCenter(position);
  }, [reveal, file, text]);

  return <div ref={hostRef} className="review-source" role="region" aria-label="Migration source" data-file={file} />;
}
