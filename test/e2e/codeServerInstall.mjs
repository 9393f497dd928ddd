// Installs code-server 4.100.3 (which bundles VS Code 1.100.3) from the npm registry into
// .vscode-test/code-server-4.100.3/, offline apart from the registry, and reuses it on later runs.
//
// Why each setting is there:
// - npm_config_nodedir: node-gyp builds the native modules against this Node's own headers instead
//   of downloading headers from nodejs.org (unreachable here).
// - npm_config_yes: node-pty's postinstall runs `npx node-gyp ...`; npx must not stop to ask.
// - npm_config_dangerously_allow_all_scripts: npm 11 skips dependency install scripts unless the
//   project's package.json approves them. code-server's own postinstall runs further `npm install`s
//   inside lib/vscode (a package.json we cannot edit beforehand), and without the scripts the native
//   modules are silently not built. This install is of one pinned version, so all its scripts run.
// - --unsafe-perm (root only): older npm would otherwise drop privileges for the scripts.
// - --foreground-scripts: the build output goes into the log, where a failure can be read.
// - TMPDIR inside .vscode-test, pre-seeded with Debian's `rg`: @vscode/ripgrep's postinstall looks
//   for its download there first and would otherwise fetch ripgrep from GitHub.
import fs from 'node:fs';
import path from 'node:path';
import { cacheDir } from './paths.mjs';
import { runLogged, runCaptured } from './processes.mjs';
import { logger, seconds } from './log.mjs';
import { nodeHeadersDir } from './systemDeps.mjs';

export const CODE_SERVER_VERSION = '4.100.3';
// Pinned by code-server 4.100.3's lib/vscode/npm-shrinkwrap.json; the asset name is what that
// version of @vscode/ripgrep looks for on linux-x64.
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_ASSET = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

/** Native modules VS Code's server needs; each must exist after the install. */
const NATIVE_MODULES = [
  'node-pty/build/Release/pty.node',
  '@vscode/spdlog/build/Release/spdlog.node',
  'kerberos/build/Release/kerberos.node',
  'native-watchdog/build/Release/watchdog.node',
  '@vscode/deviceid/build/Release/windows.node',
  '@vscode/ripgrep/bin/rg',
];

const log = logger('code-server');

export const installDir = path.join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
const markerFile = path.join(installDir, '.harness-install-complete.json');
const logFile = path.join(cacheDir, 'logs', `code-server-${CODE_SERVER_VERSION}-install.log`);
const tmpDir = path.join(cacheDir, 'tmp');

/** Paths inside an installed code-server. */
export const codeServerBin = path.join(installDir, 'node_modules/code-server/out/node/entry.js');
const vscodeDir = path.join(installDir, 'node_modules/code-server/lib/vscode');

function missingNativeModules() {
  return NATIVE_MODULES.filter(m => !fs.existsSync(path.join(vscodeDir, 'node_modules', m)));
}

function isComplete() {
  try {
    const marker = JSON.parse(fs.readFileSync(markerFile, 'utf8'));
    return marker.version === CODE_SERVER_VERSION && marker.nodeMajor === process.versions.node.split('.')[0]
      && fs.existsSync(codeServerBin) && missingNativeModules().length === 0;
  } catch {
    return false;
  }
}

function seedRipgrepDownloadCache() {
  const rg = '/usr/bin/rg';
  if (!fs.existsSync(rg)) { throw new Error(`${rg} is missing (Debian package ripgrep)`); }
  const dir = path.join(tmpDir, `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  fs.mkdirSync(dir, { recursive: true });
  return runCaptured('tar', ['czf', path.join(dir, RIPGREP_ASSET), '-C', path.dirname(rg), 'rg']);
}

function installEnv() {
  return {
    ...process.env,
    TMPDIR: tmpDir,
    npm_config_nodedir: nodeHeadersDir(),
    npm_config_yes: 'true',
    npm_config_dangerously_allow_all_scripts: 'true',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
  };
}

/** The environment under which code-server writes nothing outside `home` (a run profile or a temp dir). */
export function codeServerEnv(home, extra = {}) {
  return {
    ...process.env,
    XDG_CONFIG_HOME: path.join(home, 'xdg/config'),
    XDG_DATA_HOME: path.join(home, 'xdg/data'),
    XDG_CACHE_HOME: path.join(home, 'xdg/cache'),
    TMPDIR: tmpDir,
    EXTENSIONS_GALLERY: '{}', // no marketplace: offline, and nothing but our extension gets in
    ...extra,
  };
}

/**
 * Ensures code-server is installed and working; returns its version line.
 * Reuses a complete earlier install (HARNESS_REINSTALL=1 forces a new one).
 */
export async function ensureCodeServer() {
  fs.mkdirSync(tmpDir, { recursive: true });
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  if (process.env.HARNESS_REINSTALL !== '1' && isComplete()) {
    log.info(`reusing ${path.relative(process.cwd(), installDir) || installDir}`);
    return version();
  }
  const started = Date.now();
  log.info(`installing code-server ${CODE_SERVER_VERSION} from npm into ${installDir} (native builds take ~1 min; log: ${logFile})`);
  fs.rmSync(installDir, { recursive: true, force: true });
  fs.mkdirSync(installDir, { recursive: true });
  fs.writeFileSync(path.join(installDir, 'package.json'),
    JSON.stringify({ name: 'trainscope-code-server', private: true, description: 'installed by test/e2e/codeServerInstall.mjs' }, null, 2));
  fs.writeFileSync(logFile, `code-server ${CODE_SERVER_VERSION} install, ${new Date().toISOString()}\n`);
  await seedRipgrepDownloadCache();
  const args = ['install', '--foreground-scripts', `code-server@${CODE_SERVER_VERSION}`];
  if (process.getuid?.() === 0) { args.splice(1, 0, '--unsafe-perm'); }
  await runLogged('npm', args, { cwd: installDir, env: installEnv(), logFile });

  const missing = missingNativeModules();
  if (missing.length > 0) {
    throw new Error(`code-server installed but native modules are missing (install scripts did not run or failed):\n  ${missing.join('\n  ')}\nsee ${logFile}`);
  }
  const versionLine = await version();
  fs.writeFileSync(markerFile, JSON.stringify({
    version: CODE_SERVER_VERSION, nodeMajor: process.versions.node.split('.')[0],
    installedAt: new Date().toISOString(), seconds: Number(seconds(started)),
  }, null, 2));
  log.info(`installed in ${seconds(started)}s: ${versionLine}`);
  return versionLine;
}

async function version() {
  const home = path.join(tmpDir, 'version-check');
  const config = path.join(home, 'config.yaml');
  fs.mkdirSync(home, { recursive: true });
  fs.writeFileSync(config, 'auth: none\n');
  const out = await runCaptured(process.execPath, [codeServerBin, '--config', config, '--version'], { env: codeServerEnv(home) });
  // e.g. "4.100.3 1f0fb2bc... with Code 1.100.3"
  return out.split('\n').find(l => /^\d+\.\d+\.\d+ /.test(l)) ?? out;
}
