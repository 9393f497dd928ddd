import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import { RULES } from '../../engine/diagnostics/catalogue';
import { RunWriter } from '../../engine/runs/runFiles';
import { prepareRun } from '../../engine/prepare/prepareRun';
import type { ToWorker } from '../../engine/worker/protocol';
import { LiveRun } from './liveRun';
import { Run } from './run';
import type { RunFailures } from './runFailures';
import type { TrainTarget } from './trainTarget';
import { runsDirectory } from './workspacePaths';

export type { TrainTarget } from './trainTarget';

/**
 * Starts, stops and tracks training runs. Each run trains in its own worker thread, which records
 * it into its run folder as it goes (so nothing is lost if the window closes); the views follow the
 * run's digest (see LiveRun).
 */
export class RunManager implements vscode.Disposable {
  private readonly live = new Map<string, { live: LiveRun; target: TrainTarget }>();
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
    return [...this.live.values()].map(l => l.live.run);
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
        return l.live.run;
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
      this.failures.reportAtKeys(target, prepared.problems);
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
    const live = new LiveRun(
      run,
      worker,
      writer,
      this.log,
      {
        reportFailure: failure => this.failures.report(target, failure),
        ended: ended => this.ended(ended),
      },
      checkpointPath,
    );
    this.live.set(run.id, { live, target });
    const message: ToWorker = { type: 'start', spec, files, checkpoint, saveCheckpoints: checkpointPath !== undefined };
    live.start(message);
    this.log.info(`▶ ${run.title}: started (${run.identity.file}${variant ? `, variant ${variant}` : ''}) → ${writer.dir}`);
    void vscode.commands.executeCommand('setContext', 'trainscope.running', true);
    this.startedEmitter.fire(run);
    return run;
  }

  /** Asks a run to stop: it says "stopping" at once and ends as 'stopped' with everything so far kept. */
  stop(runId: string): boolean {
    const l = this.live.get(runId);
    if (!l) {
      return false;
    }
    l.live.stop();
    return true;
  }

  private ended(live: LiveRun): void {
    if (!this.live.delete(live.run.id)) {
      return;
    }
    void vscode.commands.executeCommand('setContext', 'trainscope.running', this.live.size > 0);
    this.endedEmitter.fire(live.run);
  }

  /**
   * On window close or reload: stop every worker and record the runs as stopped, so their folders
   * say what happened and what they hold can be reopened.
   */
  dispose(): void {
    for (const { live } of [...this.live.values()]) {
      live.closeForWindow();
    }
    this.live.clear();
    this.known.forEach(r => r.dispose());
    this.startedEmitter.dispose();
    this.endedEmitter.dispose();
  }
}
