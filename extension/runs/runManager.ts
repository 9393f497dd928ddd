import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import { RULES } from '../../engine/diagnostics/catalogue';
import { RunWriter } from '../../engine/runs/runFiles';
import type { MetricRecord, RunSummary, TrainEvent } from '../../engine/train/events';
import type { FromWorkerWithCheckpoints, ToWorker, WorkerCheckpoint, WorkerFailure } from '../../engine/worker/protocol';
import { prepareRun } from '../../engine/prepare/prepareRun';
import { Run } from './run';
import type { RunFailures } from './runFailures';
import type { TrainTarget } from './trainTarget';
import { runsDirectory } from './workspacePaths';

export type { TrainTarget } from './trainTarget';

interface LiveRun {
  run: Run;
  worker: Worker;
  writer: RunWriter;
  target: TrainTarget;
  /** Where `checkpoint.save` goes (absolute), if the experiment saves checkpoints. */
  checkpointPath?: string;
}

/**
 * Starts, stops and tracks training runs. Each run trains in its own worker thread; its events are
 * written to the run folder as they arrive (so nothing is lost if the window closes) and re-emitted
 * for the views.
 */
export class RunManager implements vscode.Disposable {
  private readonly live = new Map<string, LiveRun>();
  private readonly known = new Map<string, Run>();
  private readonly startedEmitter = new vscode.EventEmitter<Run>();
  private readonly endedEmitter = new vscode.EventEmitter<Run>();
  /** A run started in this window. */
  readonly onDidStartRun = this.startedEmitter.event;
  /** A run of this window reached completed/stopped/failed. */
  readonly onDidEndRun = this.endedEmitter.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly failures: RunFailures,
  ) {}

  get liveRuns(): Run[] {
    return [...this.live.values()].map(l => l.run);
  }

  /** A run known to this window (live, finished here, or loaded from disk). */
  get(runId: string): Run | undefined {
    return this.known.get(runId);
  }

  remember(run: Run): Run {
    const existing = this.known.get(run.id);
    if (existing) {
      return existing;
    }
    this.known.set(run.id, run);
    return run;
  }

  forget(runId: string): void {
    if (!this.live.has(runId)) {
      this.known.get(runId)?.dispose();
      this.known.delete(runId);
    }
  }

  /** The live run for an experiment file and variant, if any. */
  findLive(uri: vscode.Uri, variant: string | undefined): Run | undefined {
    for (const l of this.live.values()) {
      if (l.target.document.uri.toString() === uri.toString() && l.target.variant === variant) {
        return l.run;
      }
    }
    return undefined;
  }

  /**
   * Starts training. Returns undefined (after telling the user why, at the place it came from) when
   * the experiment cannot run.
   */
  async start(target: TrainTarget): Promise<Run | undefined> {
    const { document, parsed, variant } = target;
    this.failures.clear(document.uri);
    const errors = parsed.problems.filter(p => p.severity === 'error');
    if (errors.length > 0) {
      const first = errors[0];
      void vscode.window.showErrorMessage(
        `${parsed.name} has ${errors.length} problem${errors.length > 1 ? 's' : ''} to fix before it can train: line ${first.line}: ${first.message}`,
      );
      void vscode.commands.executeCommand('workbench.actions.view.problems');
      return undefined;
    }
    const resolved = parsed.resolve(variant);
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    if (!resolved || !folder) {
      void vscode.window.showErrorMessage(
        folder ? `Variant '${variant}' was not found in ${parsed.name}.` : 'Open the folder that holds the experiment to train it.',
      );
      return undefined;
    }
    // The user may switch the diagnostic rules off for every run (a NaN loss still ends a run).
    const spec = vscode.workspace.getConfiguration('trainscope', document.uri).get<boolean>('diagnostics.enabled', true)
      ? resolved.spec
      : { ...resolved.spec, diagnostics: { ...resolved.spec.diagnostics, disabled: RULES.map(r => r.id) } };

    // Files are read here, on the host, which alone enforces that they stay in the workspace.
    const prepared = await prepareRun(spec, document.uri.fsPath, { dir: folder.uri.fsPath, reason: 'the workspace folder' });
    if (!prepared.ok) {
      this.failures.report(target, { kind: 'spec', message: prepared.message, path: prepared.path });
      return undefined;
    }
    const { files, checkpoint, checkpointPath } = prepared.run;

    const writer = RunWriter.create(runsDirectory(folder), {
      experiment: spec.name,
      variant,
      file: vscode.workspace.asRelativePath(document.uri, false),
      spec,
    });
    const run = this.remember(
      new Run(
        {
          id: writer.id,
          dir: writer.dir,
          experiment: spec.name,
          variant,
          experimentUri: document.uri,
          file: vscode.workspace.asRelativePath(document.uri, false),
          startedAt: new Date().toISOString(),
        },
        { state: 'starting' },
      ),
    );

    const worker = new Worker(path.join(this.extensionUri.fsPath, 'dist', 'worker.js'));
    const liveRun: LiveRun = { run, worker, writer, target, checkpointPath };
    this.live.set(run.id, liveRun);
    worker.on('message', (m: FromWorkerWithCheckpoints) => this.onWorkerMessage(liveRun, m));
    worker.on('error', e => this.endWithError(liveRun, `the training worker crashed: ${e.message}`));
    worker.on('exit', code => {
      if (this.live.has(run.id)) {
        this.endWithError(liveRun, `the training worker exited unexpectedly (code ${code})`);
      }
    });
    const message: ToWorker = { type: 'start', spec, files, checkpoint, saveCheckpoints: checkpointPath !== undefined };
    worker.postMessage(message);
    this.log.info(`▶ ${run.title}: started (${run.identity.file}${variant ? `, variant ${variant}` : ''}) → ${writer.dir}`);
    void vscode.commands.executeCommand('setContext', 'trainscope.running', true);
    this.startedEmitter.fire(run);
    return run;
  }

  /** Asks a run to stop; it ends as 'stopped' with everything so far kept. */
  stop(runId: string): boolean {
    const l = this.live.get(runId);
    if (!l) {
      return false;
    }
    const message: ToWorker = { type: 'stop' };
    l.worker.postMessage(message);
    this.log.info(`■ ${l.run.title}: stop requested`);
    return true;
  }

  private onWorkerMessage(l: LiveRun, m: FromWorkerWithCheckpoints): void {
    switch (m.type) {
      case 'error':
        this.onFailure(l, m.failure, m.phase);
        break;
      case 'checkpoint':
        this.saveCheckpoint(l, m);
        break;
      case 'event':
        this.onTrainEvent(l, m.event);
        break;
    }
  }

  /** Written through a temporary file, so a crash mid-write never leaves half a checkpoint. */
  private saveCheckpoint(l: LiveRun, c: WorkerCheckpoint): void {
    if (!l.checkpointPath) {
      return;
    }
    try {
      fs.mkdirSync(path.dirname(l.checkpointPath), { recursive: true });
      fs.writeFileSync(`${l.checkpointPath}.tmp`, c.bytes);
      fs.renameSync(`${l.checkpointPath}.tmp`, l.checkpointPath);
      this.log.info(`${l.run.title}: checkpoint after epoch ${c.epoch} (step ${c.step}) saved to ${vscode.workspace.asRelativePath(l.checkpointPath)}`);
    } catch (e) {
      this.log.error(`${l.run.title}: could not save the checkpoint to ${l.checkpointPath}: ${(e as Error).message}`);
      void vscode.window.showErrorMessage(`Trainscope could not save the checkpoint of ${l.run.title}: ${(e as Error).message}`);
    }
  }

  private onTrainEvent(l: LiveRun, e: TrainEvent): void {
    l.writer.write(e);
    const run = l.run;
    switch (e.type) {
      case 'started':
        run.update({ state: 'running', header: e.header });
        this.log.info(
          `${run.title}: ${e.header.layers.join(' → ')}, ${e.header.parameters} parameters; ` +
            `${e.header.data.train} training / ${e.header.data.validation} validation examples; ${e.header.totalSteps} steps`,
        );
        break;
      case 'records':
        run.appendRecords(e.records);
        this.logEpochs(run, e.records);
        break;
      case 'log':
        this.log[e.level === 'warning' ? 'warn' : e.level](`${run.title}: ${e.message}`);
        break;
      case 'finished':
        this.finish(l, e.summary);
        break;
    }
  }

  private logEpochs(run: Run, records: MetricRecord[]): void {
    for (const r of records) {
      if (r.kind === 'epoch') {
        const acc = r.train_accuracy !== undefined ? ` acc ${(r.train_accuracy * 100).toFixed(1)}%` : '';
        const val = r.val_loss !== undefined ? ` · val loss ${r.val_loss.toFixed(4)}` : '';
        const vacc = r.val_accuracy !== undefined ? ` acc ${(r.val_accuracy * 100).toFixed(1)}%` : '';
        this.log.info(`${run.title}: epoch ${r.epoch}/${run.header?.epochs ?? '?'} · loss ${r.train_loss.toFixed(4)}${acc}${val}${vacc}`);
      }
    }
  }

  private onFailure(l: LiveRun, failure: WorkerFailure, phase: 'setup' | 'training'): void {
    this.failures.report(l.target, failure);
    const message = failure.message;
    if (failure.kind === 'internal') {
      this.log.error(`${l.run.title}: internal error: ${failure.stack ?? message}`);
    }
    this.endWithError(l, phase === 'setup' ? message : `training stopped by an internal error: ${message}`);
  }

  private endWithError(l: LiveRun, error: string): void {
    if (!this.live.has(l.run.id)) {
      return;
    }
    const summary = partialSummary(l.run.records, 'failed', error);
    l.writer.write({ type: 'finished', summary });
    this.finish(l, summary);
  }

  private finish(l: LiveRun, summary: RunSummary): void {
    if (!this.live.delete(l.run.id)) {
      return;
    }
    void l.worker.terminate();
    l.run.update({ state: summary.status, summary, error: summary.error });
    const final = summary.final;
    const outcome =
      summary.status === 'failed'
        ? `failed: ${summary.error}`
        : `${summary.status} after ${summary.epochs} epochs, ${summary.steps} steps in ${(summary.elapsed_ms / 1000).toFixed(1)} s` +
          (final ? ` · loss ${final.train_loss.toFixed(4)}${final.val_loss !== undefined ? ` · val loss ${final.val_loss.toFixed(4)}` : ''}` : '');
    (summary.status === 'failed' ? this.log.error : this.log.info).call(this.log, `${l.run.title}: ${outcome}`);
    void vscode.commands.executeCommand('setContext', 'trainscope.running', this.live.size > 0);
    this.endedEmitter.fire(l.run);
  }

  /**
   * On window close or reload: stop every worker and record the runs as stopped, so their folders
   * say what happened and what they hold can be reopened.
   */
  dispose(): void {
    for (const l of [...this.live.values()]) {
      const summary = partialSummary(l.run.records, 'stopped', 'the window was closed while training');
      l.writer.write({ type: 'finished', summary });
      this.live.delete(l.run.id);
      void l.worker.terminate();
    }
    this.known.forEach(r => r.dispose());
    this.startedEmitter.dispose();
    this.endedEmitter.dispose();
  }
}

/** A summary built on the host from the records received, when the worker could not send one. */
function partialSummary(records: readonly MetricRecord[], status: RunSummary['status'], error: string): RunSummary {
  let lastEpoch: Extract<MetricRecord, { kind: 'epoch' }> | undefined;
  let steps = 0;
  for (const r of records) {
    steps = Math.max(steps, r.step);
    if (r.kind === 'epoch') {
      lastEpoch = r;
    }
  }
  const elapsed = lastEpoch?.elapsed_ms ?? 0;
  const { kind: _kind, ...final } = lastEpoch ?? { kind: 'epoch' };
  return {
    status,
    epochs: lastEpoch?.epoch ?? 0,
    steps,
    elapsed_ms: elapsed,
    steps_per_second: elapsed > 0 ? (steps * 1000) / elapsed : 0,
    final: lastEpoch ? (final as RunSummary['final']) : undefined,
    error,
  };
}
