import { settingsAsResolvedToday } from '../../engine/runs/recordedSettings';
import { readMeta, type RunMeta } from '../../engine/runs/runFiles';

/**
 * The resolved settings of runs (from each run.json, as today's format resolves them: a run from
 * before an option existed has its default), read once per run: they never change after the run
 * was created. A name given later (Rename) is read again each time.
 */
export class RunSpecs {
  private readonly specs = new Map<string, unknown>();

  spec(runId: string, dir: string): unknown {
    let spec = this.specs.get(runId);
    if (spec === undefined) {
      try {
        spec = settingsAsResolvedToday(readMeta(dir).spec);
      } catch {
        // run.json unreadable (the folder is going away): the run differs in nothing known.
        spec = {};
      }
      this.specs.set(runId, spec);
    }
    return spec;
  }

  /** The run's meta, or undefined when run.json cannot be read. */
  meta(dir: string): RunMeta | undefined {
    try {
      return readMeta(dir);
    } catch {
      return undefined;
    }
  }

  forget(runId: string): void {
    this.specs.delete(runId);
  }
}
