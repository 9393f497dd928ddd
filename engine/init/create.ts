import type { InitializerSpec } from './spec';
import { Constant, type Initializer, Orthogonal, RandomNormal, RandomUniform, Sparse, TruncatedNormal, Zeros } from './initializer';
import {
  KaimingNormal,
  KaimingUniform,
  LecunNormal,
  LecunUniform,
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
    case 'trunc_normal':
      return new TruncatedNormal(spec.mean, spec.std, spec.a, spec.b);
    case 'xavier_uniform':
      return new XavierUniform(spec.gain);
    case 'xavier_normal':
      return new XavierNormal(spec.gain);
    case 'kaiming_uniform':
      return new KaimingUniform(spec.a, spec.mode, spec.nonlinearity);
    case 'kaiming_normal':
      return new KaimingNormal(spec.a, spec.mode, spec.nonlinearity);
    case 'lecun_uniform':
      return new LecunUniform();
    case 'lecun_normal':
      return new LecunNormal();
    case 'orthogonal':
      return new Orthogonal(spec.gain);
    case 'sparse':
      return new Sparse(spec.sparsity, spec.std);
  }
}
