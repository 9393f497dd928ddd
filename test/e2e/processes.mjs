// Running child programs: either with output straight to the console, or into a log file whose
// tail is shown when the program fails (an install log is long; only its end explains a failure).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Runs a program with its output on our console; resolves to its exit code (never rejects on a non-zero code). */
export function runVisible(cmd, args, { cwd, env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: env ?? process.env, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/**
 * Runs a program with stdout+stderr appended to `logFile`. Rejects with the last lines of the log
 * in the message when it exits non-zero, so the cause is visible without opening the file.
 */
export function runLogged(cmd, args, { cwd, env, logFile, tailLines = 40 }) {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = fs.openSync(logFile, 'a');
  fs.writeSync(out, `\n$ ${cmd} ${args.join(' ')}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: env ?? process.env, stdio: ['ignore', out, out] });
    child.on('error', (e) => { fs.closeSync(out); reject(e); });
    child.on('close', (code) => {
      fs.closeSync(out);
      if (code === 0) { resolve(); return; }
      reject(new Error(`${path.basename(cmd)} exited with ${code}; last lines of ${logFile}:\n${tail(logFile, tailLines)}`));
    });
  });
}

/** Runs a program and returns its stdout (trimmed); rejects with its stderr when it fails. */
export function runCaptured(cmd, args, { cwd, env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => { stdout += d; });
    child.stderr.on('data', d => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) { resolve(stdout.trim()); } else { reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}\n${stderr.trim()}`)); }
    });
  });
}

export function tail(file, lines) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
