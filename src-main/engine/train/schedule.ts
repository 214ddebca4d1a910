// Learning-rate schedules, by step: cosine decay to 0 over the run, step decay by epochs, constant.
import type { TrainConfig } from '../../../src-shared/schemas/train.js';

export function learningRate(config: Pick<TrainConfig, 'lr' | 'lrSchedule' | 'lrStepEpochs' | 'lrStepFactor' | 'stepsPerEpoch' | 'epochs'>, step: number): number {
  const total = config.epochs * config.stepsPerEpoch;
  switch (config.lrSchedule) {
    case 'cosine':
      return 0.5 * config.lr * (1 + Math.cos((Math.PI * Math.min(step, total)) / total));
    case 'step':
      return config.lr * config.lrStepFactor ** Math.floor(step / config.stepsPerEpoch / config.lrStepEpochs);
    case 'constant':
      return config.lr;
  }
}
