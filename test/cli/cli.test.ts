import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { describe, it } from 'node:test';
import Ajv from 'ajv-draft-04';
import { copyToTemp } from '../helpers/lint';
import { EXAMPLES, FIXTURES, REPO } from '../helpers/paths';
import { runCli } from '../helpers/run';
import { RULES } from '../../server/src/core/rules/index';

const EXAMPLE_SECRETS = ['admin-panel-2019', 'shop-2023-rotation', 'dev-secret-do-not-use'];

/** The parts of a SARIF run these tests read. */
interface SarifRun {
  tool: { driver: { rules: { id: string; help: { markdown: string } }[] } };
  results: {
    ruleId: string;
    ruleIndex: number;
    locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
  }[];
}

describe('sessionlint CLI', () => {
  it('exits 1 with findings, in text, json and sarif, never printing a secret', async () => {
    for (const format of ['text', 'json', 'sarif']) {
      const r = await runCli(['--format', format, 'flask-waitress'], EXAMPLES);
      assert.equal(r.code, 1, r.stderr);
      for (const secret of EXAMPLE_SECRETS)
        assert.ok(!(r.stdout + r.stderr).includes(secret), `${format} output contains a secret`);
    }
    const text = await runCli(['flask-waitress'], EXAMPLES);
    assert.match(
      text.stdout,
      /^flask-waitress\/shop\/config\.py:22:18: SL103 \[error\] SECRET_KEY is generated at start-up: sessions are lost on every restart/m,
    );
    assert.match(text.stdout, /Found 6 problems in 4 files\./);
  });

  it('finds nothing in the fixed twin of the example', async () => {
    const r = await runCli(['flask-waitress-fixed'], EXAMPLES);
    assert.equal(r.code, 0, r.stdout);
  });

  it('reports what each framework example says it has, and nothing in its fixed twin', async () => {
    const expected: Record<string, string[]> = {
      'express-nginx': ['SL102', 'SL108', 'SL302', 'SL401'],
      'django-nginx': ['SL101', 'SL204', 'SL401', 'SL401'],
      'fastapi-uvicorn': ['SL104', 'SL301', 'SL401'],
    };
    for (const [example, codes] of Object.entries(expected)) {
      const r = await runCli(['--format', 'json', example], EXAMPLES);
      assert.equal(r.code, 1, r.stderr);
      assert.deepEqual(
        (JSON.parse(r.stdout) as { findings: { code: string }[] }).findings.map((f) => f.code).sort(),
        codes,
        example,
      );
      const fixed = await runCli([`${example}-fixed`], EXAMPLES);
      assert.equal(fixed.code, 0, `${example}-fixed: ${fixed.stdout}`);
    }
  });

  it('exits 0 on a clean project', async () => {
    const r = await runCli(['.'], path.join(FIXTURES, 'SL104', 'ok-key-from-config'));
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /All checks passed!/);
  });

  it('exits 2 on usage errors and bad configuration', async () => {
    assert.equal((await runCli(['--bogus'], REPO)).code, 2);
    assert.equal((await runCli(['--format', 'xml'], REPO)).code, 2);
    assert.equal((await runCli(['no/such/path'], REPO)).code, 2);
    const dir = await copyToTemp(path.join(FIXTURES, 'SL104', 'ok-key-from-config'));
    await fs.writeFile(path.join(dir, 'sessionlint.toml'), 'select = "SL101"\n');
    const r = await runCli(['.'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /sessionlint\.toml: `select` must be a list of strings/);
  });

  it('--config reads the named file inside the project, and refuses one it cannot read', async () => {
    const dir = await copyToTemp(path.join(EXAMPLES, 'flask-waitress'));
    const all = await runCli(['--format', 'json', '.'], dir);
    await fs.mkdir(path.join(dir, 'ci'));
    await fs.writeFile(path.join(dir, 'ci', 'strict.toml'), 'select = ["SL101"]\n');
    const picked = await runCli(['--format', 'json', '--config', 'ci/strict.toml', '.'], dir);
    const ids = (out: string) => [
      ...new Set((JSON.parse(out) as { findings: { code: string }[] }).findings.map((f) => f.code)),
    ];
    assert.ok(ids(all.stdout).length > 1);
    assert.deepEqual(ids(picked.stdout), ['SL101']);
    const missing = await runCli(['--config', 'ci/none.toml', '.'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /ci\/none\.toml: no such file/);
    const outside = await runCli(['--config', path.join(os.tmpdir(), 'x.toml'), '.'], dir);
    assert.equal(outside.code, 2);
    assert.match(outside.stderr, /must be inside the project/);
  });
  it('writes JSON with 1-based positions and fix safety, and no fix edits', async () => {
    const r = await runCli(['--format', 'json', 'flask-waitress'], EXAMPLES);
    const out = JSON.parse(r.stdout);
    const sl103 = out.findings.find((f: { code: string }) => f.code === 'SL103');
    assert.deepEqual(sl103.start, { line: 22, column: 18 });
    assert.equal(sl103.path, 'flask-waitress/shop/config.py');
    assert.deepEqual(sl103.fix, {
      title: 'Read the secret from the environment variable FLASK_SECRET_KEY',
      safety: 'unsafe',
    });
    assert.ok(!('edits' in sl103.fix));
  });

  it('writes SARIF 2.1.0 that validates against the schema, with every rule and its help', async () => {
    const r = await runCli(['--format', 'sarif', 'flask-waitress'], EXAMPLES);
    const sarif = JSON.parse(r.stdout) as { runs: SarifRun[] };
    const schema = JSON.parse(readFileSync(path.join(REPO, 'test', 'schemas', 'sarif-2.1.0-rtm.5.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema);
    assert.ok(validate(sarif), JSON.stringify(validate.errors, null, 2));
    const run = sarif.runs[0];
    assert.deepEqual(
      run.tool.driver.rules.map((x) => x.id),
      RULES.map((r) => r.id),
    );
    assert.match(run.tool.driver.rules[0].help.markdown, /## Why is this bad\?/);
    const result = run.results.find((x) => x.ruleId === 'SL103');
    assert.ok(result);
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'flask-waitress/shop/config.py');
    assert.equal(run.tool.driver.rules[result.ruleIndex].id, 'SL103');
  });

  it('--select and --ignore pick rules by id, prefix or name', async () => {
    const only = JSON.parse(
      (await runCli(['--format', 'json', '--select', 'SL103', 'flask-waitress'], EXAMPLES)).stdout,
    );
    assert.deepEqual([...new Set(only.findings.map((f: { code: string }) => f.code))], ['SL103']);
    const without = JSON.parse(
      (await runCli(['--format', 'json', '--ignore', 'hardcoded-session-secret,SL10', 'flask-waitress'], EXAMPLES))
        .stdout,
    );
    assert.deepEqual(
      without.findings.map((f: { code: string }) => f.code),
      ['SL502', 'SL402'],
    );
  });

  it('--fix applies only safe fixes; --fix --unsafe-fixes applies the rest once', async () => {
    const dir = await copyToTemp(path.join(EXAMPLES, 'flask-waitress'));
    const before = await fs.readFile(path.join(dir, 'shop', 'config.py'), 'utf8');
    const safe = await runCli(['--fix', '.'], dir);
    assert.equal(safe.code, 1);
    assert.match(safe.stdout, /5 fixes are available with --fix --unsafe-fixes\./);
    assert.equal(await fs.readFile(path.join(dir, 'shop', 'config.py'), 'utf8'), before);

    const unsafe = await runCli(['--fix', '--unsafe-fixes', '.'], dir);
    assert.match(unsafe.stdout, /Applied 5 fixes\./);
    assert.match(
      await fs.readFile(path.join(dir, 'serve.py'), 'utf8'),
      /trusted_proxy="127\.0\.0\.1", trusted_proxy_headers="x-forwarded-for x-forwarded-proto"\)/,
    );
    assert.match(
      await fs.readFile(path.join(dir, 'nginx', 'shop.conf'), 'utf8'),
      /X-Request-Id \$request_id;\n {8}proxy_set_header Host \$host;\n/,
    );
    const config = await fs.readFile(path.join(dir, 'shop', 'config.py'), 'utf8');
    assert.match(config, /^import os$/m);
    // Config class bodies run at import: the reads must not raise there, and the app fails fast instead.
    assert.equal((config.match(/SECRET_KEY = os\.environ\.get\("FLASK_SECRET_KEY"\)/g) ?? []).length, 2);
    assert.match(
      await fs.readFile(path.join(dir, 'shop', '__init__.py'), 'utf8'),
      /\n {4}if not app\.config\["SECRET_KEY"\] and not \(app\.testing or app\.debug\):\n {8}raise RuntimeError\("FLASK_SECRET_KEY is not set"\)\n/,
    );
    assert.match(
      await fs.readFile(path.join(dir, 'admin.py'), 'utf8'),
      /admin\.secret_key = os\.environ\["ADMIN_SECRET_KEY"\]/,
    );
    const env = await fs.readFile(path.join(dir, '.env'), 'utf8');
    // The shop's development key moves as is; the production key then reads the same variable,
    // and dropping admin.py's fallback adds nothing to .env.
    assert.equal(env, 'FLASK_SECRET_KEY=dev-secret-do-not-use\n');
    assert.equal(await fs.readFile(path.join(dir, '.gitignore'), 'utf8'), '.env\n');
    assert.match(await fs.readFile(path.join(dir, '.env.example'), 'utf8'), /^FLASK_SECRET_KEY=$/m);
    // Only the rotation key (no automatic fix) is left.
    assert.equal(unsafe.code, 1);
    assert.match(unsafe.stdout, /Found 1 problem in 1 file\./);

    const snapshot = async () =>
      Promise.all(
        ['.env', '.gitignore', 'shop/config.py', 'admin.py', 'serve.py', 'nginx/shop.conf'].map((f) =>
          fs.readFile(path.join(dir, f), 'utf8'),
        ),
      );
    const once = await snapshot();
    const again = await runCli(['--fix', '--unsafe-fixes', '.'], dir);
    assert.doesNotMatch(again.stdout, /Applied/);
    assert.deepEqual(await snapshot(), once, 'a second --fix changes nothing');
  });

  it('keeps analysing past syntax errors and skips binary and huge files with a note', async () => {
    const dir = await copyToTemp(path.join(FIXTURES, 'SL104', 'ok-key-from-config'));
    await fs.writeFile(
      path.join(dir, 'broken.py'),
      'from flask import Flask\napp = Flask(__name__)\ndef broken(:\n    pass\napp.secret_key = "after-the-error"\n',
    );
    await fs.writeFile(path.join(dir, 'blob.py'), Buffer.from([0, 1, 2, 3]));
    await fs.writeFile(path.join(dir, 'huge.py'), `# flask\n${'x = 1\n'.repeat(200_000)}`);
    const r = await runCli(['--format', 'json', '.'], dir);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(
      out.findings.map((f: { code: string; path: string }) => `${f.path}:${f.code}`),
      ['broken.py:SL101'],
    );
    assert.deepEqual(out.skipped, [
      { path: 'blob.py', reason: 'binary file' },
      { path: 'huge.py', reason: 'larger than 1 MB' },
    ]);
    const text = await runCli(['.'], dir);
    assert.match(text.stderr, /sessionlint: skipped huge\.py: larger than 1 MB/);
  });

  it('honours .gitignore unless --no-ignore, and lints one file with its project around it', async () => {
    const dir = await copyToTemp(path.join(EXAMPLES, 'flask-waitress'));
    await fs.writeFile(path.join(dir, '.gitignore'), 'admin.py\n');
    const ignored = JSON.parse((await runCli(['--format', 'json', '.'], dir)).stdout);
    assert.ok(!ignored.findings.some((f: { path: string }) => f.path === 'admin.py'));
    const all = JSON.parse((await runCli(['--format', 'json', '--no-ignore', '.'], dir)).stdout);
    assert.ok(all.findings.some((f: { path: string }) => f.path === 'admin.py'));
    const one = JSON.parse((await runCli(['--format', 'json', 'shop/config.py'], dir)).stdout);
    assert.deepEqual([...new Set(one.findings.map((f: { path: string }) => f.path))], ['shop/config.py']);
    assert.ok(
      one.findings.some((f: { code: string }) => f.code === 'SL103'),
      'config classes resolve through shop/__init__.py',
    );
  });

  it('writes a fixed latin-1 file back in latin-1', async () => {
    const dir = await copyToTemp(path.join(FIXTURES, 'SL104', 'ok-key-from-config'));
    const source =
      '# -*- coding: latin-1 -*-\nimport os\nfrom flask import Flask\n# caf\xe9\napp = Flask(__name__)\napp.secret_key = os.environ.get("FLASK_SECRET_KEY", "d\xe9j\xe0-vu")\n';
    await fs.writeFile(path.join(dir, 'legacy.py'), Buffer.from(source, 'latin1'));
    const r = await runCli(['--fix', '--unsafe-fixes', 'legacy.py'], dir);
    assert.match(r.stdout, /Applied 1 fix\./);
    const bytes = await fs.readFile(path.join(dir, 'legacy.py'));
    assert.equal(
      bytes.toString('latin1'),
      source.replace('os.environ.get("FLASK_SECRET_KEY", "d\xe9j\xe0-vu")', 'os.environ["FLASK_SECRET_KEY"]'),
    );
    assert.ok(bytes.includes(0xe9), 'the latin-1 byte of the comment is kept');
  });

  it("--explain prints a rule's documentation by id or name, and lists the rules", async () => {
    const byId = await runCli(['--explain', 'SL402'], REPO);
    assert.equal(byId.code, 0);
    assert.match(byId.stdout, /^# proxyfix-stripped-by-waitress \(SL402\)\n/);
    assert.equal((await runCli(['--explain', 'proxyfix-stripped-by-waitress'], REPO)).stdout, byId.stdout);
    const all = await runCli(['--explain', 'ALL'], REPO);
    assert.equal(all.stdout.trim().split('\n').length, RULES.length);
    assert.equal((await runCli(['--explain', 'SL999'], REPO)).code, 2);
  });

  it('stops quietly when its output pipe closes early (| head)', async () => {
    // Far more output than a pipe holds, so the writer surely meets the closed pipe.
    const dir = await copyToTemp(path.join(FIXTURES, 'SL104', 'ok-key-from-config'));
    await fs.writeFile(
      path.join(dir, 'many.py'),
      `from flask import Flask\napp = Flask(__name__)\n${'app.secret_key = "a-hardcoded-key"\n'.repeat(2000)}`,
    );
    const cli = path.join(REPO, 'dist', 'cli.js');
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${cli}" --format sarif . | head -c 1 >/dev/null`], {
      cwd: dir,
      encoding: 'utf8',
    });
    assert.equal(r.stderr, '', 'no crash report');
  });
});
