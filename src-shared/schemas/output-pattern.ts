// The rule for output name patterns ("denoised/{name}.{ext}"), shared by the settings, the denoise
// request and the renderer's forms so the user hears about a mistake when typing it, not when a
// batch writes "{nme}.jpg" for every photo or a folder above the photos.
import { z } from 'zod';

/** Where denoised copies go unless the user says otherwise: a folder beside each original. */
export const DEFAULT_OUTPUT_FOLDER = 'denoised';

/**
 * The file pattern for an output *folder* as the settings and the batch form name it: "denoised" →
 * "denoised/{name}.{ext}"; a folder pattern that already names the file ({name}) is kept as it is.
 */
export function outputPatternForFolder(folderPattern: string): string {
  const trimmed = folderPattern.trim().replace(/[\\/]+$/, '');
  return /\{name\}/.test(trimmed) ? trimmed : `${trimmed || DEFAULT_OUTPUT_FOLDER}/{name}.{ext}`;
}

/** The default output file pattern: "denoised/{name}.{ext}". */
export const DEFAULT_OUTPUT_PATTERN = outputPatternForFolder(DEFAULT_OUTPUT_FOLDER);

/** The placeholders output-naming fills in. */
export const OUTPUT_PATTERN_TOKENS = ['name', 'ext', 'model'] as const;

/** Why `pattern` cannot be used, or undefined when it can. */
export function outputPatternProblem(pattern: string): string | undefined {
  if (pattern.split(/[\\/]/).includes('..')) return 'may not leave the photo’s folder (“..”)';
  if (/^([\\/]|[a-zA-Z]:)/.test(pattern)) return 'must be relative to the photo’s folder, not an absolute path';
  for (const [, token] of pattern.matchAll(/\{([^{}]*)\}/g)) {
    if (!(OUTPUT_PATTERN_TOKENS as readonly string[]).includes(token!)) {
      return `has an unknown placeholder {${token}}; use ${OUTPUT_PATTERN_TOKENS.map((t) => `{${t}}`).join(', ')}`;
    }
  }
  if (/[{}]/.test(pattern.replace(/\{[^{}]*\}/g, ''))) return 'has an unmatched “{” or “}”';
  return undefined;
}

/** A pattern string checked by outputPatternProblem (the message names the mistake). */
export const OutputPattern = z
  .string()
  .min(1)
  .max(256)
  .superRefine((pattern, context) => {
    const problem = outputPatternProblem(pattern);
    if (problem) context.addIssue({ code: 'custom', message: `The output pattern ${problem}.` });
  });
