import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import { RULES } from '../../engine/diagnostics/catalogue';
import type { ParsedExperiment } from '../../engine/experiment/parse';
import { RunWriter } from '../../engine/runs/runFiles';
import type { ToWorker } from '../../engine/worker/protocol';
import { LiveRun } from './liveRun';
import { Run } from './run';
import { RunFailures } from './runFailures';
import { resolveDataPath, resolveWritePath, runsDirectory } from './workspacePaths';

/** What to train: an experiment document and, optionally, one of its variants. */
export interface TrainTarget {
  document: vscode.TextDocument;
  parsed: ParsedExperiment;
  variant?: string;
}

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

    // Data files are read here, on the host, which alone enforces that they stay in the workspace.
    const files: Record<string, string> = {};
    if (spec.data.type === 'csv') {
      const where = resolveDataPath(document.uri.fsPath, folder, spec.data.path);
      if ('error' in where) {
        this.failures.report(target, { kind: 'spec', message: where.error, path: ['data', 'path'] });
        return undefined;
      }
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.file(where.path));
      files[spec.data.path] = new TextDecoder('utf-8').decode(bytes);
    }

    // Checkpoints are files too: `load` is read here like a data file, `save` is written here.
    let checkpoint: Uint8Array | undefined;
    let checkpointPath: string | undefined;
    const checkpointSpec = (spec as { checkpoint?: { load?: string; save?: string } }).checkpoint;
    if (checkpointSpec?.load) {
      const where = resolveDataPath(document.uri.fsPath, folder, checkpointSpec.load);
      if ('error' in where) {
        this.failures.report(target, { kind: 'spec', message: where.error.replace(/^data /, 'checkpoint '), path: ['checkpoint', 'load'] });
        return undefined;
      }
      checkpoint = await vscode.workspace.fs.readFile(vscode.Uri.file(where.path));
    }
    if (checkpointSpec?.save) {
      const where = resolveWritePath(document.uri.fsPath, folder, checkpointSpec.save);
      if ('error' in where) {
        this.failures.report(target, { kind: 'spec', message: where.error, path: ['checkpoint', 'save'] });
        return undefined;
      }
      checkpointPath = where.path;
    }

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
