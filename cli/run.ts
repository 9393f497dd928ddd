/**
 * `trainscope run`: parse and check the experiment, load its data, train in short slices (so
 * Ctrl+C is handled between them and ends the run cleanly as 'stopped'), record the run folder,
 * and print the summary.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DataSplit } from '../engine/data/dataset';
import { loadData } from '../engine/data/load';
import { LIMITS } from '../engine/experiment/defaults';
import type { ParsedExperiment } from '../engine/experiment/parse';
import type { ExperimentSpec } from '../engine/experiment/spec';
import { DataFileError, SpecError } from '../engine/experiment/specError';
import { RunWriter } from '../engine/runs/runFiles';
import type { RunSummary, TrainEvent } from '../engine/train/events';
import { TrainingSession } from '../engine/train/session';
import { loadExperiment, printProblems, problemsFor } from './experimentFile';
import { headerLines, located, summaryLines } from './format';
import { EXIT, type CliIO } from './io';
import { displayPath, findWorkspaceRoot, resolveDataFile } from './paths';
import { Progress } from './progress';

export interface RunOptions {
  file: string;
  variant?: string;
  out?: string;
  quiet: boolean;
  json: boolean;
}

/** Training time per slice before yielding to the event loop (where Ctrl+C is noticed). */
const SLICE_MS = 100;

export const DEFAULT_RUNS_DIR = path.join('.trainscope', 'runs');

export async function runCommand(io: CliIO, options: RunOptions): Promise<number> {
  const loaded = loadExperiment(io, options.file);
  if (!loaded) return EXIT.badInput;
  const { parsed, shown, file } = loaded;

  if (options.variant !== undefined && !parsed.variants.some(v => v.name === options.variant)) {
    const names = parsed.variants.map(v => v.name);
    io.stderr(
      `error: ${shown} has no variant '${options.variant}'; ` +
        (names.length > 0 ? `its variants are: ${names.join(', ')}\n` : 'it has no variants\n'),
    );
    return EXIT.badInput;
  }
  printProblems(io, shown, problemsFor(parsed, options.variant));
  const resolved = parsed.resolve(options.variant);
  if (!resolved) {
    if (problemsFor(parsed, options.variant).every(p => p.severity !== 'error')) {
      io.stderr(`error: ${shown}: the experiment could not be resolved\n`);
    }
    return EXIT.badInput;
  }
  const spec = resolved.spec;

  // Data: synthetic, or a CSV file inside the workspace.
  const specError = (e: SpecError): number => {
    const at = parsed.locate(e.path, options.variant);
    io.stderr(located(shown, at.line, at.column, 'error', e.message));
    return EXIT.badInput;
  };
  let data: DataSplit;
  let dataShown = '';
  try {
    data = loadData(spec.data, dataPath => {
      const root = findWorkspaceRoot(file, io.cwd);
      const where = resolveDataFile(file, dataPath, root);
      if ('error' in where) throw new SpecError(where.error, ['data', 'path']);
      dataShown = displayPath(io.cwd, where.path);
      const size = fs.statSync(where.path).size;
      if (size > LIMITS.fileBytes) {
        throw new DataFileError(
          `the file is ${(size / 1024 / 1024).toFixed(0)} MB; Trainscope reads data files up to ${LIMITS.fileBytes / 1024 / 1024} MB`,
          dataPath,
          1,
          1,
        );
      }
      return fs.readFileSync(where.path, 'utf8');
    });
  } catch (e) {
    if (e instanceof SpecError) return specError(e);
    if (e instanceof DataFileError) {
      io.stderr(located(dataShown || e.file, e.line, e.column, 'error', e.message));
      return EXIT.badInput;
    }
    throw e;
  }

  let session: TrainingSession;
  const events: TrainEvent[] = [];
  try {
    session = new TrainingSession(spec, data, { onEvent: e => events.push(e) });
  } catch (e) {
    if (e instanceof SpecError) return specError(e);
    throw e;
  }
  return train(io, options, parsed, spec, session, events, shown);
}

async function train(
  io: CliIO,
  options: RunOptions,
  parsed: ParsedExperiment,
  spec: ExperimentSpec,
  session: TrainingSession,
  events: TrainEvent[],
  shown: string,
): Promise<number> {
  const runsDir = path.resolve(io.cwd, options.out ?? DEFAULT_RUNS_DIR);
  const writer = RunWriter.create(runsDir, { experiment: spec.name, variant: options.variant, file: shown, spec });
  const progress = new Progress(text => io.stderr(text), io.isTTY === true, spec.training.epochs);
  if (!options.quiet) io.stderr(headerLines(session.header));

  let summary: RunSummary | undefined;
  const deliver = (): void => {
    for (const e of events.splice(0)) {
      writer.write(e);
      if (e.type === 'records' && !options.quiet) {
        for (const r of e.records) if (r.kind === 'epoch') progress.epoch(r);
      } else if (e.type === 'log' && (!options.quiet || e.level !== 'info')) {
        progress.message(`${e.level === 'info' ? '' : `${e.level}: `}${e.message}`);
      } else if (e.type === 'finished') {
        summary = e.summary;
      }
    }
  };

  let interrupted = false;
  const unsubscribe = io.onInterrupt?.(() => {
    interrupted = true;
  });
  try {
    for (;;) {
      let done: boolean;
      try {
        done = session.runFor(SLICE_MS);
      } catch (e) {
        deliver();
        progress.end();
        const message = e instanceof Error ? e.message : String(e);
        writer.write({ type: 'finished', summary: failedSummary(message) });
        if (e instanceof SpecError) {
          const at = parsed.locate(e.path, options.variant);
          io.stderr(located(shown, at.line, at.column, 'error', message));
          return EXIT.badInput;
        }
        io.stderr(`error: training stopped by an internal error: ${message}\n`);
        return EXIT.trainingFailed;
      }
      deliver();
      if (done) break;
      await new Promise<void>(resolve => setImmediate(resolve));
      if (interrupted) {
        session.stop();
        deliver();
        break;
      }
    }
  } finally {
    unsubscribe?.();
    progress.end();
  }

  const final = summary ?? failedSummary('the run ended without a summary');
  if (!summary) writer.write({ type: 'finished', summary: final });
  const runDir = displayPath(io.cwd, writer.dir);
  if (options.json) {
    io.stdout(JSON.stringify({ ...final, run_dir: runDir, id: writer.id }, null, 2) + '\n');
  } else {
    io.stdout(summaryLines(final, runDir));
  }
  if (interrupted && final.status === 'stopped') return EXIT.interrupted;
  if (final.status === 'failed') return EXIT.trainingFailed;
  return EXIT.ok;
}

function failedSummary(error: string): RunSummary {
  return { status: 'failed', epochs: 0, steps: 0, elapsed_ms: 0, steps_per_second: 0, error };
}
