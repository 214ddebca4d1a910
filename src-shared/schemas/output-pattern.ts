// The rule for output name patterns ("denoised/{name}.{ext}"), shared by the settings, the denoise
// request and the renderer's forms so the user hears about a mistake when typing it, not when a
// batch writes "{nme}.jpg" for every photo or a folder above the photos.
import { z } from 'zod';
import { controlCharacterProblem } from './common.js';

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

/** The file extension each output format is written with (its keys are the output formats). */
export const OUTPUT_EXTENSION = { jpeg: 'jpg', png: 'png', tiff: 'tif', webp: 'webp', avif: 'avif' } as const;
type WrittenFormat = keyof typeof OUTPUT_EXTENSION;

/** The format a photo is written back as when the user asks for none ('same'): its own, where it can be written. */
export function outputFormatFor(format: string, compression?: string): WrittenFormat {
  if (format === 'heif' && compression === 'av1') return 'avif';
  if (Object.prototype.hasOwnProperty.call(OUTPUT_EXTENSION, format)) return format as WrittenFormat;
  return format === 'gif' ? 'png' : 'jpeg'; // HEIC cannot be written by sharp's prebuilt libvips
}

/**
 * The naming rule itself, pure string work so the engine (writing, skipping photos that already have a
 * copy, library badges) and the renderer (the path shown under the form) cannot disagree: `pattern`
 * with its placeholders filled, relative to the photo's folder; ".{ext}" is added when the filled
 * pattern's last part has no extension.
 */
export function fillOutputPattern(pattern: string, fields: { name: string; ext: string; model: string }): string {
  const filled = pattern.replaceAll('{name}', fields.name).replaceAll('{ext}', fields.ext).replaceAll('{model}', fields.model);
  const last = filled.split(/[\\/]/).pop() ?? '';
  return last.lastIndexOf('.') > 0 ? filled : `${filled}.${fields.ext}`;
}

/**
 * The first folder an output pattern writes into beside the photo ("denoised" for
 * "denoised/{name}.{ext}"), or undefined when outputs go beside the photo or the folder name has a
 * placeholder: a folder scan with subfolders leaves it out, so outputs are never listed as photos.
 */
export function outputFolderName(pattern: string): string | undefined {
  const parts = pattern.split(/[\\/]/).filter((part) => part !== '' && part !== '.');
  const first = parts.length > 1 ? parts[0] : undefined;
  return first === undefined || /[{}]/.test(first) ? undefined : first;
}

/**
 * Names of the subfolders that hold Clearframe's outputs for `pattern`: its folder and the default
 * "denoised" (copies written before the setting changed). Outputs carry no marker file of their own;
 * the name is how they are known, by the folder scan and the folder watch alike.
 */
export function outputFolderNames(pattern: string | undefined): ReadonlySet<string> {
  const fromPattern = pattern === undefined ? undefined : outputFolderName(pattern);
  return new Set([DEFAULT_OUTPUT_FOLDER, ...(fromPattern ? [fromPattern] : [])]);
}

/** Why `pattern` cannot be used, or undefined when it can. */
export function outputPatternProblem(pattern: string): string | undefined {
  const control = controlCharacterProblem(pattern);
  if (control) return control;
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
