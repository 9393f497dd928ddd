import * as esbuild from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExperiment } from '../../../engine/experiment/parse';
import type { ExperimentSpec } from '../../../engine/experiment/sections';
import type { FromWorkerWithCheckpoints, ToWorker } from '../../../engine/worker/protocol';

/** The worker as it ships (bundled like scripts/build.mjs does), run in a real worker thread. */
let dir: string;
let workerFile: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trainscope-worker-'));
  workerFile = path.join(dir, 'worker.js');
  await esbuild.build({
    entryPoints: [path.resolve(__dirname, '../../../engine/worker/trainWorker.ts')],
    outfile: workerFile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    mainFields: ['module', 'main'],
    logLevel: 'error',
  });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function spec(variant?: string): ExperimentSpec {
  const text = JSON.stringify({
    // 100 samples, 20% validation: 80 training examples, 4 steps of 20 per epoch.
    data: { type: 'moons', samples: 100 },
    model: [{ type: 'linear', out_features: 8 }, 'relu', 'linear'],
    optimizer: { type: 'adam', lr: 0.01 },
    training: { epochs: 4, batch_size: 20 },
    checkpoint: { save: 'run.safetensors', save_every: 2 },
    variants: { resume: { training: { epochs: 6 }, checkpoint: { load: 'run.safetensors', load_mode: 'resume' } } },
  });
  return parseExperiment(text, 'w.experiment.json').resolve(variant)!.spec;
}

/** Starts a worker and collects what it posts until the run's `finished` event. */
function runWorker(start: Extract<ToWorker, { type: 'start' }>): Promise<FromWorkerWithCheckpoints[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile);
    const messages: FromWorkerWithCheckpoints[] = [];
    worker.on('message', (m: FromWorkerWithCheckpoints) => {
      messages.push(m);
      if ((m.type === 'event' && m.event.type === 'finished') || m.type === 'error') {
        void worker.terminate().then(() => resolve(messages));
      }
    });
    worker.on('error', reject);
    worker.postMessage(start, start.checkpoint ? [start.checkpoint.buffer as ArrayBuffer] : []);
  });
}

describe('the training worker protocol: checkpoints', () => {
  it('posts each checkpoint (bytes, epoch, step, final) when the host asks, the last one before finished', async () => {
    const messages = await runWorker({ type: 'start', spec: spec(), files: {}, saveCheckpoints: true });
    const kinds = messages.map(m => (m.type === 'event' ? m.event.type : m.type));
    const checkpoints = messages.filter(m => m.type === 'checkpoint');
    expect(checkpoints.map(c => [c.epoch, c.step, c.final])).toEqual([
      [2, 8, false],
      [4, 16, true],
    ]);
    for (const c of checkpoints) expect(c.bytes).toBeInstanceOf(Uint8Array);
    expect(kinds.lastIndexOf('checkpoint')).toBeLessThan(kinds.indexOf('finished'));
  });

  it('posts none when the host did not ask', async () => {
    const messages = await runWorker({ type: 'start', spec: spec(), files: {} });
    expect(messages.some(m => m.type === 'checkpoint')).toBe(false);
    expect(messages.at(-1)).toMatchObject({ type: 'event', event: { type: 'finished', summary: { status: 'completed' } } });
  });

  it('resumes from the bytes given in start', async () => {
    const first = await runWorker({ type: 'start', spec: spec(), files: {}, saveCheckpoints: true });
    const last = first.filter(m => m.type === 'checkpoint').at(-1)!;
    const resumed = await runWorker({ type: 'start', spec: spec('resume'), files: {}, checkpoint: last.bytes });
    const started = resumed.find(m => m.type === 'event' && m.event.type === 'started');
    expect(started).toMatchObject({ event: { header: { resumed_from: { epoch: 4, step: 16 } } } });
    expect(resumed.at(-1)).toMatchObject({ event: { type: 'finished', summary: { status: 'completed', epochs: 6, steps: 24 } } });
  });

  it('a bad checkpoint is a spec failure at checkpoint.load', async () => {
    const messages = await runWorker({ type: 'start', spec: spec('resume'), files: {}, checkpoint: new TextEncoder().encode('nope') });
    expect(messages).toEqual([
      { type: 'error', phase: 'setup', failure: { kind: 'spec', message: expect.stringMatching(/^not a valid safetensors file/), path: ['checkpoint', 'load'] } },
    ]);
  });
});
