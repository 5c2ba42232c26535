import * as monaco from 'monaco-editor';
import { loader } from '@monaco-editor/react';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import { dialectFacts } from '../../../../shared/dialect/dialectFacts';
import type { Dialect } from '../../../../shared/domain/connection';
import type { SchemaModel } from '../../../../shared/domain/SchemaModel';
import { completionsAt, type CompletionKind } from './completion';

// Monaco is bundled with the app, never fetched from a CDN, and only the plain editor worker is needed for SQL.
self.MonacoEnvironment = { getWorker: () => new EditorWorker() };
loader.config({ monaco });

export { monaco };

/** Monaco's own Monarch grammar for the dialect (the dialect facts name it); generic SQL without a connection. */
export function languageFor(dialect: Dialect | undefined): string {
  return dialect ? dialectFacts[dialect].monacoLanguage : 'sql';
}

const kindMap: Record<CompletionKind, monaco.languages.CompletionItemKind> = {
  keyword: monaco.languages.CompletionItemKind.Keyword,
  schema: monaco.languages.CompletionItemKind.Module,
  table: monaco.languages.CompletionItemKind.Struct,
  view: monaco.languages.CompletionItemKind.Interface,
  column: monaco.languages.CompletionItemKind.Field,
  function: monaco.languages.CompletionItemKind.Function,
};

/** The schema each editor model completes against, set by the editor when its connection's schema loads. */
const schemaByModel = new WeakMap<monaco.editor.ITextModel, SchemaModel>();

export function setModelSchema(model: monaco.editor.ITextModel, schema: SchemaModel | undefined): void {
  if (schema) schemaByModel.set(model, schema);
  else schemaByModel.delete(model);
}

let registered = false;

/** Registers one completion provider per SQL language; they read the schema of whichever model asks. */
export function registerSqlCompletion(): void {
  if (registered) return;
  registered = true;
  for (const language of ['sql', 'pgsql', 'mysql']) {
    monaco.languages.registerCompletionItemProvider(language, {
      triggerCharacters: ['.', ' '],
      provideCompletionItems(model, position) {
        const word = model.getWordUntilPosition(position);
        const range = new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn);
        const offset = model.getOffsetAt(position);
        const items = completionsAt(model.getValue(), offset, schemaByModel.get(model));
        return {
          suggestions: items.map((i) => ({
            label: { label: i.label, description: i.detail },
            kind: kindMap[i.kind],
            detail: i.detail,
            insertText: i.insertText,
            sortText: i.sortText,
            range,
          })),
        };
      },
    });
  }
}

export function defineThemes(): void {
  monaco.editor.defineTheme('quarry-light', {
    base: 'vs',
    inherit: true,
    rules: [],
    colors: { 'editor.background': '#ffffff', 'editorLineNumber.foreground': '#9aa1ab' },
  });
  monaco.editor.defineTheme('quarry-dark', {
    base: 'vs-dark',
    inherit: true,
    rules: [],
    colors: { 'editor.background': '#1b1e24', 'editorLineNumber.foreground': '#5c6370' },
  });
}
