// A "run profile": one folder holding everything a code-server run writes — VS Code's user data and
// settings, the extensions folder, XDG dirs, the server log — so runs never share state by accident
// and nothing lands in the home directory.
import fs from 'node:fs';
import path from 'node:path';

/** User settings for a quiet, offline workbench (no welcome page, no trust prompt, no AI side bar, no git prompt). */
export const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // Test workspaces live inside this repository's .vscode-test/: do not offer to open its git repo.
  'git.openRepositoryInParentFolders': 'never',
};

/**
 * Creates (or, with `fresh: false`, reuses) a profile folder and returns its paths.
 * A fresh profile starts empty; a reused one keeps its user data and installed extensions.
 */
export function createProfile(dir, { fresh = true } = {}) {
  if (fresh) { fs.rmSync(dir, { recursive: true, force: true }); }
  const profile = {
    dir,
    userDataDir: path.join(dir, 'user-data'),
    extensionsDir: path.join(dir, 'extensions'),
    configFile: path.join(dir, 'config.yaml'),
    serverLog: path.join(dir, 'server.log'),
    resultsFile: path.join(dir, 'test-results.json'),
  };
  for (const d of [path.join(profile.userDataDir, 'User'), profile.extensionsDir,
    path.join(dir, 'xdg/config'), path.join(dir, 'xdg/data'), path.join(dir, 'xdg/cache')]) {
    fs.mkdirSync(d, { recursive: true });
  }
  const settings = path.join(profile.userDataDir, 'User/settings.json');
  if (!fs.existsSync(settings)) { fs.writeFileSync(settings, JSON.stringify(USER_SETTINGS, null, 2) + '\n'); }
  // An explicit config file so code-server does not create ~/.config/code-server/config.yaml.
  fs.writeFileSync(profile.configFile, 'auth: none\ncert: false\n');
  return profile;
}
