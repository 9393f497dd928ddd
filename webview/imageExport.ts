/**
 * Saving a chart as PNG or SVG: two small buttons in its caption. The PNG is the canvas as drawn,
 * on the theme's background (a canvas is transparent); the SVG is written from what chart.js laid
 * out (contract/svgFigure.ts) — its axes' ticks, its lines, bands and bars in their pixel places,
 * its legend. The page hands the file's content to the host, which asks where to save it.
 */
import type { Chart } from 'chart.js';
import { figureToSvg, type SvgAxis, type SvgFigure, type SvgMark } from '../contract/svgFigure';
import { h } from './dom';
import type { ChartColors } from './theme';

export type ImageFormat = 'png' | 'svg';

/** Hands a chart's file content to the host (the dashboard knows the run). */
export type ExportChart = (chart: string, format: ImageFormat, data: string) => void;

/** "PNG" and "SVG" buttons for a figure's caption. */
export function exportButtons(title: string, onExport: (format: ImageFormat) => void): HTMLElement {
  const make = (format: ImageFormat): HTMLButtonElement => {
    const b = h('button', { type: 'button', class: 'export-button', 'data-export': format, title: `Save “${title}” as ${format.toUpperCase()}`, 'aria-label': `Save ${title} as ${format.toUpperCase()}` }, format.toUpperCase()) as HTMLButtonElement;
    b.addEventListener('click', () => onExport(format));
    return b;
  };
  return h('span', { class: 'export-buttons' }, make('png'), make('svg'));
}

/** The canvas as a PNG data URL, painted over `background`. */
export function canvasPng(canvas: HTMLCanvasElement, background: string): string {
  const copy = document.createElement('canvas');
  copy.width = canvas.width;
  copy.height = canvas.height;
  const g = copy.getContext('2d')!;
  g.fillStyle = background;
  g.fillRect(0, 0, copy.width, copy.height);
  g.drawImage(canvas, 0, 0);
  return copy.toDataURL('image/png');
}

interface ScaleLike {
  id: string;
  axis: string;
  position: string;
  ticks: { label?: string | string[] | number }[];
  options: { display?: boolean | string; title?: { display?: boolean; text?: string | string[] }; grid?: { display?: boolean; drawOnChartArea?: boolean } };
  getPixelForTick(index: number): number;
}

interface ElementLike {
  x: number;
  y: number;
  skip?: boolean;
  base?: number;
  width?: number;
}

type DatasetLike = {
  label?: string;
  borderColor?: unknown;
  backgroundColor?: unknown;
  borderWidth?: unknown;
  borderDash?: number[];
  showLine?: boolean;
  fill?: unknown;
  pointRadius?: unknown;
};

function colorOf(value: unknown, fallback: string): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return fallback;
}

/** The chart as laid out now, as an SVG figure (CSS pixels); `legend` in place of the chart's own. */
export function chartFigure(chart: Chart, title: string, colors: ChartColors, legendOverride?: SvgFigure['legend']): SvgFigure {
  const area = chart.chartArea;
  const axes: SvgAxis[] = [];
  for (const scale of Object.values(chart.scales) as unknown as ScaleLike[]) {
    if (scale.options.display === false || !(scale.position === 'bottom' || scale.position === 'left' || scale.position === 'right')) continue;
    const ticks = scale.ticks
      .map((t, i) => ({ at: scale.getPixelForTick(i), label: Array.isArray(t.label) ? t.label.join(' ') : String(t.label ?? '') }))
      .filter((t) => t.label !== '' && Number.isFinite(t.at));
    const title = scale.options.title?.display ? [scale.options.title.text ?? ''].flat().join(' ') : undefined;
    axes.push({ position: scale.position as SvgAxis['position'], ticks, grid: scale.options.grid?.display !== false && scale.options.grid?.drawOnChartArea !== false, ...(title ? { title } : {}) });
  }
  const marks: SvgMark[] = [];
  const datasets = chart.data.datasets as DatasetLike[];
  const linePoints = (i: number): [number, number][] =>
    (chart.getDatasetMeta(i).data as unknown as ElementLike[]).map((e) => (e.skip ? [NaN, NaN] : [e.x, e.y]));
  // chart.js draws higher `order` first; datasets of equal order in index order.
  const order = datasets.map((_, i) => i).sort((a, b) => (chart.getDatasetMeta(b).order ?? 0) - (chart.getDatasetMeta(a).order ?? 0) || a - b);
  for (const i of order) {
    if (!chart.isDatasetVisible(i)) continue;
    const d = datasets[i];
    const meta = chart.getDatasetMeta(i);
    const label = d.label;
    const stroke = colorOf(d.borderColor, colors.foreground);
    if (meta.type === 'bar') {
      const rects = (meta.data as unknown as ElementLike[]).map((e) => {
        const base = e.base ?? area.bottom;
        const width = e.width ?? 0;
        return { x: e.x - width / 2, y: Math.min(e.y, base), width, height: Math.abs(base - e.y) };
      });
      marks.push({ kind: 'rects', label, color: colorOf(d.backgroundColor, stroke), rects });
      continue;
    }
    const points = linePoints(i);
    const target = fillTarget(d.fill, i);
    if (target !== undefined && target >= 0 && target < datasets.length) {
      marks.push({ kind: 'band', label, color: colorOf(d.backgroundColor, stroke), upper: points, lower: linePoints(target) });
    }
    if (d.showLine === false) {
      const radius = typeof d.pointRadius === 'number' ? d.pointRadius : 3;
      marks.push({ kind: 'points', label, color: colorOf(d.backgroundColor, stroke), radius, points: points.filter(([x, y]) => Number.isFinite(x + y)).map(([x, y]) => ({ x, y })) });
    } else if (typeof d.borderWidth !== 'number' || d.borderWidth > 0) {
      marks.push({ kind: 'line', label, color: stroke, width: typeof d.borderWidth === 'number' ? d.borderWidth : 2, ...(d.borderDash ? { dash: d.borderDash } : {}), points });
    }
  }
  const legend: SvgFigure['legend'] = legendOverride ? [...legendOverride] : [];
  const legendShown = !legendOverride && (chart.options.plugins?.legend as { display?: boolean } | undefined)?.display !== false;
  for (const item of legendShown ? (chart.legend?.legendItems ?? []) : []) {
    if (item.hidden) continue;
    legend.push({ label: item.text, color: colorOf(item.strokeStyle, colorOf(item.fillStyle, colors.foreground)), ...(item.lineDash?.length ? { dash: item.lineDash } : {}) });
  }
  return {
    width: chart.width,
    height: chart.height,
    title,
    area: { left: area.left, top: area.top, right: area.right, bottom: area.bottom },
    axes,
    marks,
    legend,
    colors: { background: colors.background, foreground: colors.foreground, muted: colors.muted, grid: colors.grid },
  };
}

/** The dataset a `fill` fills to: '-1' (the previous one), a number, or { target } of either. */
function fillTarget(fill: unknown, index: number): number | undefined {
  const target = typeof fill === 'object' && fill !== null ? (fill as { target?: unknown }).target : fill;
  if (typeof target === 'number') return target;
  if (typeof target === 'string' && /^[+-]\d+$/.test(target)) return index + Number(target);
  return undefined;
}

/** Exports a chart.js chart in `format` through `send`. */
export function exportChart(
  chart: Chart,
  canvas: HTMLCanvasElement,
  id: string,
  title: string,
  format: ImageFormat,
  colors: ChartColors,
  send: ExportChart,
  legend?: SvgFigure['legend'],
): void {
  send(id, format, format === 'png' ? canvasPng(canvas, colors.background) : figureToSvg(chartFigure(chart, title, colors, legend)));
}
