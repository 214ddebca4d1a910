// The training graph's backward rules, one per tape kind (training-ops.ts), each adding the nodes
// for its layer's weight gradients (as graph outputs) and the gradient of its input(s).
//
// The backward rules, NCHW, for y = conv(x, W) with stride s and pads p:
//   dx = ConvTranspose(dy, W; s, p)                 (the adjoint of the forward conv)
//   dW = Σ im2col(x) · dy                           (batched GEMMs; see convBackward)
// and for a transposed conv the roles of the two convolutions swap.
import { int, ints, type GraphBuilder, type Tape } from './training-ops.js';

/** What a rule may use: the builder, the batch size, and where to send its input's gradient. */
export interface BackwardContext {
  g: GraphBuilder;
  batch: number;
  /** Adds a contribution to the gradient of tensor `name` (contributions are summed). */
  addGrad(name: string, grad: string): void;
  /** The graph's input tensor: no gradient is computed for the data. */
  graphInput: string;
  /** Constant [0, 2, 3]: the axes a per-channel sum reduces. */
  sumAxes: string;
}

type Rule<K extends Tape['kind']> = (ctx: BackwardContext, tape: Extract<Tape, { kind: K }>, dy: string) => void;

/** dy through an activation, given its output: linear passes, ReLU masks, sigmoid scales by σ(1 − σ). */
export function activationGrad(g: GraphBuilder, dy: string, out: string, activation: string): string {
  if (activation === 'linear') return dy;
  if (activation === 'relu') return g.op('Mul', [dy, g.op('Sign', [out])]); // out ≥ 0, so Sign is the 0/1 mask
  // sigmoid: dy·σ·(1 − σ)
  return g.op('Mul', [dy, g.op('Mul', [out, g.op('Sub', [g.floats([1], []), out])])]);
}

const actBackward: Rule<'act'> = (ctx, tape, dy) => {
  ctx.addGrad(tape.x, activationGrad(ctx.g, dy, tape.out, tape.activation));
};

const addBackward: Rule<'add'> = (ctx, tape, dy) => {
  for (const input of tape.inputs) ctx.addGrad(input, dy);
};

/** dγ = Σ dy·x̂, dβ = Σ dy, dx = (dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) / σ with dx̂ = dy·γ. */
const batchNormBackward: Rule<'bn'> = ({ g, addGrad, sumAxes }, tape, dy) => {
  g.opTo(tape.gammaGrad, 'ReduceSum', [g.op('Mul', [dy, tape.xhat]), sumAxes], { keepdims: int(0) });
  g.opTo(tape.betaGrad, 'ReduceSum', [dy, sumAxes], { keepdims: int(0) });
  const dxhat = g.op('Mul', [dy, tape.gamma]);
  const meanD = g.op('ReduceMean', [dxhat], { axes: ints([0, 2, 3]), keepdims: int(1) });
  const meanDx = g.op('ReduceMean', [g.op('Mul', [dxhat, tape.xhat])], { axes: ints([0, 2, 3]), keepdims: int(1) });
  const inner = g.op('Sub', [g.op('Sub', [dxhat, meanD]), g.op('Mul', [tape.xhat, meanDx])]);
  addGrad(tape.x, g.op('Mul', [inner, tape.invStd]));
};

/**
 * Weight gradient as batched GEMMs over an im2col of the big (strided) side, the im2col itself
 * being a convolution with a one-hot kernel per offset (so strides and pads are the forward
 * conv's): dW[bigC·k, smallC] = Σ_n Σ_pixels cols[n, bigC·k, p] · small[n, p, smallC]. (A dilated
 * Conv of the two computes the same, but its 3×3 output makes ORT's GEMMs ~4× slower.)
 */
function convWeightGrad({ g, batch }: BackwardContext, tape: Extract<Tape, { kind: 'conv' }>, dz: string): void {
  const [kh, kw] = tape.kernel;
  const [sh, sw] = tape.strides;
  const [pt, pl] = tape.pads;
  const [, , h, w] = tape.xShape;
  const [, , oh, ow] = tape.outShape;
  // The big (strided) side and the small side of the pair: for a conv, x is big and dz small.
  const [big, bigH, bigW, small, smallH, smallW] = tape.transposed
    ? [dz, oh, ow, tape.x, h, w]
    : [tape.x, h, w, dz, oh, ow];
  const endH = Math.max(0, kh + sh * (smallH - 1) - bigH - pt);
  const endW = Math.max(0, kw + sw * (smallW - 1) - bigW - pl);
  const taps = kh * kw;
  const oneHot = new Array<number>(taps * taps).fill(0);
  for (let t = 0; t < taps; t++) oneHot[t * taps + t] = 1;
  const bigC = (tape.transposed ? tape.outShape : tape.xShape)[1];
  const smallC = (tape.transposed ? tape.xShape : tape.outShape)[1];
  const pixels = smallH * smallW;
  const planes = g.op('Reshape', [big, g.int64s([batch * bigC, 1, bigH, bigW])]);
  const cols = g.op(
    'Conv',
    [planes, g.floats(oneHot, [taps, 1, kh, kw])],
    {
      kernel_shape: ints([kh, kw]),
      strides: ints([sh, sw]),
      pads: ints([pt, pl, endH, endW]),
    },
    `${tape.layer.name}/im2col`,
  ); // [N·bigC, taps, smallH, smallW]
  const colsRows = g.op('Reshape', [cols, g.int64s([batch, bigC * taps, pixels])]);
  const smallCols = g.op('Transpose', [g.op('Reshape', [small, g.int64s([batch, smallC, pixels])])], {
    perm: ints([0, 2, 1]),
  }); // [N, pixels, smallC]
  const product = g.op(
    'ReduceSum',
    [g.op('MatMul', [colsRows, smallCols], undefined, `${tape.layer.name}/dW`), g.int64s([0])],
    { keepdims: int(0) },
  ); // [bigC·taps, smallC]
  // [bigC, kh, kw, smallC] → tfjs [kh, kw, bigC, smallC]: Conv's [kh, kw, in, out] (big = in) or
  // ConvTranspose's [kh, kw, filters, in] (big = filters).
  g.opTo(tape.wGrad, 'Transpose', [g.op('Reshape', [product, g.int64s([bigC, kh, kw, smallC])])], {
    perm: ints([1, 2, 0, 3]),
  });
}

/** The input gradient: the adjoint convolution of the forward one. */
function convInputGrad({ g, addGrad }: BackwardContext, tape: Extract<Tape, { kind: 'conv' }>, dz: string): void {
  const [kh, kw] = tape.kernel;
  const [sh, sw] = tape.strides;
  const [pt, pl, pb, pr] = tape.pads;
  const [, , h, w] = tape.xShape;
  const [, , oh, ow] = tape.outShape;
  if (tape.transposed) {
    addGrad(
      tape.x,
      g.op(
        'Conv',
        [dz, tape.w],
        { kernel_shape: ints([kh, kw]), strides: ints([sh, sw]), pads: ints(tape.pads) },
        `${tape.layer.name}/dx`,
      ),
    );
  } else if (sh === 1 && sw === 1) {
    // Stride 1: the adjoint is a forward conv with the kernel flipped and its axes swapped,
    // which ORT runs ~1.5× faster than the equivalent ConvTranspose.
    const swapped = g.op('Transpose', [tape.param], { perm: ints([2, 3, 0, 1]) }); // tfjs [kh, kw, in, out] → [in, out, kh, kw]
    const flipped = g.op('Slice', [
      swapped,
      g.int64s([-1, -1]),
      g.int64s([-(kh + 1), -(kw + 1)]),
      g.int64s([2, 3]),
      g.int64s([-1, -1]),
    ]);
    addGrad(
      tape.x,
      g.op(
        'Conv',
        [dz, flipped],
        { kernel_shape: ints([kh, kw]), pads: ints([kh - 1 - pt, kw - 1 - pl, kh - 1 - pb, kw - 1 - pr]) },
        `${tape.layer.name}/dx`,
      ),
    );
  } else {
    const fullH = sh * (oh - 1) + kh - pt - pb;
    const fullW = sw * (ow - 1) + kw - pl - pr;
    addGrad(
      tape.x,
      g.op(
        'ConvTranspose',
        [dz, tape.w],
        {
          kernel_shape: ints([kh, kw]),
          strides: ints([sh, sw]),
          pads: ints(tape.pads),
          output_padding: ints([h - fullH, w - fullW]),
        },
        `${tape.layer.name}/dx`,
      ),
    );
  }
}

const convBackward: Rule<'conv'> = (ctx, tape, dy) => {
  const dz = activationGrad(ctx.g, dy, tape.out, tape.activation);
  if (tape.bGrad) ctx.g.opTo(tape.bGrad, 'ReduceSum', [dz, ctx.sumAxes], { keepdims: int(0) });
  convWeightGrad(ctx, tape, dz);
  if (tape.x !== ctx.graphInput) convInputGrad(ctx, tape, dz);
};

/** Applies the backward rule of `tape`'s kind, given the gradient `dy` of its output. */
export function backward(ctx: BackwardContext, tape: Tape, dy: string): void {
  switch (tape.kind) {
    case 'act':
      return actBackward(ctx, tape, dy);
    case 'add':
      return addBackward(ctx, tape, dy);
    case 'bn':
      return batchNormBackward(ctx, tape, dy);
    case 'conv':
      return convBackward(ctx, tape, dy);
  }
}
