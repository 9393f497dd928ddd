// Starting and stopping a code-server for a run profile, and installing a .vsix into a profile.
// The server runs in its own process group (it spawns the extension host, file watchers and
// language servers), so stopping it kills the whole group and leaves nothing behind.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { codeServerBin, codeServerEnv } from './codeServerInstall.mjs';
import { runLogged, tail } from './processes.mjs';
import { logger, seconds } from './log.mjs';

const log = logger('code-server');

/** Resolves to a free TCP port on 127.0.0.1, trying `preferred`, `preferred + 1`, ... first when given. */
export async function freePort(preferred) {
  const tryPort = (port) => new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(undefined));
    srv.listen(port, '127.0.0.1', () => { const p = srv.address().port; srv.close(() => resolve(p)); });
  });
  if (preferred) {
    for (let p = preferred; p < preferred + 100; p++) {
      const got = await tryPort(p);
      if (got) { return got; }
    }
  }
  return tryPort(0);
}

function profileArgs(profile) {
  return ['--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir];
}

/** Installs a .vsix into the profile's extensions folder (replacing an installed copy). */
export async function installVsix(profile, vsixPath) {
  const t = Date.now();
  await runLogged(process.execPath, [codeServerBin, '--config', profile.configFile, ...profileArgs(profile),
    '--install-extension', vsixPath, '--force'], {
    env: codeServerEnv(profile.dir), logFile: `${profile.dir}/install-extension.log`,
  });
  log.info(`installed ${vsixPath} into ${profile.extensionsDir} in ${seconds(t)}s`);
}

const running = new Set();
function killAll(signal) {
  for (const pid of running) { try { process.kill(-pid, signal); } catch { /* gone */ } }
}
// Never leave a server behind: not when the harness exits, nor on Ctrl+C / SIGTERM (where Node
// would otherwise die without running 'exit' handlers).
process.on('exit', () => killAll('SIGKILL'));
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(signal, () => {
    if (running.size > 0) { log.info(`${signal}: stopping code-server`); }
    killAll('SIGTERM');
    setTimeout(() => process.exit(code), 300);
  });
}

/**
 * Starts code-server for `profile` on 127.0.0.1:`port` and waits until /healthz answers.
 * `env` adds variables to the server's environment (the extension host inherits them).
 * Returns { url, port, pid, done, stop() }.
 */
export async function startServer(profile, { port, env = {}, timeoutMs = 60_000 } = {}) {
  port ??= await freePort();
  const t = Date.now();
  const out = fs.openSync(profile.serverLog, 'w');
  const child = spawn(process.execPath, [codeServerBin,
    '--config', profile.configFile,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened',
    ...profileArgs(profile),
  ], { env: codeServerEnv(profile.dir, env), stdio: ['ignore', out, out], detached: true }); // detached = own process group
  fs.closeSync(out);
  running.add(child.pid);
  let exited = null;
  const done = new Promise(resolve => child.on('exit', (code, signal) => {
    exited = { code, signal };
    running.delete(child.pid);
    resolve(exited);
  }));

  const url = `http://127.0.0.1:${port}`;
  const server = {
    url, port, pid: child.pid,
    /** Resolves with { code, signal } when the server process exits. */
    done,
    async stop() {
      if (exited) { return; }
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
      const deadline = Date.now() + 5000;
      while (!exited && Date.now() < deadline) { await sleep(100); }
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* group fully gone */ }
      running.delete(child.pid);
      log.info(`stopped server on ${url}`);
    },
  };
  while (Date.now() - t < timeoutMs) {
    if (exited) {
      throw new Error(`code-server exited (${JSON.stringify(exited)}) before it was ready; ${profile.serverLog}:\n${tail(profile.serverLog, 30)}`);
    }
    if (await healthy(url)) {
      log.info(`server ready on ${url} after ${seconds(t)}s (log: ${profile.serverLog})`);
      return server;
    }
    await sleep(100);
  }
  await server.stop();
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs / 1000}s; ${profile.serverLog}:\n${tail(profile.serverLog, 30)}`);
}

async function healthy(url) {
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

function sleep(ms) { return new Promise(r => setTimeout(r, ms)); }
