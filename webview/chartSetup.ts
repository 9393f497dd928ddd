/**
 * chart.js, registered once with exactly the pieces the dashboards use (tree-shaken: nothing else
 * is bundled; Filler shades the distributions' bands), plus chartjs-plugin-zoom (drag to zoom, shift-drag to pan) and the crosshair.
 * Every chart module imports `Chart` from here.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
} from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';
import { crosshairPlugin } from './crosshair';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  LinearScale,
  LogarithmicScale,
  Filler,
  Legend,
  Tooltip,
  zoomPlugin,
  crosshairPlugin,
);

export { Chart };

/**
 * What every chart on these pages shares: drawn at once (live data would otherwise animate on every
 * update), sized by its CSS box rather than an aspect ratio.
 */
export const BASE_OPTIONS = { animation: false, responsive: true, maintainAspectRatio: false } as const;

/**
 * For charts handed {x, y} points already sorted by x (the series summaries' buckets): no parsing,
 * no sorting, so chart.js reads the arrays as they are.
 */
export const POINT_OPTIONS = { ...BASE_OPTIONS, parsing: false, normalized: true } as const;

/** What applyAxisColors touches of a scale's options. */
interface ThemedScale {
  grid?: object;
  ticks?: object;
  title?: { color?: string };
}

/**
 * Sets the theme's colours on a chart's text (legend) and every axis it has: grid lines, ticks and
 * axis titles. Set in the options before the first draw, so no frame shows the defaults' grey.
 */
export function applyAxisColors(options: { color?: unknown; scales?: object }, colors: { muted: string; grid: string }): void {
  options.color = colors.muted;
  for (const scale of Object.values(options.scales ?? {}) as (ThemedScale | undefined)[]) {
    if (!scale) continue;
    scale.grid = { ...scale.grid, color: colors.grid };
    scale.ticks = { ...scale.ticks, color: colors.muted };
    if (scale.title) scale.title.color = colors.muted;
  }
}
export type { ChartDataset } from 'chart.js';
