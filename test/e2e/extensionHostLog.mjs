// When the UI shows nothing, the reason is usually in the extension host's log (an extension that
// failed to activate, a command that threw). These helpers pull our extension's errors out of it.
import fs from 'node:fs';
import path from 'node:path';

/** The extension host logs of the latest session (a persistent profile keeps older sessions' logs too). */
function extensionHostLogs(profile) {
  const logsDir = path.join(profile.userDataDir, 'logs');
  // Session folders are named by their start time (e.g. 20261122T064918): the largest is the latest.
  const sessions = fs.existsSync(logsDir) ? fs.readdirSync(logsDir).filter(n => /^\d{8}T\d{6}$/.test(n)).sort() : [];
  const found = [];
  if (sessions.length === 0) { return found; }
  const walk = (dir) => {
    for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) { walk(p); } else if (entry.name === 'remoteexthost.log' || entry.name === 'exthost.log') { found.push(p); }
    }
  };
  walk(path.join(logsDir, sessions[sessions.length - 1]));
  return found;
}

/**
 * Error entries of the extension host logs that mention `needle` (e.g. the extension id or its
 * install folder), each with up to `stackLines` following lines (the stack).
 */
export function extensionHostErrors(profile, needle, stackLines = 6) {
  const errors = [];
  for (const file of extensionHostLogs(profile)) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!/\[error\]/.test(lines[i])) { continue; }
      const entry = lines.slice(i, i + 1 + stackLines);
      if (entry.some(l => l.includes(needle))) {
        errors.push(entry.join('\n'));
        i += stackLines; // the lines shown belong to this entry
      }
    }
  }
  return errors;
}

/** Prints our extension's errors from the extension host log, if there are any. */
export function reportExtensionHostErrors(profile, needle) {
  const errors = extensionHostErrors(profile, needle);
  if (errors.length === 0) { return; }
  console.log(`--- ${errors.length} error(s) about ${needle} in the extension host log (${path.join(profile.userDataDir, 'logs')}):`);
  for (const e of errors.slice(0, 5)) { console.log(e); }
  console.log('---');
}

/** The newest log file of the Trainscope output channel, if VS Code wrote one. */
export function findOutputLog(profile) {
  const logsDir = path.join(profile.userDataDir, 'logs');
  const found = [];
  const walk = (dir) => {
    for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) { walk(p); } else if (/Trainscope\.log$/.test(entry.name)) { found.push(p); }
    }
  };
  walk(logsDir);
  return found.sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs).pop();
}
