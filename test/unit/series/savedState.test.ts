/**
 * What a dashboard page keeps in VS Code's webview state (JSON): small, JSON-safe, and enough to
 * redraw the run's curves at once after a reload.
 */
import { describe, expect, it } from 'vitest';
import { RunDigest } from '../../../engine/series/digest';
import type { MetricRecord } from '../../../engine/train/events';
import { restoredSnapshot, saveState } from '../../../webview/savedState';
import records from '../../fixtures/runs/spiral-probes.records.json';
import { spikyLoss } from '../../fixtures/series/series';

const info = { runId: '20260101-000000-x', title: 'X', file: 'x.experiment.json', state: 'running' as const, startedAt: '2026-01-01T00:00:00.000Z' };

describe('the page\'s saved state', () => {
  it('survives JSON and gives back the curves (coarser), the latest records and the findings', () => {
    const digest = new RunDigest();
    (records as MetricRecord[]).forEach(r => digest.addRecord(r));
    for (const p of spikyLoss(100_000).points) digest.series.add('loss', p.x + 1000, p.y);
    const saved = JSON.parse(JSON.stringify(saveState({ run: info, digest })));
    expect(JSON.stringify(saved).length).toBeLessThan(200_000);
    const snapshot = restoredSnapshot(saved)!;
    expect(snapshot.runId).toBe(info.runId);
    const back = new RunDigest();
    back.apply(snapshot.digest);
    expect(back.lastStep).toEqual(digest.lastStep);
    expect(back.findings).toEqual(digest.findings);
    expect(back.series.get('loss')!.length).toBeLessThanOrEqual(128);
    expect(back.series.get('loss')!.range()).toEqual(digest.series.get('loss')!.range());
    // Probes are not kept (kilobytes each; the host sends them again).
    expect(back.probe).toBeUndefined();
  });

  it('a state of another shape is ignored', () => {
    expect(restoredSnapshot(undefined)).toBeUndefined();
    expect(restoredSnapshot({ runId: 'x' })).toBeUndefined();
    expect(restoredSnapshot({ run: { ...info, saved: { series: 'nope' } } } as never)).toBeUndefined();
  });
});
