import type { InitializerSpec } from './spec';
import { Constant, type Initializer, RandomNormal, RandomUniform, Zeros } from './initializer';
import {
  KaimingNormal,
  KaimingUniform,
  TorchLinearDefault,
  XavierNormal,
  XavierUniform,
} from './varianceScaling';

/** The initializer a resolved spec names (every PyTorch default is already filled in by the parser). */
export function createInitializer(spec: InitializerSpec): Initializer {
  switch (spec.type) {
    case 'default':
      return new TorchLinearDefault();
    case 'zeros':
      return new Zeros();
    case 'constant':
      return new Constant(spec.value);
    case 'normal':
      return new RandomNormal(spec.mean, spec.std);
    case 'uniform':
      return new RandomUniform(spec.a, spec.b);
    case 'xavier_uniform':
      return new XavierUniform(spec.gain);
    case 'xavier_normal':
      return new XavierNormal(spec.gain);
    case 'kaiming_uniform':
      return new KaimingUniform(spec.a, spec.mode, spec.nonlinearity);
    case 'kaiming_normal':
      return new KaimingNormal(spec.a, spec.mode, spec.nonlinearity);
  }
}
