// What every `clearframe` subcommand does with its arguments before its own work: parse them
// against its options, print its usage for --help, and turn a flag it does not know (or a missing
// value) into a usage error, which the CLI answers with the usage and exit code 2 (cli.ts).
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Bad usage: cli.ts prints the message and the command's usage, and exits with 2. */
export class UsageError extends Error {}

type CommandConfig = Omit<ParseArgsConfig, 'args' | 'strict'> & { options: { help: { type: 'boolean' } } };
type Parsed<T extends CommandConfig> = ReturnType<typeof parseArgs<T & { args: string[]; strict: true }>>;

/** `argv` parsed strictly against `config`; undefined when --help asked for `usage` (printed here). */
export function parseCommand<T extends CommandConfig>(argv: string[], usage: string, config: T): Parsed<T> | undefined {
  let parsed;
  try {
    parsed = parseArgs({ ...config, args: argv, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(usage);
    return undefined;
  }
  return parsed as Parsed<T>;
}
