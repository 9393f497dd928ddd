import { describe, expect, it } from 'vitest';
import { csvField, metricsCsv, metricsJson, type ExportedRun } from '../../../contract/metricsExport';

const RUNS: ExportedRun[] = [
  {
    runId: '20261205-100000-optimizer-comparison',
    experiment: 'Optimizer comparison',
    label: 'base · optimizer sgd, lr 0.1',
    startedAt: '2026-12-05T10:00:00.000Z',
    status: 'completed',
    settings: { 'optimizer.type': 'sgd', 'optimizer.lr': 0.1 },
    epochs: [
      { epoch: 1, step: 15, train_loss: 1.05, train_accuracy: 0.5, val_loss: 1.1, val_accuracy: 0.45, lr: 0.1, elapsed_ms: 12 },
      { epoch: 2, step: 30, train_loss: 0.9, train_accuracy: 0.6, val_loss: 0.95, val_accuracy: 0.55, lr: 0.1, elapsed_ms: 20 },
    ],
  },
  {
    runId: '20261205-100001-optimizer-comparison--sgd-lr-too-high',
    experiment: 'Optimizer comparison',
    variant: 'sgd_lr_too_high',
    label: 'sgd_lr_too_high · lr 3, "hot"',
    startedAt: '2026-12-05T10:00:01.000Z',
    status: 'failed',
    settings: { 'optimizer.type': 'sgd', 'optimizer.lr': 3 },
    epochs: [{ epoch: 1, step: 15, train_loss: Infinity, lr: 3, elapsed_ms: 9 }],
  },
];

describe('metrics as CSV', () => {
  it('one row per run and epoch, the differing settings as columns, empty cells for what a run lacks', () => {
    const lines = metricsCsv(RUNS, ['optimizer.lr']).split('\r\n');
    expect(lines[0]).toBe('run_id,experiment,variant,label,optimizer.lr,epoch,step,train_loss,train_accuracy,val_loss,val_accuracy,lr,elapsed_ms');
    expect(lines[1]).toBe('20261205-100000-optimizer-comparison,Optimizer comparison,,base · optimizer sgd, lr 0.1,0.1,1,15,1.05,0.5,1.1,0.45,0.1,12'.replace('base · optimizer sgd, lr 0.1', '"base · optimizer sgd, lr 0.1"'));
    expect(lines[3]).toBe('20261205-100001-optimizer-comparison--sgd-lr-too-high,Optimizer comparison,sgd_lr_too_high,"sgd_lr_too_high · lr 3, ""hot""",3,1,15,Infinity,,,,3,9');
    expect(lines).toHaveLength(5);
    expect(lines[4]).toBe('');
  });

  it('quotes what needs quoting and defuses spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-1+2')).toBe("'-1+2");
    expect(csvField(-1.5)).toBe('-1.5');
    expect(csvField(null)).toBe('');
    expect(csvField(false)).toBe('false');
  });
});

describe('metrics as JSON', () => {
  it('keeps every run with its settings and epochs, non-finite numbers as words', () => {
    const parsed = JSON.parse(metricsJson(RUNS));
    expect(parsed.format).toBe('trainscope-metrics');
    expect(parsed.runs).toHaveLength(2);
    expect(parsed.runs[0].epochs[1]).toEqual(RUNS[0].epochs[1]);
    expect(parsed.runs[1].epochs[0].train_loss).toBe('Infinity');
    expect(parsed.runs[1].settings['optimizer.lr']).toBe(3);
  });
});
