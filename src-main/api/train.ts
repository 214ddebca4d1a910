// train:start, train:stop, train:status, train:current, train:estimate. Training runs in this
// (engine) process: its thread only draws patches and averages gradients while worker threads
// compute them, so requests and the UI stay responsive. The dataset and output folders must be folders the user opened.
import { ClearframeError } from '../../src-shared/contract-core.js';
import { TrainConfig } from '../../src-shared/schemas/train.js';
import { estimateTraining } from '../engine/train/estimate.js';
import { assertTrainOutFolder } from '../engine/train/out-folder.js';
import { TrainRuns } from '../engine/train/train-runs.js';
import type { Handlers } from './dispatch.js';
import type { ApiServices } from './services.js';

export function trainHandlers(services: ApiServices, runs = new TrainRuns()): Pick<Handlers, 'train:start' | 'train:stop' | 'train:status' | 'train:current' | 'train:estimate'> {
  return {
    'train:start': async (request, context) => {
      const data = await services.access.check(request.data);
      const val = request.val === undefined ? undefined : await services.access.check(request.val);
      const out = await services.access.checkNew(request.out).catch((error: unknown) => {
        throw error instanceof ClearframeError ? new ClearframeError('forbidden', `The output folder must be inside a folder you opened: ${request.out}`, request.out) : error;
      });
      // Checked here as well as in the trainer so that the answer to train:start carries the refusal
      // (and the fresh folder it proposes) instead of a run that fails a moment later.
      await assertTrainOutFolder(out);
      const config = TrainConfig.parse({ ...request, data, ...(val ? { val } : {}), out, command: `train:start ${JSON.stringify({ ...request, data, out })}` });
      const runId = runs.start(config, (p) => context.emit('train:progress', p));
      return { runId };
    },
    'train:stop': async ({ runId }) => runs.stop(runId),
    'train:status': async ({ runId }) => runs.status(runId),
    'train:current': async () => runs.currentRun(),
    'train:estimate': async (request) => {
      // Measured steps would compete with the run for the cores, and measure nothing useful.
      if (runs.busy) throw new ClearframeError('busy', 'A training run is using this machine; the estimate needs it idle');
      return estimateTraining(TrainConfig.parse(request));
    },
  };
}
