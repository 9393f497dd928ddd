/**
 * A metric of every run against one of their numeric settings (the picture of a random search):
 * one point per run, in its experiment's colour, on log axes where the values span decades.
 */
import { shortNumber } from '../contract/format';
import { wantsLogAxis } from '../contract/runRows';
import { BASE_OPTIONS, Chart } from './chartSetup';
import { h } from './dom';

export interface ScatterPoint {
  x: number;
  y: number;
  label: string;
  color: string;
}

export class ScatterChart {
  readonly figure: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private readonly chart: Chart<'scatter', ScatterPoint[]>;
  private readonly note: HTMLElement;

  constructor(controls: HTMLElement[]) {
    this.canvas = h('canvas', { id: 'runs-scatter', role: 'img', 'aria-label': 'A metric of every run against a setting' }) as HTMLCanvasElement;
    this.note = h('p', { class: 'empty' });
    this.figure = h('figure', { class: 'chart scatter' }, h('figcaption', {}, h('span', { class: 'chart-title' }, 'Metric against setting'), ...controls), h('div', { class: 'chart-box' }, this.canvas), this.note);
    this.chart = new Chart<'scatter', ScatterPoint[]>(this.canvas, {
      type: 'scatter',
      data: { datasets: [] },
      options: {
        ...BASE_OPTIONS,
        parsing: false,
        plugins: {
          legend: { display: false },
          zoom: { zoom: { drag: { enabled: false }, wheel: { enabled: false } }, pan: { enabled: false } },
          tooltip: {
            callbacks: { label: item => `${(item.raw as ScatterPoint).label}: ${shortNumber((item.raw as ScatterPoint).x)} → ${shortNumber((item.raw as ScatterPoint).y)}` },
          },
        },
        scales: { x: { type: 'linear', title: { display: true, text: '' } }, y: { type: 'linear', title: { display: true, text: '' } } },
      },
    });
  }

  show(points: ScatterPoint[], xLabel: string, yLabel: string, muted: string, grid: string): void {
    this.note.textContent = points.length < 2 ? 'Fewer than two runs have both values: nothing to plot yet.' : '';
    const logX = wantsLogAxis(points.map(p => p.x));
    const logY = wantsLogAxis(points.map(p => p.y));
    const axis = (log: boolean, text: string) => ({
      type: log ? ('logarithmic' as const) : ('linear' as const),
      title: { display: true, text: log ? `${text} (log)` : text, color: muted },
      ticks: { color: muted, maxTicksLimit: 6, callback: (v: number | string) => shortNumber(Number(v)) },
      grid: { color: grid },
    });
    this.chart.options.scales = { x: axis(logX, xLabel), y: axis(logY, yLabel) };
    this.chart.data.datasets = [
      {
        data: points,
        pointRadius: 5,
        pointHoverRadius: 7,
        pointBackgroundColor: points.map(p => p.color),
        pointBorderColor: points.map(p => p.color),
      },
    ];
    this.chart.update('none');
    this.canvas.dataset.points = String(points.length);
    this.canvas.dataset.logX = String(logX);
    this.canvas.dataset.logY = String(logY);
  }
}
