import { z } from 'zod';

/** Longer patterns are not hand-written conventions; the cap keeps a stray value from costing time. */
const MAX_PATTERN_LENGTH = 300;

/**
 * A quantified group that itself holds a quantifier, e.g. (a+)+ or (\w*)*: the shape that makes a backtracking
 * regex engine take exponential time on a near-miss.
 */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*(?:[+*]|\{\d+,\d*\})(?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,\d*\})/;

/**
 * A regular expression written in `.quarry.yml` (JavaScript syntax), compiled once. An invalid pattern, or one
 * with nested quantifiers, is a validation issue (a config finding at its place), never a crash or a hang.
 */
export const patternOption = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_PATTERN_LENGTH, `must be at most ${MAX_PATTERN_LENGTH} characters`)
  .transform((source, ctx) => {
    if (NESTED_QUANTIFIER.test(source)) {
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(source)} nests quantifiers (like (a+)+), which can take exponential time; write it without the outer one` });
      return z.NEVER;
    }
    try {
      return new RegExp(source);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(source)} is not a valid regular expression: ${error instanceof Error ? error.message : String(error)}` });
      return z.NEVER;
    }
  });
