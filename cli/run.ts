/**
 * `trainscope run`: parse and check the experiment, load its data, train in short slices (so
 * Ctrl+C is handled between them and ends the run cleanly as 'stopped'), record the run folder,
 * and print the summary.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DataSplit } from '../engine/data/dataset';
import { loadData } from '../engine/data/kinds';
import type { ParsedExperiment } from '../engine/experiment/parse';
import type { ExperimentSpec } from '../engine/experiment/sections';
import { DataFileError, SpecError } from '../engine/core/errors';
import { prepareRun } from '../engine/prepare/prepareRun';
import { findWorkspaceRoot } from '../engine/prepare/workspaceFiles';
import { RunWriter } from '../engine/runs/runFiles';
import { RULES } from '../engine/diagnostics/catalogue';
import { withFinding } from '../engine/diagnostics/finding';
import type { FindingRecord, RunSummary, TrainEvent } from '../engine/train/events';
import { TrainingSession } from '../engine/train/session';
import { loadExperiment, printProblems, problemsFor } from './experimentFile';
import { fashionMnistHint } from './fashionMnistHint';
import { findingJson, firstLossLine, formatFinding, headerLines, located, summaryLines } from './format';
import { EXIT, type CliIO } from './io';
import { displayPath } from './displayPath';
import { Progress } from './progress';
import { runsDirectory } from './runsDirectory';

export interface RunOptions {
  file: string;
  variant?: string;
  out?: string;
  quiet: boolean;
  json: boolean;
}

/** Training time per slice before yielding to the event loop (where Ctrl+C is noticed). */
const SLICE_MS = 100;

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
  printProblems(io, shown, parsed, problemsFor(parsed, options.variant));
  const resolved = parsed.resolve(options.variant);
  if (!resolved) {
    if (problemsFor(parsed, options.variant).every(p => p.severity !== 'error')) {
      io.stderr(`error: ${shown}: the experiment could not be resolved\n`);
    }
    return EXIT.badInput;
  }
  const spec = resolved.spec;

  const specError = (e: { message: string; path: (string | number)[] }): number => {
    const at = parsed.locateKey(e.path, options.variant);
    io.stderr(located(shown, at.line, at.column, 'error', e.message));
    return EXIT.badInput;
  };
  // Files: data and checkpoints, relative to the experiment and inside its workspace.
  const root = findWorkspaceRoot(file, io.cwd);
  const prepared = await prepareRun(spec, file, root);
  if (!prepared.ok) {
    // In file order, as `validate` lists them.
    const offset = (e: { path: (string | number)[] }): number => parsed.locate(e.path, options.variant).offset;
    for (const problem of [...prepared.problems].sort((a, b) => offset(a) - offset(b))) specError(problem);
    if (io.fashionMnist !== undefined) io.stderr(fashionMnistHint([spec], file, root, io.cwd, io.fashionMnist));
    return EXIT.badInput;
  }
  const files = prepared.run;
  let data: DataSplit;
  try {
    data = loadData(spec.data, { bytes: written => files.files[written] });
  } catch (e) {
    if (e instanceof SpecError) return specError(e);
    if (e instanceof DataFileError) {
      io.stderr(located(displayPath(io.cwd, path.resolve(path.dirname(file), e.file)), e.line, e.column, 'error', e.message));
      return EXIT.badInput;
    }
    throw e;
  }

  let session: TrainingSession;
  const events: TrainEvent[] = [];
  const saved = new CheckpointWriter(io.cwd);
  try {
    session = new TrainingSession(spec, data, {
      onEvent: e => events.push(e),
      checkpoint: files.checkpoint,
      onCheckpoint: files.checkpointPath === undefined ? undefined : c => saved.write(files.checkpointPath!, c),
    });
  } catch (e) {
    if (e instanceof SpecError) return specError(e);
    throw e;
  }
  const runsDir = options.out !== undefined ? path.resolve(io.cwd, options.out) : runsDirectory(root.dir);
  return train(io, options, parsed, spec, session, events, shown, saved, runsDir);
}

/**
 * Writes the checkpoints a session delivers, each whole or not at all (a temporary file renamed
 * over the old one), and remembers what to tell the user.
 */
class CheckpointWriter {
  /** Lines to print ("saved ..." or errors), in order. */
  readonly messages: { level: 'info' | 'error'; text: string }[] = [];
  last: string | undefined;
  failed = false;

  constructor(private readonly cwd: string) {}

  write(file: string, c: { bytes: Uint8Array; epoch: number; step: number; final: boolean }): void {
    const shown = displayPath(this.cwd, file);
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(temporary, c.bytes);
      fs.renameSync(temporary, file);
      this.last = shown;
      this.messages.push({ level: 'info', text: `checkpoint: epoch ${c.epoch}, step ${c.step}${c.final ? ' (final)' : ''} → ${shown}` });
    } catch (e) {
      fs.rmSync(temporary, { force: true });
      this.failed = true;
      this.messages.push({ level: 'error', text: `cannot write checkpoint ${shown}: ${(e as Error).message}` });
    }
  }
}

async function train(
  io: CliIO,
  options: RunOptions,
  parsed: ParsedExperiment,
  spec: ExperimentSpec,
  session: TrainingSession,
  events: TrainEvent[],
  shown: string,
  saved: CheckpointWriter,
  runsDir: string,
): Promise<number> {
  const writer = RunWriter.create(runsDir, { experiment: spec.name, variant: options.variant, file: shown, spec });
  const progress = new Progress(text => io.stderr(text), io.isTTY === true, spec.training.epochs);
  const say = (text: string): void => {
    if (!options.quiet) progress.message(text);
  };
  say(headerLines(session.header));

  let summary: RunSummary | undefined;
  /** Each finding in its latest form (a finding grows when consequences of its cause fold into it). */
  let findings: FindingRecord[] = [];
  const deliver = (): void => {
    for (const e of events.splice(0)) {
      writer.write(e);
      if (e.type === 'records') {
        for (const r of e.records) {
          if (r.kind === 'step' && r.step === 1) {
            const line = firstLossLine(r.loss, session.header);
            if (line) say(line);
          } else if (r.kind === 'epoch' && !options.quiet) progress.epoch(r);
          else if (r.kind === 'finding') findings = withFinding(findings, r);
        }
      } else if (e.type === 'log') {
        if (e.level === 'info') say(e.message);
        else progress.message(`${e.level}: ${e.message}`);
      } else if (e.type === 'finished') {
        summary = e.summary;
      }
    }
    // After the records: a checkpoint is taken at the end of the epoch they report.
    for (const m of saved.messages.splice(0)) {
      if (m.level === 'error') progress.message(`error: ${m.text}`);
      else say(m.text);
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
          const at = parsed.locateKey(e.path, options.variant);
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
  const ordered = inReportOrder(findings);
  const locate = (path: (string | number)[]): { line: number; column: number } => parsed.locateKey(path, options.variant);
  if (options.json) {
    const checkpoint = saved.last !== undefined ? { checkpoint: saved.last } : {};
    const records = ordered.map(f => findingJson(shown, f, locate));
    io.stdout(JSON.stringify({ ...final, run_dir: runDir, id: writer.id, ...checkpoint, findings: records }, null, 2) + '\n');
  } else {
    io.stdout(ordered.map(f => formatFinding(shown, f, locate)).join(''));
    const said = problemsFor(parsed, options.variant);
    const file = { warning: said.filter(p => p.severity === 'warning').length, info: said.filter(p => p.severity === 'info').length };
    io.stdout(summaryLines(final, runDir, file) + (saved.last !== undefined ? `checkpoint: ${saved.last}\n` : ''));
  }
  if (interrupted && final.status === 'stopped') return EXIT.interrupted;
  if (final.status === 'failed') return EXIT.trainingFailed;
  // A checkpoint that could not be written: the path is wrong (or the disk is full).
  if (saved.failed) return EXIT.badInput;
  return EXIT.ok;
}

/** Findings by the step they fired at, then in the catalogue's order: the same run prints the same way. */
function inReportOrder(findings: readonly FindingRecord[]): FindingRecord[] {
  const rank = (f: FindingRecord): number => RULES.findIndex(r => r.id === f.rule);
  return [...findings].sort((a, b) => a.step - b.step || rank(a) - rank(b));
}

function failedSummary(error: string): RunSummary {
  return { status: 'failed', epochs: 0, steps: 0, elapsed_ms: 0, steps_per_second: 0, error };
}
