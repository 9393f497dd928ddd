/**
 * Options several optimizers share, with torch.optim's (1.13) names and defaults. torch accepts
 * lr = 0 and eps = 0; a run with either cannot learn or divides by zero, so a file must give a
 * positive value.
 */
import * as z from 'zod';
import { described } from '../core/options';

export const lr = (value: number) =>
  described(z.number().gt(0).default(value).describe('Learning rate.'), {
    rangeHint: 'PyTorch also accepts 0, but then the weights never change',
  });

export const eps = (value: number, doc = 'Term added to the denominator for numerical stability.') =>
  described(z.number().gt(0).default(value).describe(doc), {
    rangeHint: 'PyTorch also accepts 0, but then a zero gradient divides by zero',
  });

export const nonNegative = (value: number, doc: string) => z.number().min(0).default(value).describe(doc);

export const unitInterval = (value: number, doc: string) => z.number().min(0).max(1).default(value).describe(doc);

export const positiveInteger = (value: number, doc: string) => z.int().min(1).default(value).describe(doc);

export const weightDecay = (value = 0) => nonNegative(value, 'L2 penalty added to the gradient (g ← g + weight_decay·p).');

export const maximize = z.boolean().default(false).describe('Maximize the objective instead of minimizing it.');

export const amsgrad = z.boolean().default(false).describe('Use the AMSGrad variant (the maximum of the past squared-gradient averages).');

const beta = z.number().min(0).lt(1);

export const betas = described(
  z
    .tuple([beta, beta])
    .default([0.9, 0.999])
    .describe('Coefficients of the running averages of the gradient (beta1, the momentum) and of its square (beta2), each in [0, 1).'),
  { rangeHint: 'each beta is the decay rate of a running average, 0 ≤ β < 1; typical: [0.9, 0.999]' },
);

/** A pair torch bounds only below (Rprop's etas and step sizes); their order is a rule across keys. */
export const positivePair = (value: [number, number], doc: string) => z.tuple([z.number().min(0), z.number().min(0)]).default(value).describe(doc);

/** momentum ≥ 1 lets the velocity grow without bound (torch accepts it). */
export function momentumBelowOne(momentum: number | undefined, warn: (keys: readonly string[], message: string) => void): void {
  if (momentum !== undefined && momentum >= 1) {
    warn(['momentum'], `momentum ${momentum} ≥ 1 lets the velocity grow without bound; typical values are 0.9 or 0.99`);
  }
}

/**
 * A torch.optim implementation switch (1.13: for-each kernels, CUDA-graph capture, fused kernels,
 * autograd through the step). Accepted (true, false or null, torch's None) so that settings copied
 * from PyTorch code work; each one written gets an information that it changes nothing.
 */
const torchSwitch = (doc: string, what: string) =>
  described(z.boolean().nullable().optional().describe(`${doc} Accepted; changes nothing here.`), {
    noEffect: `picks how PyTorch computes the update (${what}), not what it computes; Trainscope has one implementation, so it changes nothing here`,
  });

export const torchSwitches = {
  foreach: torchSwitch("PyTorch's for-each implementation (`null`: its choice).", 'its for-each kernels over all parameters'),
  capturable: torchSwitch("PyTorch's CUDA-graph capture support.", 'CUDA-graph capture'),
  fused: torchSwitch("PyTorch's fused kernels.", 'fused GPU kernels'),
  differentiable: torchSwitch("PyTorch's autograd through the optimizer step.", 'autograd through the step'),
};

/** How most of torch.optim's optimizers end: `maximize`, then the implementation switches. */
export const maximizeAndSwitches = { maximize, ...torchSwitches };
