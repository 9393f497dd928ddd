// vitest global setup: (re)generates the engine's .wasm kernels before any test imports them.
import { buildKernels } from './buildKernels.mjs';

export default async function setup() {
  await buildKernels();
}
