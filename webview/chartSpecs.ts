/**
 * The dashboard's charts, as series of the run's digest (engine/series/recordSeries.ts names them).
 */
import { TOTAL_GRAD_NORM } from '../contract/series';
import { UPDATE_RATIO_REFERENCE } from '../contract/probeSeries';
import type { SeriesChartSpec } from './seriesChart';

export const LOSS_CHART: SeriesChartSpec = {
  id: 'loss-chart',
  title: 'Loss',
  yLabel: 'loss',
  scale: 'linear',
  logToggle: true,
  findingMarkers: true,
  lines: [
    { key: 'loss', label: 'train (batch)', color: 'step', batch: true, smooth: true },
    { key: 'train_loss', label: 'train', color: 'train' },
    { key: 'val_loss', label: 'validation', color: 'validation' },
    { key: 'test_loss', label: 'test', color: 'test', dashed: true },
  ],
};

export const ACCURACY_CHART: SeriesChartSpec = {
  id: 'accuracy-chart',
  title: 'Accuracy',
  yLabel: 'accuracy',
  scale: 'percent',
  lines: [
    { key: 'train_accuracy', label: 'train', color: 'train' },
    { key: 'val_accuracy', label: 'validation', color: 'validation' },
    { key: 'test_accuracy', label: 'test', color: 'test', dashed: true },
  ],
};

/** Shown only when the learning rate or the momentum changes during the run (else they are headline numbers). */
export const LR_CHART: SeriesChartSpec = {
  id: 'lr-chart',
  title: 'Learning rate and momentum',
  yLabel: 'lr',
  scale: 'log',
  lines: [
    { key: 'lr', label: 'learning rate', color: 'lr', numberWhenConstant: true },
    { key: 'momentum', label: 'momentum', color: 'validation', dashed: true, rightAxis: 'momentum', numberWhenConstant: true },
  ],
};

export const DEAD_RELU_CHART: SeriesChartSpec = {
  id: 'dead-relu-chart',
  title: 'Dead ReLU units',
  yLabel: 'units dead on the probe batch',
  scale: 'count',
  lines: [{ prefix: 'dead', label: 'dead units', color: 'palette' }],
};

export const SATURATION_CHART: SeriesChartSpec = {
  id: 'saturation-chart',
  title: 'Saturated tanh / sigmoid outputs',
  yLabel: 'saturated',
  scale: 'percent',
  lines: [{ prefix: 'saturation', label: 'saturated', color: 'palette' }],
};

export const UPDATE_RATIO_CHART: SeriesChartSpec = {
  id: 'update-ratio-chart',
  title: 'Update / weight ratio ‖Δθ‖ / ‖θ‖',
  yLabel: 'ratio (log)',
  scale: 'log',
  reference: { y: UPDATE_RATIO_REFERENCE, label: '~1e-3' },
  lines: [{ prefix: 'update_ratio', label: 'update ratio', color: 'palette' }],
};

export const GRAD_NORM_CHART: SeriesChartSpec = {
  id: 'grad-norm-chart',
  title: 'Gradient norms ‖∇θ‖',
  yLabel: 'norm (log)',
  scale: 'log',
  lines: [
    { prefix: 'param_grad_norm', label: 'gradient norm', color: 'palette' },
    { key: TOTAL_GRAD_NORM, label: 'total', color: 'foreground', dashed: true },
  ],
};

export const OVER_TIME_CHARTS: readonly SeriesChartSpec[] = [DEAD_RELU_CHART, SATURATION_CHART, UPDATE_RATIO_CHART, GRAD_NORM_CHART];
