// The engine without a UI: `clearframe <command> …`. A thin table of subcommands; each module
// parses its own flags and returns an exit code (0 ok, 1 some work failed, 2 bad usage). Having no
// window to keep alive, commands may do heavy work (training, evaluation, scans) in this process;
// `denoise` still uses an engine process, for its crash recovery per file.
import { pathToFileURL } from 'node:url';
import { ClearframeError } from '../src-shared/contract-core.js';
import { EngineError } from './engine/contract/engine-error.js';
import { UsageError } from './cli/command.js';
import { DENOISE_USAGE, denoiseCommand } from './cli/denoise.js';
import { EVAL_USAGE, evalCommand } from './cli/eval.js';
import { MODELS_USAGE, modelsCommand } from './cli/models.js';
import { PROFILE_USAGE, profileCommand } from './cli/profile.js';
import { QUANTIZE_USAGE, quantizeCommand } from './cli/quantize.js';
import { TRAIN_USAGE, trainCommand } from './cli/train.js';

interface Subcommand {
  run(argv: string[]): Promise<number>;
  usage: string;
}

export const subcommands: Record<string, Subcommand> = {
  denoise: { run: denoiseCommand, usage: DENOISE_USAGE },
  eval: { run: evalCommand, usage: EVAL_USAGE },
  models: { run: modelsCommand, usage: MODELS_USAGE },
  profile: { run: profileCommand, usage: PROFILE_USAGE },
  quantize: { run: quantizeCommand, usage: QUANTIZE_USAGE },
  train: { run: trainCommand, usage: TRAIN_USAGE },
};

function usage(): string {
  return `Usage:\n${Object.values(subcommands)
    .map((s) => `  ${s.usage.split('\n').join('\n  ')}`)
    .join('\n')}`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = subcommands[name];
  if (!command) {
    console.error(`Unknown command "${name}".\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (
      error instanceof UsageError ||
      ((error instanceof ClearframeError || error instanceof EngineError) && error.code === 'invalid-request')
    ) {
      console.error(`clearframe ${name}: ${error.message}\n${command.usage}`);
      return 2;
    }
    console.error(`clearframe ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
