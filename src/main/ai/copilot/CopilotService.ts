import { randomUUID } from 'node:crypto';
import { ApiError } from '../../../shared/api/errors';
import type { Dialect } from '../../../shared/domain/connection';
import type { AskSuggestion, ExplainResult, GenerationEvent } from '../../../shared/domain/models';
import type { SchemaModel } from '../../../shared/domain/SchemaModel';
import { StatementParser } from '../../review/parse/StatementParser';
import { classifyStatements } from '../../sql/classifyStatements';
import type { GenerateRequest, GenerateResult, TextGenerator } from '../runtime/TextGenerator';
import { askAnswerSchema, askSystemPreamble, buildAskSystemPrompt, buildAskUserPrompt, type AskRetry } from './buildAskPrompt';
import { buildExplainSystemPrompt, buildExplainUserPrompt, explainAnswerSchema, explainSystemPreamble } from './buildExplainPrompt';
import { selectSchema } from './selectSchema';
import { validateSql } from './validateSql';

export interface CopilotServiceDeps {
  /** The model: the local runtime or an OpenAI-compatible endpoint. */
  generator: TextGenerator;
  /** The connection's schema (ConnectionService caches it). */
  getSchema(connectionId: string): Promise<SchemaModel>;
  /** Publishes a 'generation' stream event under the generation's id. */
  emit(generationId: string, event: GenerationEvent): void;
  /** Tries per request: a failed try's problems go back to the model, up to this many in all. Defaults to 3. */
  maxAttempts?: number;
  /** Tokens an answer may take (the runtime caps it at half the context). Defaults to 512. */
  maxAnswerTokens?: number;
  /** Loads a dialect's parser for validation. Defaults to StatementParser.create([dialect]). */
  createParser?: (dialect: Dialect) => Promise<StatementParser>;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Tokens and failed attempts as they happen. */
  onEvent?: (event: GenerationEvent) => void;
}

/** What the chat template adds around the prompts; the runtime leaves the same room (its templateAllowance). */
const TEMPLATE_TOKENS = 64;

/** Said whenever a copilot feature is used with no model loaded, wherever it is used from. */
export const noModelMessage = 'No model is loaded: load one on the Models screen.';

/**
 * Ask (natural language to SQL) and Explain/fix. The model's answer is constrained to JSON, its SQL parsed for
 * the connection's dialect and checked against the schema, and a failed check goes back to the model with its
 * problems, a bounded number of times. Nothing it writes is ever run: the result is a suggestion.
 * ask/explain answer at once with an id and report on the 'generation' stream; suggest/explainSql run to the end
 * and return (the CLI and tests use them).
 */
export class CopilotService {
  readonly #deps: CopilotServiceDeps;
  readonly #running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  readonly #parsers = new Map<Dialect, Promise<StatementParser>>();
  #disposed = false;

  constructor(deps: CopilotServiceDeps) {
    this.#deps = deps;
  }

  get #maxAttempts(): number {
    return Math.max(1, Math.floor(this.#deps.maxAttempts ?? 3));
  }

  ask(connectionId: string, question: string): { generationId: string } {
    return this.#start(async (signal, emit) => {
      const model = await this.#deps.getSchema(connectionId);
      emit({ type: 'suggestion', suggestion: await this.suggest(model, question, { signal, onEvent: emit }) });
    });
  }

  explain(input: { connectionId?: string; sql: string; error?: string }): { generationId: string } {
    return this.#start(async (signal, emit) => {
      const model = input.connectionId === undefined ? undefined : await this.#deps.getSchema(input.connectionId);
      emit({ type: 'explanation', result: await this.explainSql({ model, sql: input.sql, error: input.error }, { signal, onEvent: emit }) });
    });
  }

  /** Stops a running generation; it ends with an error event, code CANCELLED. Nothing happens for one that has ended. */
  cancel(generationId: string): void {
    this.#running.get(generationId)?.abort.abort(new ApiError('CANCELLED', 'Cancelled.'));
  }

  /** Natural language to a checked SQL suggestion for `model`'s database. Rejects with NO_MODEL, CANCELLED or MODEL_ERROR. */
  async suggest(model: SchemaModel, question: string, options: RunOptions = {}): Promise<AskSuggestion> {
    const generator = this.#requireModel();
    const parser = await this.#parser(model.dialect);
    const count = (text: string): number => generator.countTokens(text);
    const budget = this.#budget(generator);
    const notes: string[] = [];

    const preambleTokens = count(askSystemPreamble(model));
    // The question keeps at most half of what the preamble leaves, so some schema always fits beside it.
    const fittedQuestion = fitText(question, Math.max(16, Math.floor((budget.prompt - preambleTokens) / 2)), count);
    if (fittedQuestion.cut) notes.push(`The question was cut to its first ${fittedQuestion.kept} of ${fittedQuestion.total} tokens to fit the model's context.`);
    // Room for a retry's feedback (the previous SQL and its problems), so the schema need not change between tries.
    const retryTokens = this.#maxAttempts > 1 ? Math.min(Math.floor(budget.prompt / 5), 200) : 0;
    const schemaBudget = budget.prompt - preambleTokens - count(buildAskUserPrompt(fittedQuestion.text)) - retryTokens;
    const selection = selectSchema(model, { question: fittedQuestion.text, budgetTokens: Math.max(0, schemaBudget), countTokens: count });
    if (selection.trimmed) notes.push(selection.trimmed);
    const system = buildAskSystemPrompt(model, selection);

    let retry: AskRetry | undefined;
    let last: { sql: string; explanation: string; tables: string[]; problems: string[] } = { sql: '', explanation: '', tables: [], problems: [] };
    for (let attempt = 1; attempt <= this.#maxAttempts; attempt++) {
      const outcome = await this.#generate(generator, {
        system,
        prompt: buildAskUserPrompt(fittedQuestion.text, retry && shortenRetry(retry)),
        jsonSchema: askAnswerSchema as unknown as Record<string, unknown>,
        maxTokens: budget.answer,
        purpose: 'ask',
        signal: options.signal,
        onToken: (text) => options.onEvent?.({ type: 'token', text }),
      });
      if (outcome.result?.trimmed) addNote(notes, `The prompt was cut to fit the model's context: ${outcome.result.trimmed}`);
      const answer = outcome.result ? readAnswer(outcome.result, ['sql', 'explanation']) : undefined;
      if (!answer) {
        last = { ...last, sql: '', problems: [outcome.problem ?? 'The answer was not the JSON asked for ({sql, explanation, tables}).'] };
      } else {
        const sql = String(answer.sql).trim();
        const checked = validateSql(sql, model, parser);
        const tables = checked.tables.length > 0 ? checked.tables : Array.isArray(answer.tables) ? answer.tables.map(String) : [];
        last = { sql, explanation: String(answer.explanation).trim(), tables, problems: checked.problems };
        if (checked.valid) return suggestion(last, attempt, true, notes);
      }
      options.onEvent?.({ type: 'attempt', attempt, problems: last.problems });
      retry = { sql: last.sql, problems: last.problems };
    }
    return suggestion(last, this.#maxAttempts, false, notes);
  }

  /**
   * Explains a query, or the error it gave, and proposes a fix, checked as Ask's SQL is (a fix of a read stays a
   * read). Without a schema the fix cannot be checked and is returned with valid false, saying so.
   */
  async explainSql(input: { model?: SchemaModel; sql: string; error?: string }, options: RunOptions = {}): Promise<ExplainResult> {
    const generator = this.#requireModel();
    const { model } = input;
    const parser = model ? await this.#parser(model.dialect) : undefined;
    const count = (text: string): number => generator.countTokens(text);
    const budget = this.#budget(generator);
    const notes: string[] = [];
    const preambleTokens = count(explainSystemPreamble(model));
    const fittedSql = fitText(input.sql, Math.max(16, Math.floor((budget.prompt - preambleTokens) / 2)), count);
    if (fittedSql.cut) notes.push(`Only the first ${fittedSql.kept} of ${fittedSql.total} tokens of the query fit the model's context; the explanation covers those.`);
    const error = input.error === undefined ? undefined : fitText(input.error, 200, count).text;
    const userTokens = count(buildExplainUserPrompt(fittedSql.text, error));
    const selection = model
      ? selectSchema(model, { question: `${fittedSql.text} ${error ?? ''}`, budgetTokens: Math.max(0, budget.prompt - preambleTokens - userTokens - Math.min(200, Math.floor(budget.prompt / 5))), countTokens: count })
      : undefined;
    if (selection?.trimmed) notes.push(selection.trimmed);
    const system = buildExplainSystemPrompt(model, selection?.ddl ?? '');
    // By tokens, not the parser: the query being explained may well not parse. Unknown statements count as writes.
    const originalReads = model ? classifyStatements(input.sql, model.dialect).every((c) => c.risk === 'safe') : false;

    let retry: { fixedSql: string; problems: string[] } | undefined;
    let last: ExplainResult = { explanation: '', valid: false, problems: [] };
    for (let attempt = 1; attempt <= this.#maxAttempts; attempt++) {
      const outcome = await this.#generate(generator, {
        system,
        prompt: buildExplainUserPrompt(fittedSql.text, error, retry && { fixedSql: retry.fixedSql.slice(0, 1000), problems: retry.problems.slice(0, 4) }),
        jsonSchema: explainAnswerSchema as unknown as Record<string, unknown>,
        maxTokens: budget.answer,
        purpose: 'explain',
        signal: options.signal,
        onToken: (text) => options.onEvent?.({ type: 'token', text }),
      });
      if (outcome.result?.trimmed) addNote(notes, `The prompt was cut to fit the model's context: ${outcome.result.trimmed}`);
      const answer = outcome.result ? readAnswer(outcome.result, ['explanation', 'fixedSql']) : undefined;
      if (!answer) {
        last = { explanation: '', valid: false, problems: [outcome.problem ?? 'The answer was not the JSON asked for ({explanation, fixedSql}).'] };
        retry = { fixedSql: '', problems: last.problems };
      } else {
        const explanation = String(answer.explanation).trim();
        const trimmed = notes.length > 0 ? { trimmed: notes.join(' ') } : {};
        const fixedSql = String(answer.fixedSql).trim();
        if (!fixedSql) return { explanation, valid: true, problems: [], ...trimmed };
        if (!model || !parser) return { explanation, fixedSql, valid: false, problems: ['The fix was not checked: no connection was given to check it against.'], ...trimmed };
        const checked = validateSql(fixedSql, model, parser, { readOnly: originalReads, requireLimit: false });
        if (checked.valid) return { explanation, fixedSql, valid: true, problems: [], ...trimmed };
        last = { explanation, valid: false, problems: checked.problems, ...trimmed };
        retry = { fixedSql, problems: checked.problems };
      }
      options.onEvent?.({ type: 'attempt', attempt, problems: last.problems });
    }
    return last;
  }

  /** Cancels running generations and waits for them; frees the parsers. Idempotent. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const running = [...this.#running.values()];
    for (const r of running) r.abort.abort(new ApiError('CANCELLED', 'Quarry is shutting down.'));
    await Promise.allSettled(running.map((r) => r.done));
    const parsers = [...this.#parsers.values()];
    this.#parsers.clear();
    for (const p of await Promise.allSettled(parsers)) if (p.status === 'fulfilled') p.value.dispose();
  }

  #start(work: (signal: AbortSignal, emit: (event: GenerationEvent) => void) => Promise<void>): { generationId: string } {
    if (this.#disposed) throw new ApiError('INTERNAL', 'Quarry is shutting down.');
    const generationId = randomUUID();
    const abort = new AbortController();
    const emit = (event: GenerationEvent): void => this.#deps.emit(generationId, event);
    const done = (async () => {
      // Let ask/explain's answer (the id) reach the caller before the first event does.
      await new Promise((resolve) => setImmediate(resolve));
      try {
        this.#requireModel();
        await work(abort.signal, emit);
      } catch (error) {
        const e = abort.signal.aborted ? cancelled(abort.signal) : toApiError(error);
        emit({ type: 'error', code: e.code, message: e.message });
      } finally {
        this.#running.delete(generationId);
      }
    })();
    this.#running.set(generationId, { abort, done });
    return { generationId };
  }

  #requireModel(): TextGenerator {
    if (!this.#deps.generator.loaded()) throw new ApiError('NO_MODEL', noModelMessage);
    return this.#deps.generator;
  }

  /** Tokens for the answer, and for the system prompt and the user's prompt together. */
  #budget(generator: TextGenerator): { answer: number; prompt: number } {
    const context = generator.contextSize();
    const answer = Math.max(1, Math.min(Math.floor(this.#deps.maxAnswerTokens ?? 512), Math.floor(context / 2)));
    return { answer, prompt: Math.max(0, context - answer - TEMPLATE_TOKENS) };
  }

  #parser(dialect: Dialect): Promise<StatementParser> {
    let parser = this.#parsers.get(dialect);
    if (!parser) {
      parser = (this.#deps.createParser ?? ((d) => StatementParser.create([d])))(dialect);
      parser.catch(() => this.#parsers.delete(dialect));
      this.#parsers.set(dialect, parser);
    }
    return parser;
  }

  /**
   * One try. An answer the model could not finish as the JSON asked for (it ran out of tokens, or broke the
   * grammar) is a failed try with a problem, retried like invalid SQL; anything else (no model, cancelled) ends the run.
   */
  async #generate(generator: TextGenerator, request: GenerateRequest): Promise<{ result?: GenerateResult; problem?: string }> {
    try {
      if (request.signal?.aborted) throw cancelled(request.signal);
      return { result: await generator.generate(request) };
    } catch (error) {
      if (request.signal?.aborted) throw cancelled(request.signal);
      if (error instanceof ApiError && error.code === 'MODEL_ERROR' && typeof (error.detail as { text?: unknown } | undefined)?.text === 'string') {
        return { problem: `The answer was not the JSON asked for: ${error.message}` };
      }
      throw error;
    }
  }
}

/** The abort's own ApiError (a shutdown, an unload) or CANCELLED: never the DOMException an abort throws. */
function cancelled(signal: AbortSignal): ApiError {
  return signal.reason instanceof ApiError ? signal.reason : new ApiError('CANCELLED', 'Cancelled.');
}

function toApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError('INTERNAL', `The copilot failed: ${error instanceof Error ? error.message : String(error)}`);
}

function addNote(notes: string[], note: string): void {
  if (!notes.includes(note)) notes.push(note);
}

function suggestion(last: { sql: string; explanation: string; tables: string[]; problems: string[] }, attempts: number, valid: boolean, notes: string[]): AskSuggestion {
  return { sql: last.sql, explanation: last.explanation, tables: last.tables, attempts, valid, problems: valid ? [] : last.problems, ...(notes.length > 0 && { trimmed: notes.join(' ') }) };
}

/** The answer object when it has the string fields asked for; the grammar should ensure it, the check makes sure. */
function readAnswer(result: GenerateResult, fields: string[]): Record<string, unknown> | undefined {
  let json = result.json;
  if (json === undefined) {
    try {
      json = JSON.parse(result.text);
    } catch {
      return undefined;
    }
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const record = json as Record<string, unknown>;
  return fields.every((f) => typeof record[f] === 'string') ? record : undefined;
}

/** A retry's feedback kept short: it must fit the room reserved for it beside an unchanged system prompt. */
function shortenRetry(retry: AskRetry): AskRetry {
  return { sql: retry.sql.length > 600 ? `${retry.sql.slice(0, 600)} …` : retry.sql, problems: retry.problems.slice(0, 3).map((p) => (p.length > 300 ? `${p.slice(0, 300)} …` : p)) };
}

/** `text` cut to at most `limit` tokens (its start kept), by halving characters until it fits. */
function fitText(text: string, limit: number, count: (t: string) => number): { text: string; cut: boolean; kept: number; total: number } {
  const total = count(text);
  if (total <= limit) return { text, cut: false, kept: total, total };
  let chars = Math.floor((text.length * limit) / total);
  let cut = text.slice(0, chars);
  while (chars > 0 && count(cut) > limit) {
    chars = Math.floor(chars * 0.9);
    cut = text.slice(0, chars);
  }
  return { text: cut, cut: true, kept: count(cut), total };
}
