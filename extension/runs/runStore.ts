import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isRunId, type RunState } from '../../contract/messages';
import { listRuns, readMeta, type RunMeta } from '../../engine/runs/runFiles';
import { readDigest } from '../../engine/runs/runReader';
import { Run } from './run';
import type { RunManager } from './runManager';
import { allRunsDirectories } from './workspacePaths';

export interface StoredRun {
  meta: RunMeta;
  dir: string;
  /** The state to show: a run that says 'running' but is not live in this window was interrupted. */
  state: RunState;
}

/**
 * The runs kept on disk (by this window, an earlier one, or the command-line runner), read from the
 * runs folder of every workspace folder.
 */
export class RunStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  /** Read once per change: the Runs view and every code lens request use the list. */
  private cached: StoredRun[] | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly runs: RunManager,
    private readonly log?: vscode.LogOutputChannel,
  ) {
    this.subscriptions = [runs.onDidStartRun(() => this.refresh()), runs.onDidEndRun(() => this.refresh())];
  }

  refresh(): void {
    this.cached = undefined;
    this.changed.fire();
  }

  /** Newest first. */
  list(): StoredRun[] {
    this.cached ??= this.read();
    return this.cached;
  }

  /** The newest kept run of an experiment file (and variant), for the outcome lens. */
  latest(file: string, variant: string | undefined): StoredRun | undefined {
    return this.list().find(r => r.meta.file === file && r.meta.variant === variant);
  }

  private read(): StoredRun[] {
    const out: StoredRun[] = [];
    for (const dir of allRunsDirectories()) {
      for (const meta of listRuns(dir)) {
        out.push({ meta, dir: path.join(dir, meta.id), state: this.stateOf(meta) });
      }
    }
    return out.sort((a, b) => b.meta.started_at.localeCompare(a.meta.started_at));
  }

  private stateOf(meta: RunMeta): RunState {
    const live = this.runs.get(meta.id);
    if (live) {
      return live.state;
    }
    return meta.status === 'running' ? 'interrupted' : meta.status;
  }

  /** A run by id: the live one if this window has it, else loaded from its folder. */
  open(runId: string): Run | undefined {
    if (!isRunId(runId)) {
      return undefined;
    }
    const known = this.runs.get(runId);
    if (known) {
      return known;
    }
    for (const dir of allRunsDirectories()) {
      const runDir = path.join(dir, runId);
      if (fs.existsSync(path.join(runDir, 'run.json'))) {
        return this.runs.remember(this.load(runDir));
      }
    }
    return undefined;
  }

  /** Reads the run's digest (series.bin and what metrics.bin holds after it), never its records. */
  private load(dir: string): Run {
    const started = Date.now();
    const meta = readMeta(dir);
    const { digest, torn, format } = readDigest(dir);
    this.log?.info(`opened run ${meta.id} (${format}${torn > 0 ? `, ${torn} bytes of a last record cut off` : ''}) in ${Date.now() - started} ms`);
    const folder = vscode.workspace.workspaceFolders?.find(f => dir.startsWith(f.uri.fsPath + path.sep));
    const experimentPath = folder ? path.resolve(folder.uri.fsPath, meta.file) : undefined;
    return new Run(
      {
        id: meta.id,
        dir,
        experiment: meta.experiment,
        variant: meta.variant,
        experimentUri: experimentPath && fs.existsSync(experimentPath) ? vscode.Uri.file(experimentPath) : undefined,
        file: meta.file,
        startedAt: meta.started_at,
      },
      {
        state: meta.status === 'running' ? 'interrupted' : meta.status,
        header: meta.header,
        summary: meta.summary,
        error: meta.summary?.error ?? (meta.status === 'running' ? 'interrupted: the window or process closed while it was training' : undefined),
        digest,
      },
    );
  }

  delete(runId: string): void {
    if (!isRunId(runId)) {
      return;
    }
    for (const dir of allRunsDirectories()) {
      const runDir = path.join(dir, runId);
      if (fs.existsSync(path.join(runDir, 'run.json'))) {
        fs.rmSync(runDir, { recursive: true, force: true });
      }
    }
    this.runs.forget(runId);
    this.refresh();
  }

  dispose(): void {
    this.changed.dispose();
    this.subscriptions.forEach(s => s.dispose());
  }
}
