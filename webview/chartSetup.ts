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
export type { ChartDataset } from 'chart.js';
