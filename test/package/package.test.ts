import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { EXAMPLES, REPO } from '../helpers/paths';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (cmd: string, args: string[], cwd = REPO) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });

describe('packages', () => {
  it('the .vsix holds the bundles, grammars, docs and syntaxes, and no sources, tests or node_modules', () => {
    const files = run(path.join(REPO, 'node_modules', '.bin', 'vsce'), ['ls', '--no-dependencies'])
      .trim()
      .split('\n')
      .sort();
    for (const f of [
      'package.json',
      'package.nls.json',
      'walkthrough/fix.md',
      'docs/chain-light.png',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'images/icon.png',
      'images/chain.svg',
      'dist/client.js',
      'dist/server.js',
      'dist/cli.js',
      'dist/tree-sitter-python.wasm',
      'dist/web-tree-sitter.wasm',
      'syntaxes/dotenv.tmLanguage.json',
      'docs/rules/SL101.md',
    ]) {
      assert.ok(files.includes(f), `${f} is missing from the .vsix`);
    }
    for (const f of files)
      assert.doesNotMatch(
        f,
        /^(client|server|test|node_modules|scripts|examples)\/|\.map$|\.ts$/,
        `${f} should not be in the .vsix`,
      );
  });

  it('the npm package runs with npx: sessionlint and sessionlint-lsp, no install step', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sessionlint-pack-'));
    const tarball = JSON.parse(run(npm, ['pack', '--json', '--pack-destination', dir]))[0].filename as string;
    const pkg = path.join(dir, path.basename(tarball));
    const version = run(npm, ['exec', '--yes', `--package=${pkg}`, '--', 'sessionlint', '--version'], dir);
    assert.match(version, /^sessionlint \d+\.\d+\.\d+/);
    let out = '';
    try {
      run(
        npm,
        [
          'exec',
          '--yes',
          `--package=${pkg}`,
          '--',
          'sessionlint',
          '--format',
          'json',
          path.join(EXAMPLES, 'flask-waitress'),
        ],
        dir,
      );
    } catch (e) {
      out = (e as { stdout: string }).stdout;
    }
    assert.ok(JSON.parse(out).findings.length > 0, 'the packaged CLI finds the example problems (exit 1)');
  });
});
