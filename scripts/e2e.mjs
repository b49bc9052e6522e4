// Runs the VS Code end-to-end suite (test/e2e/suite) in a real VS Code: code-server 4.100.3
// (VS Code 1.100.3), whose Node extension host is the one VS Code Remote uses, driven by
// Debian's Chromium through playwright-core. VS Code desktop cannot be downloaded here; on
// machines where it can, `node out/test/e2e/run-electron.js` runs the same suite through
// @vscode/test-electron.
//
//   node scripts/e2e.mjs                 the suite on the development build (dist/), then the
//                                        packaged .vsix installed into a fresh profile: the example
//                                        must show squiggles and Session Lint rows in Problems
//   node scripts/e2e.mjs --screenshot P  the packaged check only, saving its screenshot to P
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CODE_SERVER_VERSION = '4.100.3';
const HOME = path.join(REPO, '.e2e', 'code-server');
const CODE_SERVER = path.join(HOME, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const CHROMIUM = '/usr/bin/chromium';
const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const screenshot = option('--screenshot');
const TIMEOUT_MS = 240_000;

/** Installs code-server once, offline: ripgrep comes from Debian instead of GitHub. */
function ensureCodeServer() {
  if (existsSync(CODE_SERVER)) return;
  const rgVersion = 'v13.0.0-10';
  const cache = path.join(os.tmpdir(), 'vscode-ripgrep-cache-1.15.11');
  const archive = path.join(cache, `ripgrep-${rgVersion}-x86_64-unknown-linux-musl.tar.gz`);
  if (!existsSync(archive)) {
    mkdirSync(cache, { recursive: true });
    execFileSync('tar', ['czf', archive, '-C', '/usr/bin', 'rg']);
  }
  mkdirSync(HOME, { recursive: true });
  writeFileSync(
    path.join(HOME, 'package.json'),
    JSON.stringify({ name: 'sessionlint-e2e-code-server', private: true }),
  );
  console.log(`installing code-server ${CODE_SERVER_VERSION} into ${path.relative(REPO, HOME)} (once)`);
  execFileSync('npm', ['install', '--unsafe-perm', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: HOME,
    stdio: 'inherit',
    env: { ...process.env, npm_config_yes: 'true', npm_config_unsafe_perm: 'true' },
  });
  const rg = path.join(
    HOME,
    'node_modules',
    'code-server',
    'lib',
    'vscode',
    'node_modules',
    '@vscode',
    'ripgrep',
    'bin',
    'rg',
  );
  if (!existsSync(rg)) throw new Error(`code-server installed without ripgrep (${rg})`);
}

/** Starts code-server on a free loopback port; resolves to its URL and process. */
function startCodeServer(run, extraArgs) {
  const child = spawn(
    process.execPath,
    [
      CODE_SERVER,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--ignore-last-opened',
      '--user-data-dir',
      path.join(run, 'user-data'),
      '--extensions-dir',
      path.join(run, 'extensions'),
      '--bind-addr',
      '127.0.0.1:0',
      ...extraArgs,
    ],
    {
      detached: true,
      env: {
        ...process.env,
        XDG_DATA_HOME: path.join(run, 'xdg'),
        SESSIONLINT_E2E_RESULT: path.join(run, 'result.json'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let log = '';
    const onData = (d) => {
      log += d;
      const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(log);
      if (m) resolve({ url: m[1], child });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`code-server exited (${code}):\n${log}`)));
    setTimeout(() => reject(new Error(`code-server did not start:\n${log}`)), 60_000);
  });
}

function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** A fresh run folder: the example workspace and a profile that opens no welcome page. */
function prepareRun() {
  const run = mkdtempSync(path.join(os.tmpdir(), 'sessionlint-e2e-'));
  cpSync(path.join(REPO, 'examples', 'flask-waitress'), path.join(run, 'workspace'), { recursive: true });
  mkdirSync(path.join(run, 'user-data', 'User'), { recursive: true });
  writeFileSync(
    path.join(run, 'user-data', 'User', 'settings.json'),
    JSON.stringify({ 'workbench.startupEditor': 'none', 'workbench.tips.enabled': false }),
  );
  return run;
}

/** Starts code-server and Chromium for one run; `use(page, url)` drives them; both are killed after. */
async function withWorkbench(run, use) {
  const require = createRequire(import.meta.url);
  const { chromium } = require('playwright-core');
  const server = await startCodeServer(run, []);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    env: { ...process.env, HOME: path.join(run, 'chromium-home') },
  });
  try {
    // 1280 px wide, as the README shows the screenshots.
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    return await use(page, server.url);
  } finally {
    await browser.close().catch(() => undefined);
    killGroup(server.child);
  }
}

/** The mocha suite in the extension host, on the development build. */
async function runSuite() {
  const run = prepareRun();
  return withWorkbench(run, async (page, url) => {
    const host = new URL(url).host;
    const exited = new Promise((resolve) => page.exposeFunction('codeAutomationExit', (code) => resolve(code)));
    await page.exposeFunction('codeAutomationLog', (_type, lines) => {
      for (const line of [].concat(lines)) process.stdout.write(`${line}\n`);
    });
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://${host}${REPO}`],
      ['extensionTestsPath', `vscode-remote://${host}${path.join(REPO, 'out', 'test', 'e2e', 'suite', 'index.js')}`],
      ['skipWelcome', 'true'],
    ];
    await page.goto(
      `${url}/?folder=${encodeURIComponent(path.join(run, 'workspace'))}&payload=${encodeURIComponent(JSON.stringify(payload))}`,
    );
    const code = await Promise.race([
      exited,
      new Promise((resolve) => setTimeout(() => resolve('timeout'), TIMEOUT_MS)),
    ]);
    const resultFile = path.join(run, 'result.json');
    const result = existsSync(resultFile) ? JSON.parse(readFileSync(resultFile, 'utf8')) : { passed: 0, failed: 1 };
    if (code === 'timeout') console.error(`the VS Code suite did not finish within ${TIMEOUT_MS / 1000} s`);
    return code === 0 ? result : { passed: result.passed, failed: Math.max(1, result.failed) };
  });
}

/** The packaged extension, as users install it: squiggles and Problems rows on the example. */
async function checkPackaged(screenshotPath) {
  const run = prepareRun();
  const vsix = path.join(run, 'session-lint.vsix');
  execFileSync(path.join(REPO, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--out', vsix], {
    cwd: REPO,
    stdio: 'ignore',
  });
  execFileSync(
    process.execPath,
    [
      CODE_SERVER,
      '--install-extension',
      vsix,
      '--extensions-dir',
      path.join(run, 'extensions'),
      '--user-data-dir',
      path.join(run, 'user-data'),
    ],
    { stdio: 'ignore' },
  );
  return withWorkbench(run, async (page, url) => {
    await page.goto(`${url}/?folder=${encodeURIComponent(path.join(run, 'workspace'))}`);
    try {
      await showProblems(page, path.join(run, 'workspace', 'shop', 'config.py'));
      await page.waitForSelector('.markers-panel .monaco-list-row:has-text("SL103")', { timeout: 30_000 });
      // The language status item (the `{}` beside the language): ready, with the six findings.
      await page.waitForSelector(
        '[id="status.languageStatus"] [aria-label*="Session Lint: 6 problems"], [id="status.languageStatus"][aria-label*="Session Lint: 6 problems"]',
        { timeout: 30_000 },
      );
      await page.screenshot({ path: screenshotPath ?? path.join(run, 'screenshot.png') });
      console.log(
        `  ✔ the packaged .vsix shows squiggles, Session Lint problems and its language status count (screenshot: ${screenshotPath ?? path.join(run, 'screenshot.png')})`,
      );
      const shots = screenshotPath ? path.dirname(screenshotPath) : run;
      await showChain(page, shots);
      console.log(
        `  ✔ the Session chain view shows the broken waitress hop, in light, dark and high-contrast themes (${shots})`,
      );
      return { passed: 2, failed: 0 };
    } catch (e) {
      await page.screenshot({ path: path.join(run, 'failure.png') });
      console.log(`  ✖ the packaged .vsix: ${e.message.split('\n')[0]} (see ${path.join(run, 'failure.png')})`);
      return { passed: 0, failed: 1 };
    }
  });
}

async function main() {
  ensureCodeServer();
  const results = screenshot
    ? [await checkPackaged(path.resolve(screenshot))]
    : [await runSuite(), await checkPackaged()];
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

/** The themes the chain view is shown in, and the class VS Code puts on the workbench for each. */
const THEMES = [
  ['light', 'Light Modern', '.monaco-workbench.vs'],
  ['dark', 'Dark Modern', '.monaco-workbench.vs-dark'],
  ['high-contrast', 'Dark High Contrast', '.monaco-workbench.hc-black'],
];

/**
 * Opens the Session chain view from its activity-bar icon, waits for the broken waitress hop
 * (the error icon on its row), and saves it beside the code in each theme, picked through
 * *Preferences: Color Theme* as a user would.
 */
async function showChain(page, dir) {
  await page.keyboard.press('Control+Shift+M'); // close the Problems panel: the code gets the room
  await page.click('.activitybar [aria-label^="Session Lint"]', { timeout: 30_000 });
  const waitress = '.pane-body .monaco-list-row:has-text("waitress")';
  for (const [name, theme, selector] of THEMES) {
    await page.keyboard.press('F1');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 30_000 });
    await page.keyboard.type('Preferences: Color Theme');
    // Rows named exactly so: typing alone also matches "Browse Color Themes in Marketplace".
    const exactRow = (name) =>
      page
        .locator('.quick-input-list .monaco-list-row')
        .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) })
        .first();
    await exactRow('Preferences: Color Theme').click({ timeout: 30_000 });
    // Filtered first: the list shows only the rows that fit, and a theme may be below them.
    await page.waitForSelector('.quick-input-list .monaco-list-row', { timeout: 30_000 });
    await page.keyboard.type(theme);
    await exactRow(theme).click({ timeout: 30_000 });
    await page.waitForSelector(selector, { timeout: 30_000 });
    await page.waitForSelector(`${waitress} .codicon-error`, { timeout: 30_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(dir, `chain-${name}.png`) });
  }
}

/** Opens a file, waits for its squiggles, and opens the Problems panel (Ctrl+Shift+M). */
async function showProblems(page, file) {
  await page.waitForSelector('.monaco-workbench .explorer-folders-view', { timeout: 60_000 });
  await page.keyboard.press('Control+P');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 30_000 });
  await page.keyboard.type(path.relative(path.dirname(path.dirname(file)), file));
  await page.waitForSelector('.quick-input-list .monaco-list-row', { timeout: 30_000 });
  await page.keyboard.press('Enter');
  await page.waitForSelector('.squiggly-error, .squiggly-warning', { timeout: 60_000 });
  await page.keyboard.press('Control+Shift+M');
  await page.waitForSelector('.markers-panel .monaco-list-row', { timeout: 30_000 });
  await page.waitForTimeout(1000);
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
