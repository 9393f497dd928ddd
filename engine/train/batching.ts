/**
 * Copies rows `order[start] … order[start + count − 1]` of `source` (row width `width`) into the
 * first `count` rows of `destination`: how a shuffled mini-batch is gathered into the preallocated
 * batch buffer without allocating.
 */
export function gatherRows(
  source: Float32Array,
  width: number,
  order: Int32Array,
  start: number,
  count: number,
  destination: Float32Array,
): void {
  if (width === 1) {
    for (let r = 0; r < count; r++) destination[r] = source[order[start + r]];
    return;
  }
  if (width < 64) {
    // Narrow rows (2-D points, small tables): a view and a set() per row cost more than the copy.
    for (let r = 0; r < count; r++) {
      const from = order[start + r] * width;
      const to = r * width;
      for (let j = 0; j < width; j++) destination[to + j] = source[from + j];
    }
    return;
  }
  for (let r = 0; r < count; r++) {
    const from = order[start + r] * width;
    destination.set(source.subarray(from, from + width), r * width);
  }
}

/** Number of mini-batches per epoch; the last partial batch is kept (DataLoader's drop_last=False). */
export function batchesPerEpoch(size: number, batchSize: number): number {
  return Math.ceil(size / batchSize);
}
