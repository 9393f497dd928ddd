/**
 * chart.js, registered once with exactly the pieces the dashboards use (tree-shaken: nothing else
 * is bundled), plus chartjs-plugin-zoom (drag to zoom, shift-drag to pan) and the crosshair.
 * Every chart module imports `Chart` from here.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
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
  Legend,
  Tooltip,
  zoomPlugin,
  crosshairPlugin,
);

export { Chart };
export type { ChartDataset } from 'chart.js';
