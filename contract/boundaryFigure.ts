/**
 * How a decision-boundary grid (engine/train/decisionBoundary.ts) is drawn, for the canvas and for
 * its SVG alike: the plane fills the plot area (aspect kept: one unit of x is one unit of y), each
 * cell in its predicted class's colour, paler where the model is less sure (as TensorFlow
 * Playground shades it), and the training points on top in their class's colour and shape (a class
 * is told by its shape too, not by colour alone). Pure geometry and colours; no DOM.
 */
import type { BoundaryRecord } from '../engine/train/decisionBoundary';
import type { PointShape, SvgFigure } from './svgFigure';

export type { BoundaryRecord };

/** Each class's point shape, in class order (repeating past six). */
export const CLASS_SHAPES: readonly PointShape[] = ['circle', 'square', 'triangle', 'diamond', 'cross', 'star'];

export function classShape(cls: number): PointShape {
  return CLASS_SHAPES[cls % CLASS_SHAPES.length];
}

/** Where the plane sits in a box of width × height: square cells, centred. */
export interface PlaneLayout {
  left: number;
  top: number;
  /** Pixels per cell. */
  cell: number;
  width: number;
  height: number;
}

export function planeLayout(grid: Pick<BoundaryRecord, 'resolution' | 'x0' | 'x1' | 'y0' | 'y1'>, width: number, height: number): PlaneLayout {
  // The grid has as many cells across as down; cells are square when the plane's sides are equal
  // in data units, else stretched: keep the data's aspect by sizing the plane to it.
  const dataAspect = (grid.x1 - grid.x0) / (grid.y1 - grid.y0 || 1);
  let w = width;
  let h = w / dataAspect;
  if (h > height) {
    h = height;
    w = h * dataAspect;
  }
  return { left: (width - w) / 2, top: (height - h) / 2, cell: w / grid.resolution, width: w, height: h };
}

/** A data point's pixel position in the layout. */
export function pointPixel(grid: Pick<BoundaryRecord, 'x0' | 'x1' | 'y0' | 'y1'>, layout: PlaneLayout, x: number, y: number): { x: number; y: number } {
  return {
    x: layout.left + ((x - grid.x0) / (grid.x1 - grid.x0)) * layout.width,
    y: layout.top + ((grid.y1 - y) / (grid.y1 - grid.y0)) * layout.height,
  };
}

/**
 * A cell's opacity from the probability of its predicted class: from 0.12 where the model is no
 * surer than chance (1/C) to 0.6 where it is certain.
 */
export function cellAlpha(confidence: number, classes: number): number {
  const chance = 1 / Math.max(2, classes);
  const sureness = Math.min(1, Math.max(0, (confidence - chance) / (1 - chance)));
  return 0.12 + 0.48 * sureness;
}

/** A class's name in a legend: the data's own name for it, else "class k". */
export function className(grid: Pick<BoundaryRecord, 'names'>, k: number): string {
  return grid.names?.[k] ?? `class ${k}`;
}

/** Hues closer than this (degrees) read as one colour on a plane of pale cells. */
const MIN_HUE_GAP = 20;

/**
 * The theme's chart palette ordered for classes: colours whose hue differs from every earlier one
 * first, near-repeats after them. Themes may reuse a hue (Light High Contrast's "orange" is a dark
 * blue next to its blue), and two classes in one hue cannot be told apart on the plane.
 * Colours not in "rgb(...)" form keep their place.
 */
export function classPalette(palette: readonly string[]): string[] {
  const distinct: string[] = [];
  const repeats: string[] = [];
  const hues: number[] = [];
  for (const color of palette) {
    const h = hueOf(color);
    if (h !== undefined && hues.some(k => Math.min(Math.abs(k - h), 360 - Math.abs(k - h)) < MIN_HUE_GAP)) {
      repeats.push(color);
      continue;
    }
    if (h !== undefined) hues.push(h);
    distinct.push(color);
  }
  return [...distinct, ...repeats];
}

/** The hue (degrees) of "rgb(r, g, b)", or undefined for a grey or another form. */
function hueOf(color: string): number | undefined {
  const m = color.match(/rgba?\(\s*(\d+(?:\.\d+)?)[\s,]+(\d+(?:\.\d+)?)[\s,]+(\d+(?:\.\d+)?)/);
  if (!m) return undefined;
  const [r, g, b] = [m[1], m[2], m[3]].map(v => Number(v) / 255);
  const max = Math.max(r, g, b);
  const span = max - Math.min(r, g, b);
  if (span < 0.08) return undefined;
  const h = max === r ? ((g - b) / span) % 6 : max === g ? (b - r) / span + 2 : (r - g) / span + 4;
  return (h * 60 + 360) % 360;
}

/** "rgb(r, g, b)" or "rgba(r, g, b, a)" with alpha `alpha`. Other forms are returned unchanged. */
export function withAlpha(color: string, alpha: number): string {
  const m = color.match(/rgba?\(([^)]+)\)/);
  if (!m) return color;
  const [r, g, b] = m[1].split(',').map((s) => s.trim());
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** Classes whose colour shows on the plane (predicted somewhere), ascending. */
export function predictedClasses(grid: Pick<BoundaryRecord, 'predicted'>): number[] {
  return [...new Set(grid.predicted)].sort((a, b) => a - b);
}

/** The boundary as an SVG figure of width × height (the plane's box), in the given class colours. */
export function boundaryFigure(
  grid: BoundaryRecord,
  width: number,
  height: number,
  palette: readonly string[],
  colors: SvgFigure['colors'],
  title: string,
): SvgFigure {
  const layout = planeLayout(grid, width, height);
  const n = grid.resolution;
  const rects: { x: number; y: number; width: number; height: number; color: string }[] = [];
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const i = r * n + c;
      const color = withAlpha(palette[grid.predicted[i] % palette.length], cellAlpha(grid.confidence[i], grid.classes));
      // A hair wider than the cell: no seams between neighbours in a viewer that antialiases.
      rects.push({ x: layout.left + c * layout.cell, y: layout.top + r * layout.cell, width: layout.cell + 0.3, height: layout.cell + 0.3, color });
    }
  }
  const points: { x: number; y: number; color: string; shape: PointShape }[] = [];
  for (let i = 0; i + 2 < grid.points.length; i += 3) {
    const cls = grid.points[i + 2];
    points.push({ ...pointPixel(grid, layout, grid.points[i], grid.points[i + 1]), color: palette[cls % palette.length], shape: classShape(cls) });
  }
  const legend = Array.from({ length: grid.classes }, (_, k) => ({ label: className(grid, k), color: palette[k % palette.length] }));
  return {
    width,
    height,
    title,
    area: { left: layout.left, top: layout.top, right: layout.left + layout.width, bottom: layout.top + layout.height },
    axes: [],
    marks: [
      { kind: 'rects', color: 'none', rects },
      { kind: 'points', color: colors.foreground, radius: 2.5, stroke: colors.background, points },
    ],
    legend,
    colors,
  };
}
