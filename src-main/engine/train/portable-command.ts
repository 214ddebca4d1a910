// The command a model card records, without the training machine's absolute paths: a card is a file
// a user shares, and its command held the data folder and the home folder ("/home/ana/Photos/...").
// The run's own folders become placeholders (<data>, <val>, <run>), a starting model keeps only its
// folder name, and anything else under the home folder is written from "~".
import os from 'node:os';
import path from 'node:path';
import type { TrainConfig } from '../../../src-shared/schemas/train.js';

/** The folders a recorded command names, as the run's config holds them (absolute). */
export type CommandPlaces = Pick<TrainConfig, 'data' | 'val' | 'init' | 'out'>;

/** A path as it can appear in the command: as typed, and escaped inside train:start's JSON. */
function spellings(folder: string): string[] {
  const bare = folder.length > 1 ? folder.replace(/[\\/]+$/, '') : folder;
  return [...new Set([bare, JSON.stringify(bare).slice(1, -1)])];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `command` with each of the run's folders replaced by its placeholder (a path inside one keeps its
 * rest: `<data>/birds`) and the home folder by `~`. Longer folders are matched first, and only whole
 * path segments are replaced (`/data/train` leaves `/data/train400` alone).
 */
export function portableCommand(command: string, places: CommandPlaces, home: string = os.homedir()): string {
  const named: [string | undefined, string][] = [
    [places.data, '<data>'],
    [places.val, '<val>'],
    [places.out, '<run>'],
    [places.init, places.init === undefined ? '' : `…/${path.basename(places.init)}`],
    [home, '~'],
  ];
  const replacements = new Map<string, string>();
  for (const [folder, placeholder] of named) {
    if (!folder || folder === path.parse(folder).root) continue;
    for (const spelling of spellings(folder)) if (!replacements.has(spelling)) replacements.set(spelling, placeholder);
  }
  if (replacements.size === 0) return command;
  const keys = [...replacements.keys()].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(`(${keys.map(escapeRegExp).join('|')})(?=$|[\\\\/\\s;,"'])`, 'g');
  return command.replace(pattern, (match) => replacements.get(match) ?? match);
}
