// Adam with optional L2 weight decay over plain Float32Arrays, updating weights in place: the one
// optimizer of both trainers (ONNX Runtime's, and every tfjs gradient worker's). Our own (a dozen
// lines) rather than tf.train.adam because its state must be checkpointed by position, not by
// tfjs-layers' process-unique variable names, and restored bit-exactly; on plain arrays every worker
// and both trainers compute exactly the same update.

import type { AdamState } from '../contract/checkpoint.js';

export type { AdamState };

/** The state of an Adam that has not stepped yet, for weights of these lengths. */
export function freshAdamState(lengths: readonly number[]): AdamState {
  return { step: 0, m: lengths.map((n) => new Float32Array(n)), v: lengths.map((n) => new Float32Array(n)) };
}

export class Adam {
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private t = 0;

  constructor(
    private readonly params: Float32Array[],
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-7,
  ) {
    this.m = params.map((p) => new Float32Array(p.length));
    this.v = params.map((p) => new Float32Array(p.length));
  }

  /** One update with gradients in `params` order; `weightDecay` adds λ·w to each gradient (L2). */
  apply(grads: readonly Float32Array[], lr: number, weightDecay = 0): void {
    if (grads.length !== this.params.length)
      throw new Error(`Adam got ${grads.length} gradients for ${this.params.length} weights`);
    this.t += 1;
    const { beta1, beta2, epsilon } = this;
    const stepSize = (lr * Math.sqrt(1 - beta2 ** this.t)) / (1 - beta1 ** this.t);
    this.params.forEach((w, i) => {
      const g = grads[i]!;
      const m = this.m[i]!;
      const v = this.v[i]!;
      if (g.length !== w.length) throw new Error(`Gradient ${i} has ${g.length} values, its weight ${w.length}`);
      for (let k = 0; k < w.length; k++) {
        const gk = weightDecay > 0 ? g[k]! + weightDecay * w[k]! : g[k]!;
        const mk = beta1 * m[k]! + (1 - beta1) * gk;
        const vk = beta2 * v[k]! + (1 - beta2) * gk * gk;
        m[k] = mk;
        v[k] = vk;
        w[k] = w[k]! - (stepSize * mk) / (Math.sqrt(vk) + epsilon);
      }
    });
  }

  getState(): AdamState {
    return { step: this.t, m: this.m.map((a) => a.slice()), v: this.v.map((a) => a.slice()) };
  }

  setState(state: AdamState): void {
    if (state.m.length !== this.m.length || state.v.length !== this.v.length) {
      throw new Error(`Optimizer state holds ${state.m.length} tensors, the model has ${this.m.length}`);
    }
    state.m.forEach((a, i) => this.m[i]!.set(a));
    state.v.forEach((a, i) => this.v[i]!.set(a));
    this.t = state.step;
  }
}
