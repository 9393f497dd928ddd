import { DataFileError, SpecError } from '../core/errors';
import type { WorkerFailure } from './protocol';

/** Turns whatever was thrown while preparing a run into a located, serializable failure. */
export function describeFailure(e: unknown): WorkerFailure {
  if (e instanceof SpecError) {
    return { kind: 'spec', message: e.message, path: e.path };
  }
  if (e instanceof DataFileError) {
    return { kind: 'data-file', message: e.message, file: e.file, line: e.line, column: e.column };
  }
  const err = e instanceof Error ? e : new Error(String(e));
  return { kind: 'internal', message: err.message, stack: err.stack };
}
