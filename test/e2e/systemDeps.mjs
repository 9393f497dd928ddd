// The machine-level things the real-VS-Code tests need, checked before anything is started:
// Node 20 with its C headers (code-server 4.100.x builds native modules against them and refuses
// other Node majors), a C++ toolchain, Debian packages for the native builds, ripgrep and Chromium.
// As root, missing Debian packages are installed with apt-get; otherwise the exact command is printed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cacheDir } from './paths.mjs';
import { runLogged } from './processes.mjs';
import { logger } from './log.mjs';

const log = logger('system');

/** Debian package → why the harness needs it. */
export const DEBIAN_PACKAGES = {
  chromium: 'the browser Playwright drives (/usr/bin/chromium)',
  ripgrep: 'VS Code search; seeds @vscode/ripgrep so it does not download from GitHub',
  python3: 'node-gyp (native modules of code-server)',
  make: 'node-gyp',
  'g++': 'node-gyp',
  'libkrb5-dev': 'the kerberos native module of code-server',
  'libsecret-1-dev': 'keytar, the optional native module of @vscode/vsce',
};

/** The prefix Node was installed under; node-gyp finds the headers in <prefix>/include/node. */
export function nodeHeadersDir() {
  return path.resolve(path.dirname(process.execPath), '..');
}

export function assertNode20() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20) {
    throw new Error(`code-server 4.100.3 (VS Code 1.100.3) needs Node 20; this is Node ${process.versions.node}`);
  }
  const header = path.join(nodeHeadersDir(), 'include/node/node.h');
  if (!fs.existsSync(header)) {
    throw new Error(`Node's C headers are missing (${header}); install Node 20 with its headers (Debian/NodeSource package "nodejs" has them)`);
  }
}

function isInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

/**
 * Makes sure every package in `packages` (default: all the harness needs) is installed.
 * Installs missing ones as root; as another user throws with the apt-get command to run.
 */
export async function ensureDebianPackages(packages = Object.keys(DEBIAN_PACKAGES)) {
  if (spawnSync('dpkg-query', ['--version']).status !== 0) {
    log.warn(`not a Debian system (no dpkg-query): make sure these are installed: ${packages.join(' ')}`);
    return;
  }
  const missing = packages.filter(p => !isInstalled(p));
  if (missing.length === 0) { return; }
  for (const p of missing) { log.info(`missing Debian package ${p}${DEBIAN_PACKAGES[p] ? ` (${DEBIAN_PACKAGES[p]})` : ''}`); }
  const command = `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages: ${missing.join(' ')}. Install them with:\n  sudo sh -c '${command}'`);
  }
  const logFile = path.join(cacheDir, 'logs/apt-get.log');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await log.step(`apt-get install ${missing.join(' ')} (log: ${logFile})`, async () => {
    await runLogged('apt-get', ['update', '-q'], { env, logFile });
    await runLogged('apt-get', ['install', '-y', '-q', ...missing], { env, logFile });
  });
}

/** Debian packages `npm start` installs when it can, for the examples; nothing fails without them. */
export const OPTIONAL_PACKAGES = {
  'dataset-fashion-mnist': 'Fashion-MNIST under /usr/share/datasets/fashion-mnist/ (the full data set of examples/fashion-mnist; "Trainscope: Copy Fashion-MNIST into the Workspace" copies it in)',
};

/** Installs the optional packages as root; otherwise, or when apt-get fails, says how and goes on. */
export async function offerOptionalPackages(packages = Object.keys(OPTIONAL_PACKAGES)) {
  if (spawnSync('dpkg-query', ['--version']).status !== 0) { return; }
  const missing = packages.filter(p => !isInstalled(p));
  if (missing.length === 0) { return; }
  const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    for (const p of missing) { log.info(`optional: ${p} — ${OPTIONAL_PACKAGES[p] ?? ''}. Install it with: sudo sh -c '${command}'`); }
    return;
  }
  try {
    await ensureDebianPackages(missing);
  } catch (e) {
    log.warn(`could not install ${missing.join(' ')} (${e instanceof Error ? e.message.split('\n')[0] : e}); the examples that need it say so. Later: ${command}`);
  }
}

/** Everything the real-VS-Code stages need from the machine. */
export async function ensureSystem() {
  assertNode20();
  await ensureDebianPackages();
}
