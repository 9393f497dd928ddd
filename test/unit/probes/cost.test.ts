import { describe, expect, it } from 'vitest';
import { estimatedCosts, probeStride } from '../../../engine/probes/cost';
import type { ProbeLayout } from '../../../engine/probes/scratch';

/** An MLP's probe layout: linear layers with an activation between them. */
function mlp(sizes: number[], rows: number): ProbeLayout {
  const layerFeatures: number[] = [];
  const paramSizes: number[] = [];
  for (let i = 1; i < sizes.length; i++) {
    layerFeatures.push(sizes[i]);
    paramSizes.push(sizes[i - 1] * sizes[i], sizes[i]);
    if (i < sizes.length - 1) layerFeatures.push(sizes[i]);
  }
  return { maxRows: rows, layerFeatures, paramSizes };
}

describe('what a probe costs against a step (from the shape alone)', () => {
  it('a tiny network pays tens of steps per probe, a wide one a few (as measured on the fast path)', () => {
    const tiny = estimatedCosts(mlp([2, 64, 64, 3], 32));
    const wide = estimatedCosts(mlp([784, 256, 256, 10], 128));
    // Measured in a session (WASM, 2 threads): 0.83 ms vs 40 µs, and 12 ms vs 2.9 ms.
    expect(tiny.probeNs / tiny.stepNs).toBeGreaterThan(10);
    expect(tiny.probeNs / tiny.stepNs).toBeLessThan(40);
    expect(wide.probeNs / wide.stepNs).toBeGreaterThan(2);
    expect(wide.probeNs / wide.stepNs).toBeLessThan(6);
  });

  it('the stride keeps the estimated share within max_overhead, and is 1 where it already is', () => {
    for (const layout of [mlp([2, 64, 64, 3], 32), mlp([784, 256, 256, 10], 128), mlp([784, 1024, 1024, 10], 256)]) {
      const { probeNs, stepNs } = estimatedCosts(layout);
      const k = probeStride(layout, 50, 0.05);
      expect(probeNs / (k * 50 * stepNs)).toBeLessThanOrEqual(0.05);
      if (k > 1) expect(probeNs / ((k - 1) * 50 * stepNs)).toBeGreaterThan(0.05);
    }
    expect(probeStride(mlp([784, 1024, 1024, 10], 256), 50, 0.05)).toBe(1);
    expect(probeStride(mlp([2, 64, 64, 3], 32), 50, 1)).toBe(1);
    expect(probeStride(mlp([2, 64, 64, 3], 32), 0, 0.05)).toBe(1);
  });
});
