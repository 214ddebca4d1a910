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
  const filled = pattern
    .replaceAll('{name}', fields.name)
    .replaceAll('{ext}', fields.ext)
    .replaceAll('{model}', fields.model);
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

/** Names Windows reserves for devices, with or without an extension ("NUL.jpg" is the device too). */
const RESERVED_NAME = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
/** Characters Windows and FAT/exFAT cannot hold in a name. */
const UNPORTABLE_CHARACTER = /[<>:"|?*]/;
/** Direction controls: a right-to-left override makes "photo\u202Egpj.exe" read as "photoexe.jpg". */
const DIRECTION_CONTROL = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/**
 * Why a part of a pattern cannot be a file or folder name on every disk a folder of photos may move
 * to (Windows, FAT32 and exFAT cards), or undefined when it can. Refused on every platform: a name
 * Linux accepts would make the folder uncopyable there.
 */
function unportableNameProblem(part: string): string | undefined {
  const literal = part.replace(/\{(name|ext|model)\}/g, 'x');
  const character = UNPORTABLE_CHARACTER.exec(literal)?.[0];
  if (character !== undefined) return `has “${character}”, which Windows and memory cards cannot hold in a name`;
  const direction = DIRECTION_CONTROL.exec(literal)?.[0];
  if (direction !== undefined)
    return `has a text-direction control (U+${direction.charCodeAt(0).toString(16).toUpperCase()}), which disguises a name`;
  if (RESERVED_NAME.test(part)) return `names “${part}”, a device name on Windows`;
  if (/[. ]$/.test(part)) return `has a name ending in a dot or a space (“${part}”), which Windows drops`;
  return undefined;
}

/**
 * Why a file pattern would not give each photo an output of its own, or undefined when it does:
 * without {name} in the file name every photo after the first would be saved as a copy of one name;
 * with nothing but {name} and {ext} beside the photo the output would be the photo itself.
 */
function namingProblem(filePattern: string): string | undefined {
  const parts = filePattern.split(/[\\/]/).filter((part) => part !== '' && part !== '.');
  const file = parts.at(-1) ?? '';
  if (!file.includes('{name}'))
    return 'must contain {name} in the file name, so that each photo gets an output of its own';
  if (parts.length === 1 && file.replace(/\{(name|ext)\}/g, '').replace(/\./g, '') === '') {
    return 'would name each output like its photo, in the photo’s own folder; add a folder (“denoised/{name}.{ext}”) or a suffix (“{name}-clean”)';
  }
  return undefined;
}

/** Why `pattern` (a file pattern, or with `folderForm` the settings' output folder) cannot be used, or undefined when it can. */
export function outputPatternProblem(pattern: string, folderForm = false): string | undefined {
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
  for (const part of pattern.split(/[\\/]/).filter((p) => p !== '' && p !== '.')) {
    const problem = unportableNameProblem(part);
    if (problem) return problem;
  }
  return namingProblem(folderForm ? outputPatternForFolder(pattern) : pattern);
}

function patternSchema(folderForm: boolean) {
  return z
    .string()
    .min(1)
    .max(256)
    .superRefine((pattern, context) => {
      const problem = outputPatternProblem(pattern, folderForm);
      if (problem) context.addIssue({ code: 'custom', message: `The output pattern ${problem}.` });
    });
}

/** A file pattern ("denoised/{name}.{ext}") checked by outputPatternProblem (the message names the mistake). */
export const OutputPattern = patternSchema(false);
/** The settings' output folder ("denoised", or a pattern with {name}), checked as the file pattern it gives. */
export const OutputFolderPattern = patternSchema(true);
