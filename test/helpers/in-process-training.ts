// The engine's TrainRuns served in the test's own process as the api's TrainingEngine: for tests of
// what the api decides (refusals, folders), not of the process hop.
import type { TrainingEngine } from '../../src-main/engine-client/engine-api.js';
import type { TrainRuns } from '../../src-main/engine/train/train-runs.js';

export function inProcessTraining(runs: TrainRuns): TrainingEngine {
  return {
    startTraining: async (config, onProgress) => runs.start(config, onProgress),
    stopTraining: (runId) => runs.stop(runId),
    trainingStatus: async (runId) => runs.status(runId),
    currentTraining: async () => runs.currentRun(),
    estimateTraining: async () => {
      throw new Error('train:estimate is not part of this test');
    },
  };
}
