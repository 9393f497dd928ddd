import * as vscode from 'vscode';
import type { RunSnapshot, RunState } from '../../contract/messages';
import { RunDigest, type DigestDelta } from '../../engine/series/digest';
import type { RunHeader, RunSummary } from '../../engine/train/events';

/** What changed in a run, so views can send deltas instead of snapshots. */
export type RunChange = { kind: 'delta'; delta: DigestDelta } | { kind: 'state' };

export interface RunIdentity {
  /** The run folder's name: unique and stable across reloads. */
  id: string;
  /** Absolute path of the run folder. */
  dir: string;
  experiment: string;
  variant?: string;
  /** The experiment file, if it still exists in the workspace. */
  experimentUri?: vscode.Uri;
  /** Workspace-relative path of the experiment file, for display. */
  file: string;
  startedAt: string;
}

/**
 * One training run as the UI knows it: live (a worker is training it in this window) or loaded from
 * its folder on disk. It holds the run's digest — every series summarized in bounded buckets, the
 * latest records, the findings — never its records: a run of any length takes the same memory.
 * Views subscribe to `onDidChange`.
 */
export class Run implements vscode.Disposable {
  state: RunState;
  header?: RunHeader;
  summary?: RunSummary;
  error?: string;
  readonly digest: RunDigest;

  private readonly changed = new vscode.EventEmitter<RunChange>();
  readonly onDidChange = this.changed.event;

  constructor(
    readonly identity: RunIdentity,
    init: { state: RunState; header?: RunHeader; summary?: RunSummary; error?: string; digest?: RunDigest },
  ) {
    this.state = init.state;
    this.header = init.header;
    this.summary = init.summary;
    this.error = init.error;
    this.digest = init.digest ?? new RunDigest();
  }

  get id(): string {
    return this.identity.id;
  }

  get title(): string {
    return this.identity.variant ? `${this.identity.experiment} · ${this.identity.variant}` : this.identity.experiment;
  }

  /** Training (or being stopped): a worker is attached. */
  get isActive(): boolean {
    return this.state === 'starting' || this.state === 'running' || this.state === 'stopping';
  }

  applyDelta(delta: DigestDelta): void {
    this.digest.apply(delta);
    this.changed.fire({ kind: 'delta', delta });
  }

  update(patch: { state?: RunState; header?: RunHeader; summary?: RunSummary; error?: string }): void {
    Object.assign(this, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
    this.changed.fire({ kind: 'state' });
  }

  /** What a page shows of the run; `keep` leaves out series it does not draw. */
  snapshot(keep?: (key: string) => boolean): RunSnapshot {
    return {
      runId: this.id,
      title: this.title,
      file: this.identity.file,
      variant: this.identity.variant,
      state: this.state,
      startedAt: this.identity.startedAt,
      header: this.header,
      summary: this.summary,
      error: this.error,
      digest: this.digest.snapshot(keep),
    };
  }

  dispose(): void {
    this.changed.dispose();
  }
}
