// Adam with optional L2 weight decay, over plain tf.Variables. Our own (a dozen lines) rather than
// tf.train.adam because its state must be checkpointed by position, not by tfjs-layers' process-unique
// variable names, and restored bit-exactly in every gradient worker.
import * as tf from '@tensorflow/tfjs-core';

export interface AdamState {
  step: number;
  m: Float32Array[];
  v: Float32Array[];
}

export class Adam {
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];
  private t = 0;

  constructor(
    private readonly vars: tf.Variable[],
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-7,
  ) {
    this.m = vars.map((w) => tf.variable(tf.zerosLike(w), false));
    this.v = vars.map((w) => tf.variable(tf.zerosLike(w), false));
  }

  /** One update with gradients in `vars` order; `weightDecay` adds λ·w to each gradient (L2). */
  apply(grads: tf.Tensor[], lr: number, weightDecay = 0): void {
    this.t += 1;
    const correction1 = 1 - this.beta1 ** this.t;
    const correction2 = 1 - this.beta2 ** this.t;
    const stepSize = (lr * Math.sqrt(correction2)) / correction1;
    tf.tidy(() => {
      this.vars.forEach((w, i) => {
        const g = weightDecay > 0 ? tf.add(grads[i]!, tf.mul(w, weightDecay)) : grads[i]!;
        const m = tf.add(tf.mul(this.m[i]!, this.beta1), tf.mul(g, 1 - this.beta1));
        const v = tf.add(tf.mul(this.v[i]!, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        this.m[i]!.assign(m);
        this.v[i]!.assign(v);
        w.assign(tf.sub(w, tf.div(tf.mul(m, stepSize), tf.add(tf.sqrt(v), this.epsilon))));
      });
    });
  }

  getState(): AdamState {
    return {
      step: this.t,
      m: this.m.map((t) => t.dataSync() as Float32Array),
      v: this.v.map((t) => t.dataSync() as Float32Array),
    };
  }

  setState(state: AdamState): void {
    if (state.m.length !== this.m.length || state.v.length !== this.v.length) {
      throw new Error(`Optimizer state holds ${state.m.length} tensors, the model has ${this.m.length}`);
    }
    this.t = state.step;
    tf.tidy(() => {
      this.m.forEach((t, i) => t.assign(tf.tensor(state.m[i]!, t.shape)));
      this.v.forEach((t, i) => t.assign(tf.tensor(state.v[i]!, t.shape)));
    });
  }

  dispose(): void {
    for (const t of [...this.m, ...this.v]) t.dispose();
  }
}
