import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import type { RunWriter } from '../../engine/runs/runFiles';
import type { RunDigest } from '../../engine/series/digest';
import type { RunSummary } from '../../engine/train/events';
import type { FromWorkerWithCheckpoints, RunEvent, ToWorker, WorkerCheckpoint, WorkerFailure } from '../../engine/worker/protocol';
import type { Run } from './run';

/**
 * How long a run may take to stop by itself after Stop before its worker is ended: the worker
 * stops between steps, so only a single step longer than this (a huge batch on a wide model) makes
 * the host end the worker. Either way the run is "stopped" within a second of the click.
 */
export const STOP_GRACE_MS = 300;

/** Epoch lines in the output channel: one every ten seconds (a small model runs thousands a second). */
const EPOCH_LOG_EVERY_MS = 10_000;

export interface LiveRunHooks {
  /** Shows a failure where it came from (an experiment key, a data file's cell). */
  reportFailure(failure: WorkerFailure): void;
  /** The run has ended, whichever way: the manager forgets the worker. */
  ended(live: LiveRun): void;
}

/**
 * One run training in a worker thread in this window. The worker records the run's records into
 * the run folder itself and posts deltas of the digest; this side applies them to the Run (bounded
 * memory), acknowledges each (so the worker never gets ahead of the host by more than one), writes
 * run.json when the run starts and ends, and saves checkpoints. Stop: the Run says "stopping" at
 * once; the worker ends the run at its next step, or is ended after STOP_GRACE_MS.
 */
export class LiveRun {
  private ended = false;
  private stopTimer: ReturnType<typeof setTimeout> | undefined;
  private stopRequestedAt: number | undefined;
  private readonly startedAt = Date.now();
  private lastEpochLog = 0;

  constructor(
    readonly run: Run,
    private readonly worker: Worker,
    private readonly writer: RunWriter,
    private readonly log: vscode.LogOutputChannel,
    private readonly hooks: LiveRunHooks,
    /** Where `checkpoint.save` goes (absolute), if the experiment saves checkpoints. */
    private readonly checkpointPath: string | undefined,
  ) {
    worker.on('message', (m: FromWorkerWithCheckpoints) => this.onMessage(m));
    worker.on('error', e => this.endWithError(`the training worker crashed: ${e.message}`));
    worker.on('exit', code => {
      if (!this.ended) {
        this.endWithError(`the training worker exited unexpectedly (code ${code})`);
      }
    });
  }

  get isEnded(): boolean {
    return this.ended;
  }

  start(message: Extract<ToWorker, { type: 'start' }>): void {
    this.worker.postMessage({ ...message, runDir: this.writer.dir } satisfies ToWorker);
  }

  /** Asks the run to stop: "stopping" at once, "stopped" when the worker has ended it or been ended. */
  stop(): void {
    if (this.ended || this.stopTimer) {
      return;
    }
    this.stopRequestedAt = Date.now();
    this.worker.postMessage({ type: 'stop' } satisfies ToWorker);
    this.run.update({ state: 'stopping' });
    this.log.info(`■ ${this.run.title}: stop requested`);
    this.stopTimer = setTimeout(() => this.endWorker(), STOP_GRACE_MS);
  }

  /**
   * The window is closing: end the worker and record the run as stopped with what it has. Nothing
   * else is told (the output channel and the views are going away with the window).
   */
  closeForWindow(): void {
    if (this.ended) {
      return;
    }
    this.ended = true;
    clearTimeout(this.stopTimer);
    void this.worker.terminate();
    this.writer.write({ type: 'finished', summary: partialSummary(this.run.digest, 'stopped', this.elapsed(), 'the window was closed while training') });
  }

  private onMessage(m: FromWorkerWithCheckpoints): void {
    if (this.ended) {
      return;
    }
    switch (m.type) {
      case 'delta':
        this.run.applyDelta(m.delta);
        this.worker.postMessage({ type: 'ack' } satisfies ToWorker);
        this.logEpoch();
        break;
      case 'event':
        this.onEvent(m.event);
        break;
      case 'checkpoint':
        this.saveCheckpoint(m);
        break;
      case 'error':
        this.hooks.reportFailure(m.failure);
        if (m.failure.kind === 'internal') {
          this.log.error(`${this.run.title}: internal error: ${m.failure.stack ?? m.failure.message}`);
        }
        this.endWithError(m.phase === 'setup' ? m.failure.message : `training stopped by an internal error: ${m.failure.message}`);
        break;
    }
  }

  private onEvent(e: RunEvent): void {
    const run = this.run;
    switch (e.type) {
      case 'started':
        this.writer.write(e);
        // A Stop pressed before the first step keeps its "stopping".
        run.update({ state: run.state === 'stopping' ? 'stopping' : 'running', header: e.header });
        this.log.info(
          `${run.title}: ${e.header.layers.join(' → ')}, ${e.header.parameters} parameters; ` +
            `${e.header.data.train} training / ${e.header.data.validation} validation examples; ${e.header.totalSteps} steps`,
        );
        break;
      case 'log':
        this.log[e.level === 'warning' ? 'warn' : e.level](`${run.title}: ${e.message}`);
        break;
      case 'finished':
        this.logEpoch(true);
        this.finish(e.summary);
        break;
    }
  }

  private logEpoch(force = false): void {
    const r = this.run.digest.lastEpoch;
    const now = Date.now();
    if (!r || (!force && now - this.lastEpochLog < EPOCH_LOG_EVERY_MS)) {
      return;
    }
    this.lastEpochLog = now;
    const acc = r.train_accuracy !== undefined ? ` acc ${(r.train_accuracy * 100).toFixed(1)}%` : '';
    const val = r.val_loss !== undefined ? ` · val loss ${r.val_loss.toFixed(4)}` : '';
    const vacc = r.val_accuracy !== undefined ? ` acc ${(r.val_accuracy * 100).toFixed(1)}%` : '';
    const test = r.test_accuracy !== undefined ? ` · test acc ${(r.test_accuracy * 100).toFixed(1)}%` : '';
    this.log.info(`${this.run.title}: epoch ${r.epoch}/${this.run.header?.epochs ?? '?'} · loss ${r.train_loss.toFixed(4)}${acc}${val}${vacc}${test}`);
  }

  /** Written through a temporary file, so a crash mid-write never leaves half a checkpoint. */
  private saveCheckpoint(c: WorkerCheckpoint): void {
    const file = this.checkpointPath;
    if (!file) {
      return;
    }
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(`${file}.tmp`, c.bytes);
      fs.renameSync(`${file}.tmp`, file);
      this.log.info(`${this.run.title}: checkpoint after epoch ${c.epoch} (step ${c.step}) saved to ${vscode.workspace.asRelativePath(file)}`);
    } catch (e) {
      this.log.error(`${this.run.title}: could not save the checkpoint to ${file}: ${(e as Error).message}`);
      void vscode.window.showErrorMessage(`Trainscope could not save the checkpoint of ${this.run.title}: ${(e as Error).message}`);
    }
  }

  /** Stop did not end the run in time (a single long step): end the worker, keep what was recorded. */
  private endWorker(): void {
    if (this.ended) {
      return;
    }
    const step = this.run.digest.step;
    this.log.info(`■ ${this.run.title}: the step in progress was taking long; ended the worker (recorded up to step ${step})`);
    this.finish(
      partialSummary(this.run.digest, 'stopped', this.elapsed(), `stopped during step ${step + 1}, which was abandoned; everything up to step ${step} is kept`),
    );
  }

  private endWithError(error: string): void {
    if (this.ended) {
      return;
    }
    this.finish(partialSummary(this.run.digest, 'failed', this.elapsed(), error));
  }

  private finish(summary: RunSummary): void {
    if (this.ended) {
      return;
    }
    this.ended = true;
    clearTimeout(this.stopTimer);
    void this.worker.terminate();
    this.writer.write({ type: 'finished', summary });
    this.run.update({ state: summary.status, summary, error: summary.error });
    const final = summary.final;
    const outcome =
      summary.status === 'failed'
        ? `failed: ${summary.error}`
        : `${summary.status} after ${summary.epochs} epochs, ${summary.steps} steps in ${(summary.elapsed_ms / 1000).toFixed(1)} s` +
          (final ? ` · loss ${final.train_loss.toFixed(4)}${final.val_loss !== undefined ? ` · val loss ${final.val_loss.toFixed(4)}` : ''}` : '') +
          (summary.test ? ` · test loss ${summary.test.loss.toFixed(4)}${summary.test.accuracy !== undefined ? ` acc ${(summary.test.accuracy * 100).toFixed(1)}%` : ''}` : '');
    const afterStop = this.stopRequestedAt !== undefined ? ` (${Date.now() - this.stopRequestedAt} ms after Stop)` : '';
    (summary.status === 'failed' ? this.log.error : this.log.info).call(this.log, `${this.run.title}: ${outcome}${afterStop}`);
    this.hooks.ended(this);
  }

  private elapsed(): number {
    return Date.now() - this.startedAt;
  }
}

/** A summary made on the host from the run's digest, when the worker could not send one. */
export function partialSummary(digest: RunDigest, status: RunSummary['status'], elapsedMs: number, error: string): RunSummary {
  const last = digest.lastEpoch;
  const steps = digest.step;
  const elapsed = last && last.step === steps ? last.elapsed_ms : elapsedMs;
  const summary: RunSummary = {
    status,
    epochs: last?.epoch ?? 0,
    steps,
    elapsed_ms: elapsed,
    steps_per_second: elapsed > 0 ? (steps * 1000) / elapsed : 0,
    error,
  };
  if (last) {
    const { kind: _kind, ...final } = last;
    summary.final = final;
  }
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of digest.findings) counts[f.severity]++;
  if (digest.findings.length > 0) summary.findings = counts;
  return summary;
}
