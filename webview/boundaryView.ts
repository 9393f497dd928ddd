/**
 * The decision boundary of a 2-D classifier, redrawn whenever the run reports a new grid: the plane
 * coloured by the predicted class (paler where the model is unsure), the training points on top in
 * their class's colour and shape. Geometry and colours come from contract/boundaryFigure.ts, which
 * also writes the SVG, so the canvas and the file agree.
 */
import { CLASS_SHAPES, boundaryFigure, className, classPalette, cellAlpha, classShape, planeLayout, pointPixel, predictedClasses, withAlpha, type BoundaryRecord } from '../contract/boundaryFigure';
import { figureToSvg, shapePath } from '../contract/svgFigure';
import { h } from './dom';
import { canvasPng, exportButtons, type ExportChart } from './imageExport';
import type { ChartColors } from './theme';
import { unwatchVisibility, watchVisibility } from './visibility';

const SHAPE_GLYPH: Record<(typeof CLASS_SHAPES)[number], string> = { circle: '●', square: '■', triangle: '▲', diamond: '◆', cross: '✚', star: '★' };
const TITLE = 'Decision boundary';
/** The chart's name in exported files (`<run>-decision-boundary.png`) and its canvas's id on a dashboard. */
const ID = 'decision-boundary';

/** Where the view sits: a run's dashboard (the defaults) or one run among others in a comparison. */
export interface BoundaryPlacement {
  /** The caption: the run's name in a comparison. */
  title?: string;
  /** Unique on the page. */
  canvasId?: string;
}

export class BoundaryView {
  readonly figure: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly note: HTMLElement;
  private readonly legend: HTMLElement;
  private grid: BoundaryRecord | undefined;
  private drawn: BoundaryRecord | undefined;
  private visible = true;
  private readonly resize: ResizeObserver;

  private readonly title: string;

  constructor(
    private colors: ChartColors,
    private readonly send: ExportChart,
    placement: BoundaryPlacement = {},
  ) {
    this.title = placement.title ?? TITLE;
    const canvasId = placement.canvasId ?? ID;
    const where = placement.title ? `${TITLE} of ${placement.title}` : TITLE;
    this.canvas = h('canvas', { id: canvasId, role: 'img', 'aria-label': `${where}: the plane coloured by the predicted class, with the training points` }) as HTMLCanvasElement;
    this.note = h('span', { class: 'histogram-stats boundary-note', ...(placement.canvasId ? {} : { id: 'boundary-note' }) });
    this.legend = h('ul', { class: 'class-legend', 'aria-label': 'Classes' });
    this.figure = h(
      'figure',
      { class: 'chart boundary', 'data-chart': canvasId },
      h('figcaption', {}, h('span', { class: 'chart-title', title: this.title }, this.title), exportButtons(where, format => this.export(format))),
      h('div', { class: 'boundary-box' }, this.canvas),
      this.legend,
      this.note,
    );
    this.figure.hidden = true;
    watchVisibility(this.figure, visible => {
      this.visible = visible;
      if (visible) {
        this.draw();
      }
    });
    this.resize = new ResizeObserver(() => {
      this.drawn = undefined;
      this.draw();
    });
    this.resize.observe(this.canvas);
  }

  update(grid: BoundaryRecord | undefined): void {
    this.grid = grid;
    this.figure.hidden = grid === undefined;
    this.draw();
  }

  applyColors(colors: ChartColors): void {
    this.colors = colors;
    this.drawn = undefined;
    this.draw();
  }

  private draw(): void {
    const grid = this.grid;
    if (!grid || !this.visible || grid === this.drawn) {
      return;
    }
    const width = this.canvas.clientWidth;
    const height = this.canvas.clientHeight;
    if (width === 0 || height === 0) {
      return;
    }
    this.drawn = grid;
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(height * dpr);
    const g = this.canvas.getContext('2d')!;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, width, height);
    const palette = classPalette(this.colors.palette);
    const layout = planeLayout(grid, width, height);
    const n = grid.resolution;
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        const i = r * n + c;
        g.fillStyle = withAlpha(palette[grid.predicted[i] % palette.length], cellAlpha(grid.confidence[i], grid.classes));
        // Whole pixels, each cell ending where the next begins: translucent cells that overlapped
        // by a pixel would draw darker seams, a grid over the plane.
        const x = Math.round(layout.left + c * layout.cell);
        const y = Math.round(layout.top + r * layout.cell);
        g.fillRect(x, y, Math.round(layout.left + (c + 1) * layout.cell) - x, Math.round(layout.top + (r + 1) * layout.cell) - y);
      }
    }
    const radius = width < 260 ? 2 : 2.5;
    g.lineWidth = 0.8;
    g.strokeStyle = this.colors.background;
    for (let i = 0; i + 2 < grid.points.length; i += 3) {
      const cls = grid.points[i + 2];
      const p = pointPixel(grid, layout, grid.points[i], grid.points[i + 1]);
      const shape = classShape(cls);
      const path = shape === 'circle' ? circle(p.x, p.y, radius) : new Path2D(shapePath(shape, p.x, p.y, radius));
      g.fillStyle = palette[cls % palette.length];
      g.fill(path);
      g.stroke(path);
    }
    g.strokeStyle = this.colors.grid;
    g.strokeRect(layout.left + 0.5, layout.top + 0.5, layout.width - 1, layout.height - 1);
    const shown = predictedClasses(grid);
    this.canvas.dataset.step = String(grid.step);
    this.canvas.dataset.classes = String(shown.length);
    this.note.textContent = `Step ${grid.step.toLocaleString('en-US')} · ${n}×${n} grid, evaluation mode · ${grid.points.length / 3} training points · predicts ${shown.length} of ${grid.classes} classes`;
    this.legend.replaceChildren(
      ...Array.from({ length: grid.classes }, (_, k) => {
        const glyph = h('span', { class: 'class-glyph', 'aria-hidden': 'true' }, SHAPE_GLYPH[classShape(k)]);
        glyph.style.color = palette[k % palette.length];
        return h('li', { 'data-class': String(k) }, glyph, ` ${className(grid, k)}`);
      }),
    );
  }

  private export(format: 'png' | 'svg'): void {
    const grid = this.grid;
    if (!grid) {
      return;
    }
    const data =
      format === 'png'
        ? canvasPng(this.canvas, this.colors.background)
        : figureToSvg(boundaryFigure(grid, this.canvas.clientWidth, this.canvas.clientHeight, classPalette(this.colors.palette), { background: this.colors.background, foreground: this.colors.foreground, muted: this.colors.muted, grid: this.colors.grid }, `${this.title === TITLE ? TITLE : `${TITLE} of ${this.title}`} at step ${grid.step}`));
    this.send(ID, format, data);
  }

  destroy(): void {
    this.resize.disconnect();
    unwatchVisibility(this.figure);
  }
}

function circle(x: number, y: number, r: number): Path2D {
  const p = new Path2D();
  p.arc(x, y, r, 0, 2 * Math.PI);
  return p;
}
