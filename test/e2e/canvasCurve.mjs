// Reading a line chart back from its pixels: where on the canvas is the line of one colour, and
// does it go down? This checks what a person sees, not what the code believes it drew.

/** "rgb(55, 148, 255)" / "rgba(55, 148, 255, 1)" / "#3794ff" → [r, g, b]. */
export function parseColor(text) {
  const rgb = text.match(/rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/);
  if (rgb) { return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])]; }
  const hex = text.match(/^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i);
  if (hex) { return [1, 2, 3].map(i => parseInt(hex[i], 16)); }
  throw new Error(`cannot parse colour ${JSON.stringify(text)}`);
}

/**
 * For each pixel column of an RGBA image, the mean y of the line drawn in `color`, or null where
 * the line is absent (or hidden under another line).
 *
 * A pixel belongs to the line when its colour is within `tolerance` (Euclidean RGB distance):
 * anti-aliasing and thin translucent lines drawn over it shift the colour a little. In each column
 * only the topmost run of such pixels counts (the legend's sample bar sits below the plot), and
 * only runs that connect to their neighbours over at least `minSegment` columns: a drawn line is
 * continuous (give or take a few columns where other lines cover it), the legend's 12-pixel bar
 * is not part of it.
 */
export function lineColumns({ data, width, height }, color, { tolerance = 60, minSegment = 20, maxGap = 5 } = {}) {
  const [r0, g0, b0] = color;
  const limit = tolerance * tolerance;
  const runs = new Array(width).fill(null); // { top, bottom, mean } of the topmost run
  for (let x = 0; x < width; x++) {
    let sum = 0, count = 0, top = -1, last = -1;
    for (let y = 0; y < height; y++) {
      const i = (y * width + x) * 4;
      if (data[i + 3] < 128) { continue; }
      const dr = data[i] - r0, dg = data[i + 1] - g0, db = data[i + 2] - b0;
      if (dr * dr + dg * dg + db * db > limit) { continue; }
      if (last >= 0 && y - last > 2) { break; } // a gap: the topmost run has ended
      if (top < 0) { top = y; }
      sum += y;
      count++;
      last = y;
    }
    if (count > 0) { runs[x] = { top, bottom: last, mean: sum / count }; }
  }
  // Keep only segments of runs that connect: the next run within `maxGap` columns (other lines drawn
  // on top hide the line here and there) and close enough vertically for the columns skipped.
  const columns = new Array(width).fill(null);
  let segment = [];
  const flush = () => {
    if (segment.length >= minSegment) { for (const k of segment) { columns[k] = runs[k].mean; } }
    segment = [];
  };
  for (let x = 0; x < width; x++) {
    if (!runs[x]) { continue; }
    const prev = segment[segment.length - 1];
    const skipped = prev === undefined ? 0 : x - prev - 1;
    const reach = 4 + 8 * skipped;
    const connects = prev !== undefined && skipped <= maxGap
      && runs[x].top <= runs[prev].bottom + reach && runs[prev].top <= runs[x].bottom + reach;
    if (!connects) { flush(); }
    segment.push(x);
  }
  flush();
  return columns;
}

const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
const std = (v) => { const m = mean(v); return Math.sqrt(mean(v.map(x => (x - m) ** 2))); };

/**
 * Compares the line's height at its start and end: the mean y over the first and the last
 * `fraction` of the columns it spans. Pixel y grows downwards, so a falling loss has endY > startY.
 * It fell "clearly" when the drop exceeds the line's own jitter at the end (twice the standard
 * deviation of y there) and at least `minDropPx`.
 */
export function assessFall(columns, { fraction = 0.15, minDropPx = 4 } = {}) {
  const xs = columns.map((y, x) => (y === null ? -1 : x)).filter(x => x >= 0);
  if (xs.length < 10) {
    return { fell: false, reason: `only ${xs.length} columns contain the line`, coveredColumns: xs.length };
  }
  const first = xs[0];
  const last = xs[xs.length - 1];
  const band = Math.max(1, Math.round((last - first + 1) * fraction));
  const ysIn = (from, to) => columns.slice(from, to + 1).filter(y => y !== null);
  const startYs = ysIn(first, first + band - 1);
  const endYs = ysIn(last - band + 1, last);
  const startY = mean(startYs);
  const endY = mean(endYs);
  const endJitter = std(endYs);
  const drop = endY - startY;
  const needed = Math.max(minDropPx, 2 * endJitter);
  return {
    fell: drop > needed,
    reason: drop > needed ? undefined : `drop ${drop.toFixed(1)} px is not above ${needed.toFixed(1)} px`,
    firstY: columns[first], lastY: columns[last],
    startY, endY, drop, endJitter, needed,
    firstColumn: first, lastColumn: last, coveredColumns: xs.length, bandColumns: band,
  };
}
