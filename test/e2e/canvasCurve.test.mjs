// The pixel reading of the UI test must be able to fail: a rising or flat line must not pass as a
// falling loss, and the legend's sample bar must not be mistaken for the line.
import { describe, expect, it } from 'vitest';
import { assessFall, lineColumns, parseColor } from './canvasCurve.mjs';

const W = 200;
const H = 100;
const BLUE = [55, 148, 255];

function image() { return { width: W, height: H, data: new Uint8ClampedArray(W * H * 4) }; }
function put(img, x, y, [r, g, b]) { img.data.set([r, g, b, 255], (y * W + x) * 4); }
/** Draws y = f(x) for x in [10, 190) as a connected 2-pixel line. */
function drawLine(img, f, color = BLUE) {
  let prev;
  for (let x = 10; x < 190; x++) {
    const y = Math.round(f(x));
    const [a, b] = prev === undefined ? [y, y] : [Math.min(prev, y), Math.max(prev, y)];
    for (let yy = a; yy <= b + 1; yy++) { put(img, x, yy, color); }
    prev = y;
  }
}
function legendBar(img, x0, y) { for (let x = x0; x < x0 + 12; x++) { put(img, x, y, BLUE); put(img, x, y + 1, BLUE); } }

describe('reading a loss curve from canvas pixels', () => {
  it('parses the colour formats the webview may report', () => {
    expect(parseColor('rgb(26, 133, 255)')).toEqual([26, 133, 255]);
    expect(parseColor('rgba(26, 133, 255, 0.5)')).toEqual([26, 133, 255]);
    expect(parseColor('#3794ff')).toEqual([55, 148, 255]);
    expect(() => parseColor('blue')).toThrow();
  });

  it('sees a falling curve fall, with the legend bar below ignored', () => {
    const img = image();
    drawLine(img, x => 10 + 70 * (1 - Math.exp(-(x - 10) / 10)));
    legendBar(img, 10, 96); // under the start of the line: would drag the start down if counted
    const fall = assessFall(lineColumns(img, BLUE));
    expect(fall.fell).toBe(true);
    expect(fall.firstColumn).toBe(10);
    expect(fall.lastColumn).toBe(189);
    expect(fall.startY).toBeLessThan(60);
    expect(fall.endY).toBeGreaterThan(79);
  });

  it('does not pass a rising or a flat noisy line', () => {
    const rising = image();
    drawLine(rising, x => 80 - x / 3);
    expect(assessFall(lineColumns(rising, BLUE)).fell).toBe(false);
    const flat = image();
    drawLine(flat, x => 50 + 3 * Math.sin(x));
    expect(assessFall(lineColumns(flat, BLUE)).fell).toBe(false);
  });

  it('ignores other colours and lone short marks', () => {
    const img = image();
    drawLine(img, x => 10 + x / 3, [209, 134, 22]); // an orange line
    legendBar(img, 100, 96);
    const fall = assessFall(lineColumns(img, BLUE));
    expect(fall.fell).toBe(false);
    expect(fall.coveredColumns).toBe(0);
  });

  it('follows the line across short gaps where other lines cover it', () => {
    const img = image();
    drawLine(img, x => 10 + 70 * (1 - Math.exp(-(x - 10) / 30)));
    for (let x = 60; x < 63; x++) { for (let y = 0; y < H; y++) { put(img, x, y, [0, 0, 0]); } }
    const columns = lineColumns(img, BLUE);
    expect(columns.filter(y => y !== null).length).toBe(177);
    expect(assessFall(columns).fell).toBe(true);
  });
});
