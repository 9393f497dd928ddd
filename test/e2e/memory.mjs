// What the processes of a real-VS-Code run hold, read from /proc (Linux): the extension host of a
// code-server (found in the server's process group) and the renderer processes of the Chromium
// that shows the workbench (found under the browser process that uses a given profile folder).
import fs from 'node:fs';

/** Every process: { pid, ppid, pgrp, cmd }. */
export function processes() {
  const out = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) { continue; }
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: the fields after its closing ')' are fixed.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      out.push({ pid: Number(name), ppid: Number(fields[1]), pgrp: Number(fields[2]), cmd });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Resident memory of a process in MB (undefined when it is gone). */
export function rssMB(pid) {
  try {
    const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The extension host process(es) of the code-server whose process group is `serverPid`. */
export function extensionHostPids(serverPid) {
  return processes().filter(p => p.pgrp === serverPid && /extensionHost/.test(p.cmd)).map(p => p.pid);
}

/** The renderer processes of the Chromium using `profileDir`: [{ pid, cmd }]. */
export function rendererProcesses(profileDir) {
  const all = processes();
  const browser = all.find(p => p.cmd.includes(`--user-data-dir=${profileDir}`) && !/--type=/.test(p.cmd));
  if (!browser) { return []; }
  const children = new Map();
  for (const p of all) { children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]); }
  const found = [];
  const walk = (pid) => {
    for (const c of children.get(pid) ?? []) {
      if (/--type=renderer/.test(c.cmd)) { found.push(c); }
      walk(c.pid);
    }
  };
  walk(browser.pid);
  return found;
}

/** { largest, total } resident MB over the renderers of the Chromium using `profileDir`. */
export function rendererMemory(profileDir) {
  const sizes = rendererProcesses(profileDir).map(p => rssMB(p.pid) ?? 0);
  return { largest: Math.max(0, ...sizes), total: sizes.reduce((a, b) => a + b, 0), processes: sizes.length };
}
