// Runs the VS Code end-to-end suite (test/e2e/suite) in a real VS Code: code-server 4.100.3
// (VS Code 1.100.3), whose Node extension host is the one VS Code Remote uses, driven by
// Debian's Chromium through playwright-core. VS Code desktop cannot be downloaded here; on
// machines where it can, `node out/test/e2e/run-electron.js` runs the same suite through
// @vscode/test-electron.
//
//   node scripts/e2e.mjs                 the development build (dist/) on examples/flask-waitress
//   node scripts/e2e.mjs --vsix F --screenshot P
//                                        installs the packaged F into a fresh profile, opens the
//                                        example and saves a screenshot of squiggles and Problems
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
const vsix = option('--vsix');
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
  writeFileSync(path.join(HOME, 'package.json'), JSON.stringify({ name: 'sessionlint-e2e-code-server', private: true }));
  console.log(`installing code-server ${CODE_SERVER_VERSION} into ${path.relative(REPO, HOME)} (once)`);
  execFileSync('npm', ['install', '--unsafe-perm', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: HOME,
    stdio: 'inherit',
    env: { ...process.env, npm_config_yes: 'true', npm_config_unsafe_perm: 'true' },
  });
  const rg = path.join(HOME, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');
  if (!existsSync(rg)) throw new Error(`code-server installed without ripgrep (${rg})`);
}

/** Starts code-server on a free loopback port; resolves to its URL and process. */
function startCodeServer(run, extraArgs) {
  const child = spawn(process.execPath, [CODE_SERVER, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--ignore-last-opened', '--user-data-dir', path.join(run, 'user-data'), '--extensions-dir', path.join(run, 'extensions'), '--bind-addr', '127.0.0.1:0', ...extraArgs], {
    detached: true,
    env: { ...process.env, XDG_DATA_HOME: path.join(run, 'xdg'), SESSIONLINT_E2E_RESULT: path.join(run, 'result.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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

async function main() {
  ensureCodeServer();
  const require = createRequire(import.meta.url);
  const { chromium } = require('playwright-core');
  const run = mkdtempSync(path.join(os.tmpdir(), 'sessionlint-e2e-'));
  const workspace = path.join(run, 'workspace');
  cpSync(path.join(REPO, 'examples', 'flask-waitress'), workspace, { recursive: true });
  if (vsix) {
    execFileSync(process.execPath, [CODE_SERVER, '--install-extension', path.resolve(vsix), '--extensions-dir', path.join(run, 'extensions'), '--user-data-dir', path.join(run, 'user-data')], { stdio: 'inherit' });
  }
  const server = await startCodeServer(run, []);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    env: { ...process.env, HOME: path.join(run, 'chromium-home') },
  });
  const cleanup = async () => {
    await browser.close().catch(() => undefined);
    killGroup(server.child);
  };
  process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const host = new URL(server.url).host;
    if (vsix) {
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
      await showProblems(page, path.join(workspace, 'shop', 'config.py'));
      await page.screenshot({ path: screenshot ?? path.join(run, 'screenshot.png') });
      console.log(`screenshot: ${screenshot ?? path.join(run, 'screenshot.png')}`);
      return 0;
    }
    const exited = new Promise((resolve) => page.exposeFunction('codeAutomationExit', (code) => resolve(code)));
    await page.exposeFunction('codeAutomationLog', (_type, lines) => {
      for (const line of [].concat(lines)) process.stdout.write(`${line}\n`);
    });
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://${host}${REPO}`],
      ['extensionTestsPath', `vscode-remote://${host}${path.join(REPO, 'out', 'test', 'e2e', 'suite', 'index.js')}`],
      ['skipWelcome', 'true'],
    ];
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), TIMEOUT_MS))]);
    const resultFile = path.join(run, 'result.json');
    const result = existsSync(resultFile) ? JSON.parse(readFileSync(resultFile, 'utf8')) : undefined;
    if (code === 'timeout') {
      console.error(`the VS Code suite did not finish within ${TIMEOUT_MS / 1000} s`);
      return 1;
    }
    if (result) console.log(`VS Code e2e: ${result.passed} passed, ${result.failed} failed`);
    return code === 0 && result?.failed === 0 && result?.passed > 0 ? 0 : 1;
  } finally {
    await cleanup();
  }
}

/** Opens a file, waits for its squiggles, and opens the Problems panel (Ctrl+Shift+M). */
async function showProblems(page, file) {
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  await page.waitForTimeout(3000);
  await page.keyboard.press('Control+P');
  await page.keyboard.type(path.relative(path.dirname(path.dirname(file)), file));
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
