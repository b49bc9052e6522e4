import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { toCorePath } from '../../server/src/node/paths';
import { writeAllOrNothing } from '../../server/src/node/write-files';
import { copyToTemp } from '../helpers/lint';
import { EXAMPLES, FIXTURES } from '../helpers/paths';
import { runCli } from '../helpers/run';

const LITERAL_APP = 'from flask import Flask\napp = Flask(__name__)\napp.secret_key = "literal-key-value"\n';

async function project(files: Record<string, string>): Promise<string> {
  const dir = await copyToTemp(path.join(FIXTURES, 'SL104', 'ok-key-from-config'));
  for (const name of await fs.readdir(dir)) await fs.rm(path.join(dir, name), { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), text);
  }
  return dir;
}

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of await fs.readdir(dir, { recursive: true })) {
    const full = path.join(dir, name);
    const stat = await fs.lstat(full);
    out[name] = stat.isFile() ? await fs.readFile(full, 'utf8') : stat.isDirectory() ? '<dir>' : '<other>';
  }
  return out;
}

describe('CLI under hostile conditions', () => {
  it('an unknown or empty rule selector exits 2 with one line naming it', async () => {
    const dir = await project({ 'app.py': LITERAL_APP });
    const bogus = await runCli(['--select', 'BOGUS', '.'], dir);
    assert.equal(bogus.code, 2);
    assert.equal(
      bogus.stderr,
      'sessionlint: --select: no rule matches "BOGUS" (sessionlint --explain ALL lists them)\n',
    );
    assert.equal((await runCli(['--ignore', 'SL101,', '.'], dir)).code, 2);
    await fs.writeFile(path.join(dir, 'sessionlint.toml'), 'ignore = ["hardcoded-secrets"]\n');
    const config = await runCli(['.'], dir);
    assert.equal(config.code, 2);
    assert.match(config.stderr, /sessionlint\.toml: `ignore`: no rule matches "hardcoded-secrets"/);
  });

  it('a run that lints nothing says so and what hid the files; a path given explicitly is linted anyway', async () => {
    const dir = await project({
      'app.py': LITERAL_APP,
      '.gitignore': '*.py\n',
      'requirements.txt': '',
      '.git/HEAD': '',
    });
    await fs.rm(path.join(dir, 'requirements.txt'));
    const all = await runCli(['.'], dir);
    assert.equal(all.code, 0);
    assert.equal(all.stdout, 'No files were linted.\n');
    assert.match(all.stderr, /no file was linted; left out by `\*\.py` in \.gitignore/);
    const explicit = await runCli(['app.py'], dir);
    assert.equal(explicit.code, 1, explicit.stderr);
    assert.match(explicit.stdout, /app\.py:3:18: SL101/);
  });

  it('SARIF URIs percent-encode #, ? and :, and text output escapes control characters in names', async () => {
    const dir = await project({ 'we#ird?na:me/app.py': LITERAL_APP, 'line\nbreak/app.py': LITERAL_APP });
    const sarif = JSON.parse((await runCli(['--format', 'sarif', '.'], dir)).stdout);
    const uris = sarif.runs[0].results
      .map(
        (r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
          r.locations[0].physicalLocation.artifactLocation.uri,
      )
      .sort();
    assert.deepEqual(uris, ['line%0Abreak/app.py', 'we%23ird%3Fna%3Ame/app.py']);
    const text = (await runCli(['.'], dir)).stdout;
    assert.match(text, /^line\\nbreak\/app\.py:3:18: SL101/m);
  });

  it('a fix whose .env is a folder, a pipe or a link out of the project changes no file, and says why', async () => {
    for (const kind of ['folder', 'pipe', 'link-out', 'dangling']) {
      const dir = await project({ 'app.py': LITERAL_APP });
      const env = path.join(dir, '.env');
      if (kind === 'folder') await fs.mkdir(env);
      else if (kind === 'pipe') execFileSync('mkfifo', [env]);
      else if (kind === 'link-out') await fs.symlink('/etc/hostname', env);
      else await fs.symlink(path.join(dir, 'nowhere'), env);
      const before = await snapshot(dir);
      const r = await runCli(['--fix', '--unsafe-fixes', '.'], dir);
      assert.deepEqual(await snapshot(dir), before, `${kind}: no file may change`);
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        /^sessionlint: fix not applied, no file changed: Move the secret to the environment variable FLASK_SECRET_KEY: \.env already exists/m,
        kind,
      );
      assert.ok(!r.stderr.includes('literal-key-value'));
    }
  });

  it('a read-only .env refuses the whole fix too', async () => {
    const dir = await project({ 'app.py': LITERAL_APP, '.env': 'OTHER=1\n', '.gitignore': '.env\n' });
    await fs.chmod(path.join(dir, '.env'), 0o444);
    const r = await runCli(['--fix', '--unsafe-fixes', '.'], dir);
    assert.match(r.stderr, /\.env is read-only/);
    assert.equal(await fs.readFile(path.join(dir, 'app.py'), 'utf8'), LITERAL_APP);
  });

  it('never writes text computed from a read that is now stale', async () => {
    const dir = toCorePath(await project({ 'app.py': 'old\n', 'new.txt': '' }));
    await fs.writeFile(path.join(dir, 'app.py'), 'changed meanwhile\n');
    const outcome = await writeAllOrNothing(dir, [
      { path: `${dir}/new.txt.2`, text: 'x', encoding: 'utf8' },
      { path: `${dir}/app.py`, text: 'fixed\n', expected: 'old\n', encoding: 'utf8' },
    ]);
    assert.deepEqual(outcome, { ok: false, reason: 'app.py changed on disk since it was read' });
    assert.equal(await fs.readFile(path.join(dir, 'app.py'), 'utf8'), 'changed meanwhile\n');
    await assert.rejects(fs.access(path.join(dir, 'new.txt.2')));
    assert.deepEqual(await writeAllOrNothing(dir, [{ path: '/etc/x', text: '', encoding: 'utf8' }]), {
      ok: false,
      reason: '/etc/x is outside the project',
    });
  });

  it('a config file that is a FIFO or a link to /dev/urandom is an error, read never', async () => {
    for (const kind of ['fifo', 'urandom']) {
      const dir = await project({ 'app.py': LITERAL_APP });
      const config = path.join(dir, 'pyproject.toml');
      if (kind === 'fifo') execFileSync('mkfifo', [config]);
      else await fs.symlink('/dev/urandom', config);
      const r = await runCli(['.'], dir);
      assert.equal(r.code, 2);
      assert.match(
        r.stderr,
        kind === 'fifo' ? /pyproject\.toml: not a regular file/ : /pyproject\.toml: a symbolic link/,
      );
    }
  });

  it('FIFOs, sockets and links in the tree are never opened', async () => {
    const dir = await copyToTemp(path.join(EXAMPLES, 'flask-waitress'));
    execFileSync('mkfifo', [path.join(dir, 'blocking.py')]);
    await fs.symlink('/dev/urandom', path.join(dir, 'random.py'));
    const r = await runCli(['--format', 'json', '.'], dir);
    assert.equal(r.code, 1, r.stderr);
  });
});
