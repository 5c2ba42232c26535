import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ApiError } from '../../../shared/api/errors';
import type { RecommendedModel } from '../../../shared/domain/models';

/** The file in resources/ that lists the models Quarry suggests. */
export const recommendedModelsFile = 'recommended-models.json';

const fileSchema = z.object({
  url: z.url({ protocol: /^https$/ }),
  /** 0 when the size was not pinned; the downloader then takes the server's. */
  sizeBytes: z.number().int().min(0),
  /** '' when the hash was not pinned; see the entry's description. */
  sha256: z.union([z.literal(''), z.string().regex(/^[0-9a-f]{64}$/)]),
  path: z
    .string()
    .min(1)
    .max(255)
    .refine((p) => !p.startsWith('/') && !p.split('/').includes('..') && !p.includes('\\'), 'must be a relative path inside the models folder'),
});

const entrySchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
  name: z.string().min(1),
  kind: z.enum(['llm', 'embedding']),
  files: z.array(fileSchema).min(1),
  license: z.string().min(1),
  ramBytes: z.number().int().min(0),
  description: z.string().min(1),
}) satisfies z.ZodType<RecommendedModel>;

const listSchema = z.object({ models: z.array(entrySchema) }).refine((list) => new Set(list.models.map((m) => m.id)).size === list.models.length, 'ids must be unique');

/** The recommended models shipped in `<resourcesDir>/recommended-models.json`, checked against their schema. */
export function loadRecommendedModels(resourcesDir: string): RecommendedModel[] {
  const path = join(resourcesDir, recommendedModelsFile);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ApiError('IO_ERROR', `The recommended model list ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  return parseRecommendedModels(text, path);
}

/** Parses the list's JSON; `where` names it in errors. */
export function parseRecommendedModels(text: string, where: string): RecommendedModel[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ApiError('INTERNAL', `${where} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = listSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ApiError('INTERNAL', `${where}: ${issue.path.join('.') || 'the list'} ${issue.message}`);
  }
  return parsed.data.models;
}
