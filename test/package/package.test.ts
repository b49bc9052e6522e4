import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
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

  it('every %key% of the manifest has its English text in package.nls.json, and every text is used', () => {
    const manifest = readFileSync(path.join(REPO, 'package.json'), 'utf8');
    const nls = JSON.parse(readFileSync(path.join(REPO, 'package.nls.json'), 'utf8')) as Record<string, string>;
    const used = new Set([...manifest.matchAll(/"%([\w.-]+)%"/g)].map((m) => m[1]));
    assert.ok(used.size > 20, `only ${used.size} localised strings`);
    for (const key of used) assert.ok(nls[key], `package.nls.json has no ${key}`);
    for (const key of Object.keys(nls)) assert.ok(used.has(key), `package.nls.json's ${key} is not used`);
    // The walkthrough's pages and images ship in the .vsix (listed in the first test).
    const walkthrough = JSON.parse(manifest).contributes.walkthroughs[0].steps as { media: Record<string, unknown> }[];
    for (const step of walkthrough) {
      const media = step.media.markdown ?? step.media.image;
      const files = typeof media === 'string' ? [media] : Object.values(media as Record<string, string>);
      for (const f of files) assert.ok(existsSync(path.join(REPO, f)), `${f} is missing`);
    }
  });
});
