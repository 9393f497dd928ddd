/**
 * The worker's side of a live run, without a thread: every record goes to the run folder at each
 * slice, deltas wait for the host's acknowledgement (a busy host gets fewer, larger deltas, never a
 * queue), the run's end comes after its last delta, and Stop ends the run keeping everything.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseExperiment } from '../../../engine/experiment/parse';
import { loadData } from '../../../engine/data/kinds';
import { readDigest, readRecords } from '../../../engine/runs/runReader';
import { RunDigest } from '../../../engine/series/digest';
import type { MetricRecord } from '../../../engine/train/events';
import { TrainingSession } from '../../../engine/train/session';
import type { FromWorker } from '../../../engine/worker/protocol';
import { WorkerRun } from '../../../engine/worker/workerRun';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trainscope-worker-run-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function setup(epochs: number, options: { ack?: boolean } = {}) {
  const spec = parseExperiment(
    JSON.stringify({ data: { type: 'blobs', samples: 200 }, model: [{ type: 'linear' }], optimizer: { type: 'sgd', lr: 0.05 }, training: { epochs, batch_size: 1 } }),
    'w.experiment.json',
  ).resolve(undefined)!.spec;
  const emitted: MetricRecord[] = [];
  const posted: FromWorker[] = [];
  let clock = 0;
  let sessionClock = 0;
  // Made after the session, which calls it back through onEvent (it emits nothing before running).
  // eslint-disable-next-line prefer-const
  let run: WorkerRun;
  const session = new TrainingSession(spec, loadData(spec.data, { bytes: () => new Uint8Array() }), {
    // A millisecond per step: a slice of 30 ms is 30 steps.
    now: () => sessionClock++,
    onEvent: e => {
      if (e.type === 'records') emitted.push(...e.records);
      run.onEvent(e);
    },
  });
  run = new WorkerRun({
    session,
    runDir: dir,
    // Each slice advances the clock past the delta interval: a delta is due after every slice.
    now: () => (clock += 50),
    post: m => {
      posted.push(m);
      if (m.type === 'delta' && options.ack) run.ack();
    },
  });
  return { run, emitted, posted };
}

describe('WorkerRun', () => {
  it('records every record into the run folder and sends a digest the host can rebuild', () => {
    const { run, emitted, posted } = setup(20, { ack: true });
    while (!run.slice()) {
      // slices until the run ends
    }
    expect(readRecords(dir)).toEqual(emitted);
    const host = new RunDigest();
    for (const m of posted) if (m.type === 'delta') host.apply(m.delta);
    const { madeAt: _a, ...received } = host.snapshot();
    const { madeAt: _b, ...onDisk } = readDigest(dir).digest.snapshot();
    expect(received).toEqual(onDisk);
    expect(host.counts.steps).toBe(emitted.filter(r => r.kind === 'step').length);
    // The run's end comes after its last delta.
    const kinds = posted.map(m => (m.type === 'event' ? m.event.type : m.type));
    expect(kinds[0]).toBe('started');
    expect(kinds.at(-1)).toBe('finished');
    expect(kinds.lastIndexOf('delta')).toBeLessThan(kinds.indexOf('finished'));
  });

  it('a host that does not acknowledge gets one delta, then the rest merged into the last one', () => {
    const { run, emitted, posted } = setup(20);
    let slices = 0;
    while (!run.slice()) slices++;
    expect(slices).toBeGreaterThan(3);
    const deltas = posted.filter((m): m is Extract<FromWorker, { type: 'delta' }> => m.type === 'delta');
    expect(deltas).toHaveLength(2);
    const host = new RunDigest();
    deltas.forEach(d => host.apply(d.delta));
    expect(host.counts.steps).toBe(emitted.filter(r => r.kind === 'step').length);
    expect(host.lastStep).toEqual(emitted.filter(r => r.kind === 'step').at(-1));
  });

  it('Stop ends the run at the next slice as stopped, with everything recorded', () => {
    const { run, emitted, posted } = setup(1000, { ack: true });
    run.slice();
    run.slice();
    run.stop();
    expect(run.slice()).toBe(true);
    const finished = posted.find(m => m.type === 'event' && m.event.type === 'finished');
    expect(finished).toMatchObject({ event: { summary: { status: 'stopped' } } });
    expect(readRecords(dir)).toEqual(emitted);
    expect(fs.existsSync(path.join(dir, 'series.bin'))).toBe(true);
  });
});
