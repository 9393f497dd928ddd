/**
 * chart.js, registered once with exactly the pieces the dashboards use (tree-shaken: nothing else
 * is bundled). Every chart module imports `Chart` from here.
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
  Tooltip,
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip);

export { Chart };
export type { ChartDataset } from 'chart.js';
