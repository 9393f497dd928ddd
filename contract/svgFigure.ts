/**
 * A chart as an SVG document, from what the chart drew: the plot area, the axes' ticks, and every
 * line, band and bar in the chart's own pixel coordinates (chart.js lays them out; there is no SVG
 * backend for it, so the page reads its layout and this writes it out). Lines, filled bands,
 * bars, image-like cell grids, scatter points, axes, grid, title and legend: enough for a figure
 * in a report, and correct to the pixel of the canvas. Pure: strings in, a string out.
 */

export interface SvgTick {
  /** Pixel position along the axis. */
  at: number;
  label: string;
}

export interface SvgAxis {
  position: 'bottom' | 'left' | 'right';
  ticks: SvgTick[];
  title?: string;
  /** Grid lines across the plot area at the ticks. */
  grid: boolean;
}

export type SvgMark =
  /** A polyline; a point with a non-finite coordinate breaks it. */
  | { kind: 'line'; label?: string; color: string; width: number; dash?: number[]; points: [number, number][] }
  /** The area between two polylines over the same x's (a percentile band). */
  | { kind: 'band'; label?: string; color: string; upper: [number, number][]; lower: [number, number][] }
  | { kind: 'rects'; label?: string; color: string; rects: { x: number; y: number; width: number; height: number; color?: string }[] }
  | { kind: 'points'; label?: string; color: string; radius: number; stroke?: string; points: { x: number; y: number; color?: string; shape?: PointShape }[] };

/** Point shapes (a class is told by its shape as well as its colour). */
export type PointShape = 'circle' | 'square' | 'triangle' | 'diamond' | 'cross' | 'star';

/** A shape's outline around (x, y) at radius r, as path data (a circle is drawn as a circle). */
export function shapePath(shape: Exclude<PointShape, 'circle'>, x: number, y: number, r: number): string {
  const p = (points: [number, number][]): string => `${pathData(points.map(([dx, dy]) => [x + dx * r, y + dy * r]))}Z`;
  switch (shape) {
    case 'square':
      return p([[-0.9, -0.9], [0.9, -0.9], [0.9, 0.9], [-0.9, 0.9]]);
    case 'triangle':
      return p([[0, -1.2], [1.1, 0.8], [-1.1, 0.8]]);
    case 'diamond':
      return p([[0, -1.2], [1.2, 0], [0, 1.2], [-1.2, 0]]);
    case 'cross':
      return p([[-0.35, -1.1], [0.35, -1.1], [0.35, -0.35], [1.1, -0.35], [1.1, 0.35], [0.35, 0.35], [0.35, 1.1], [-0.35, 1.1], [-0.35, 0.35], [-1.1, 0.35], [-1.1, -0.35], [-0.35, -0.35]]);
    case 'star': {
      const points: [number, number][] = [];
      for (let i = 0; i < 10; i++) {
        const a = -Math.PI / 2 + (i * Math.PI) / 5;
        const radius = i % 2 === 0 ? 1.25 : 0.55;
        points.push([Math.cos(a) * radius, Math.sin(a) * radius]);
      }
      return p(points);
    }
  }
}

export interface SvgFigure {
  width: number;
  height: number;
  title: string;
  /** The plot area in pixels. */
  area: { left: number; top: number; right: number; bottom: number };
  axes: SvgAxis[];
  marks: SvgMark[];
  /** Legend entries (a mark with a label that should be listed). */
  legend: { label: string; color: string; dash?: number[] }[];
  colors: { background: string; foreground: string; muted: string; grid: string };
}

const TITLE_HEIGHT = 18;
const LEGEND_ROW = 16;

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** A number as SVG writes it: at most two decimals, no "-0". */
function n(v: number): string {
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

/** A polyline's path data; non-finite points start a new segment. */
export function pathData(points: readonly [number, number][]): string {
  let d = '';
  let pen = false;
  for (const [x, y] of points) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${n(x)} ${n(y)}`;
    pen = true;
  }
  return d;
}

/** The legend's rows: entries laid out left to right, wrapping at the figure's width. */
function legendRows(legend: SvgFigure['legend'], width: number): { label: string; color: string; dash?: number[]; x: number; row: number }[] {
  const out: { label: string; color: string; dash?: number[]; x: number; row: number }[] = [];
  let x = 8;
  let row = 0;
  for (const entry of legend) {
    // About 6.5 px a character at 11 px, plus the swatch.
    const w = 26 + entry.label.length * 6.5;
    if (x + w > width - 8 && x > 8) {
      row++;
      x = 8;
    }
    out.push({ ...entry, x, row });
    x += w + 10;
  }
  return out;
}

/** The SVG document of a figure. The title and legend go above the chart, which keeps its pixel layout. */
export function figureToSvg(f: SvgFigure): string {
  const legend = legendRows(f.legend, f.width);
  const legendHeight = legend.length > 0 ? (legend[legend.length - 1].row + 1) * LEGEND_ROW + 4 : 0;
  const top = TITLE_HEIGHT + legendHeight;
  const height = f.height + top;
  const { left, right, bottom } = f.area;
  const areaTop = f.area.top;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${n(f.width)}" height="${n(height)}" viewBox="0 0 ${n(f.width)} ${n(height)}" font-family="sans-serif" font-size="11">`);
  out.push(`<title>${escapeXml(f.title)}</title>`);
  out.push(`<rect x="0" y="0" width="${n(f.width)}" height="${n(height)}" fill="${escapeXml(f.colors.background)}"/>`);
  out.push(`<text x="8" y="13" font-size="12" font-weight="600" fill="${escapeXml(f.colors.foreground)}">${escapeXml(f.title)}</text>`);
  for (const e of legend) {
    const y = TITLE_HEIGHT + e.row * LEGEND_ROW + 8;
    const dash = e.dash?.length ? ` stroke-dasharray="${e.dash.map(n).join(' ')}"` : '';
    out.push(`<g class="legend-entry"><line x1="${n(e.x)}" y1="${n(y)}" x2="${n(e.x + 18)}" y2="${n(y)}" stroke="${escapeXml(e.color)}" stroke-width="3"${dash}/><text x="${n(e.x + 22)}" y="${n(y + 4)}" fill="${escapeXml(f.colors.muted)}">${escapeXml(e.label)}</text></g>`);
  }
  out.push(`<g transform="translate(0 ${n(top)})">`);
  for (const axis of f.axes) {
    for (const tick of axis.ticks) {
      if (axis.position === 'bottom') {
        if (axis.grid) out.push(`<line x1="${n(tick.at)}" y1="${n(areaTop)}" x2="${n(tick.at)}" y2="${n(bottom)}" stroke="${escapeXml(f.colors.grid)}"/>`);
        out.push(`<text x="${n(tick.at)}" y="${n(bottom + 14)}" text-anchor="middle" fill="${escapeXml(f.colors.muted)}">${escapeXml(tick.label)}</text>`);
      } else {
        if (axis.grid) out.push(`<line x1="${n(left)}" y1="${n(tick.at)}" x2="${n(right)}" y2="${n(tick.at)}" stroke="${escapeXml(f.colors.grid)}"/>`);
        const x = axis.position === 'left' ? left - 4 : right + 4;
        out.push(`<text x="${n(x)}" y="${n(tick.at + 4)}" text-anchor="${axis.position === 'left' ? 'end' : 'start'}" fill="${escapeXml(f.colors.muted)}">${escapeXml(tick.label)}</text>`);
      }
    }
    if (axis.title) {
      if (axis.position === 'bottom') out.push(`<text x="${n((left + right) / 2)}" y="${n(f.height - 2)}" text-anchor="middle" fill="${escapeXml(f.colors.muted)}">${escapeXml(axis.title)}</text>`);
      else {
        const x = axis.position === 'left' ? 10 : f.width - 4;
        out.push(`<text transform="translate(${n(x)} ${n((areaTop + bottom) / 2)}) rotate(-90)" text-anchor="middle" fill="${escapeXml(f.colors.muted)}">${escapeXml(axis.title)}</text>`);
      }
    }
  }
  out.push(`<rect x="${n(left)}" y="${n(areaTop)}" width="${n(right - left)}" height="${n(bottom - areaTop)}" fill="none" stroke="${escapeXml(f.colors.grid)}"/>`);
  out.push(`<defs><clipPath id="plot-area"><rect x="${n(left)}" y="${n(areaTop)}" width="${n(right - left)}" height="${n(bottom - areaTop)}"/></clipPath></defs>`);
  out.push('<g clip-path="url(#plot-area)">');
  for (const mark of f.marks) out.push(markSvg(mark));
  out.push('</g></g></svg>');
  return out.join('\n');
}

function markSvg(mark: SvgMark): string {
  const label = mark.label !== undefined ? ` data-label="${escapeXml(mark.label)}"` : '';
  switch (mark.kind) {
    case 'line': {
      const dash = mark.dash?.length ? ` stroke-dasharray="${mark.dash.map(n).join(' ')}"` : '';
      return `<path class="line"${label} d="${pathData(mark.points)}" fill="none" stroke="${escapeXml(mark.color)}" stroke-width="${n(mark.width)}" stroke-linejoin="round"${dash}/>`;
    }
    case 'band': {
      const points = [...mark.upper, ...[...mark.lower].reverse()].filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
      const d = pathData(points);
      return `<path class="band"${label} d="${d}${d ? 'Z' : ''}" fill="${escapeXml(mark.color)}" stroke="none"/>`;
    }
    case 'rects':
      return `<g class="rects"${label} fill="${escapeXml(mark.color)}">${mark.rects
        .map((r) => `<rect x="${n(r.x)}" y="${n(r.y)}" width="${n(r.width)}" height="${n(r.height)}"${r.color ? ` fill="${escapeXml(r.color)}"` : ''}/>`)
        .join('')}</g>`;
    case 'points':
      return `<g class="points"${label} fill="${escapeXml(mark.color)}"${mark.stroke ? ` stroke="${escapeXml(mark.stroke)}"` : ''}>${mark.points
        .map((p) => {
          const fill = p.color ? ` fill="${escapeXml(p.color)}"` : '';
          return !p.shape || p.shape === 'circle' ? `<circle cx="${n(p.x)}" cy="${n(p.y)}" r="${n(mark.radius)}"${fill}/>` : `<path d="${shapePath(p.shape, p.x, p.y, mark.radius)}"${fill}/>`;
        })
        .join('')}</g>`;
  }
}
