/**
 * A crosshair for the series charts: a vertical line at the pointer, and a callback with the step
 * under it (the chart shows that step's exact values beside the plot). chart.js's own tooltip shows
 * points it drew; decimated points are not the data, so the values come from the series' buckets
 * (see SeriesChart).
 */
import type { Chart, ChartType, Plugin } from 'chart.js';

export interface CrosshairOptions {
  /** Called with the x value under the pointer (undefined when it leaves the plot). */
  onMove?: (x: number | undefined, pixel: number | undefined) => void;
  color?: string;
}

declare module 'chart.js' {
  // Merged with chart.js's own declaration, whose type parameter it must repeat.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface PluginOptionsByType<TType extends ChartType> {
    crosshair?: CrosshairOptions;
  }
}

const pointerX = new WeakMap<Chart, number>();

export const crosshairPlugin: Plugin = {
  id: 'crosshair',
  afterEvent(chart, args, options: CrosshairOptions) {
    const e = args.event;
    const area = chart.chartArea;
    if (!area || !options.onMove) {
      return;
    }
    const inside = e.x !== null && e.y !== null && e.x >= area.left && e.x <= area.right && e.y >= area.top && e.y <= area.bottom;
    if (e.type === 'mouseout' || !inside) {
      if (pointerX.has(chart)) {
        pointerX.delete(chart);
        options.onMove(undefined, undefined);
        args.changed = true;
      }
      return;
    }
    if (e.type === 'mousemove' && e.x !== null) {
      pointerX.set(chart, e.x);
      options.onMove(chart.scales.x.getValueForPixel(e.x), e.x);
      args.changed = true;
    }
  },
  afterDatasetsDraw(chart, _args, options: CrosshairOptions) {
    const x = pointerX.get(chart);
    const area = chart.chartArea;
    if (x === undefined || !area) {
      return;
    }
    const ctx = chart.ctx;
    ctx.save();
    ctx.strokeStyle = options.color ?? 'rgba(128, 128, 128, 0.8)';
    ctx.lineWidth = 1;
    ctx.setLineDash([3, 3]);
    ctx.beginPath();
    ctx.moveTo(Math.round(x) + 0.5, area.top);
    ctx.lineTo(Math.round(x) + 0.5, area.bottom);
    ctx.stroke();
    ctx.restore();
  },
};
