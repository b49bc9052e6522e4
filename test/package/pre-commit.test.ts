import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { promises as fs, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { EXAMPLES, REPO } from '../helpers/paths';

// The pre-commit hook as its users run it: Debian's pre-commit with a `.pre-commit-config.yaml`
// that names this repository (which pre-commit installs with npm through `language: node` and the
// system Node.js), in copies of the examples made into git repositories. The repository is
// cloned with its uncommitted changes committed, as `pre-commit try-repo` does, but once: try-repo
// installs the hook afresh on every run (a minute each).
const PRE_COMMIT = '/usr/bin/pre-commit';
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=test', ...args], { cwd, stdio: 'pipe' });

describe('the pre-commit hook', () => {
  // One pre-commit cache for the file: the hook is installed once (npm install, build, pack).
  const home = mkdtempSync(path.join(os.tmpdir(), 'sessionlint-pre-commit-'));
  const hookRepo = path.join(home, 'sessionlint');
  let rev = '';
  const run = (cwd: string, ...args: string[]) =>
    spawnSync(PRE_COMMIT, ['run', ...args], {
      cwd,
      // npm takes the packages `npm ci` already cached rather than asking the registry again.
      env: { ...process.env, PRE_COMMIT_HOME: home, NO_COLOR: '1', npm_config_prefer_offline: 'true' },
      encoding: 'utf8',
    });

  async function repoOf(example: string): Promise<string> {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'sessionlint-hooked-')), example);
    await fs.cp(path.join(EXAMPLES, example), dir, { recursive: true });
    await fs.writeFile(
      path.join(dir, '.pre-commit-config.yaml'),
      `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n      - id: sessionlint\n`,
    );
    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'example');
    return dir;
  }

  before(() => {
    assert.equal(spawnSync(PRE_COMMIT, ['--version']).status, 0, 'pre-commit is missing: run scripts/setup.sh');
    git(home, 'clone', '-q', REPO, hookRepo);
    const changes = execFileSync('git', ['diff', 'HEAD', '--binary'], { cwd: REPO });
    if (changes.length > 0) {
      execFileSync('git', ['apply', '--binary', '-'], { cwd: hookRepo, input: changes });
      git(hookRepo, 'add', '-A');
      git(hookRepo, 'commit', '-qm', 'uncommitted changes');
    }
    rev = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: hookRepo, encoding: 'utf8' }).trim();
  });

  it('fails on the broken example with the findings, and passes its fixed twin', async () => {
    const broken = run(await repoOf('flask-waitress'), '--all-files');
    assert.equal(broken.status, 1, broken.stdout + broken.stderr);
    assert.match(broken.stdout, /Session Lint\.+Failed/);
    assert.match(broken.stdout, /^shop\/config\.py:22:18: SL103 \[error\]/m);
    const fixed = run(await repoOf('flask-waitress-fixed'), '--all-files');
    assert.equal(fixed.status, 0, fixed.stdout + fixed.stderr);
    assert.match(fixed.stdout, /Session Lint\.+Passed/);
  });

  it('lints the staged files only, with their project around them', async () => {
    const dir = await repoOf('flask-waitress-fixed');
    // A key in the config class that shop/__init__.py loads for production: another file says so.
    const config = path.join(dir, 'shop', 'config.py');
    const text = await fs.readFile(config, 'utf8');
    await fs.writeFile(
      config,
      text.replace(
        'class ProductionConfig(Config):\n',
        'class ProductionConfig(Config):\n    SECRET_KEY = "staged-secret-0123456789"\n',
      ),
    );
    git(dir, 'add', 'shop/config.py');
    const r = run(dir);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    const findings = r.stdout.split('\n').filter((l) => /: SL\d{3} /.test(l));
    assert.ok(findings.length > 0, r.stdout);
    for (const f of findings) assert.match(f, /^shop\/config\.py:/);
    assert.ok(!r.stdout.includes('staged-secret-0123456789'), 'the hook shows no secret');
  });
});
