import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildChains, MAX_CHAIN_APPS } from '../../server/src/core/chain';
import { emptyProjectConfig } from '../../server/src/core/settings';
import { loadProject } from '../../server/src/node/load-project';
import { createParsers } from '../../server/src/node/parser';
import { copyToTemp, lint } from '../helpers/lint';
import { runCli } from '../helpers/run';
import { assertFixesConverge, assertNoPlantedSecret, lintAll, assertChainKeepsSecrets } from './properties';
import { HOSTILE, PLANTED } from './seeds';

const cases = readdirSync(HOSTILE)
  .filter((n) => statSync(path.join(HOSTILE, n)).isDirectory())
  .sort();

async function load(name: string) {
  return loadProject(
    path.join(HOSTILE, name),
    await createParsers(),
    { config: emptyProjectConfig(), errors: [] },
    { respectIgnores: true, maxFileSize: 1024 * 1024 },
  );
}

describe('hostile inputs (regression fixtures)', () => {
  for (const name of cases) {
    it(`${name}: loads, lints without a rule failing, shows no secret (nor does its chain), and its fixes converge`, async () => {
      const loaded = await load(name);
      const findings = lintAll(loaded.project);
      assertNoPlantedSecret(findings);
      assertChainKeepsSecrets(loaded.project, findings);
      assertFixesConverge(loaded.project);
      loaded.project.dispose();
    });
  }

  // Found by the fuzzer: 1,500 `express()` calls in one file made a chain report of every
  // finding for every app, past the longest string V8 allows (and hours of fixes before that).
  it('a file of 1,500 express() calls draws MAX_CHAIN_APPS chains and says how many more', async () => {
    const loaded = await load('many-express-apps');
    const report = buildChains(loaded.project, lintAll(loaded.project));
    assert.equal(report.apps.length, MAX_CHAIN_APPS);
    assert.equal(report.omittedApps, 1500 - MAX_CHAIN_APPS);
    assert.ok(JSON.stringify(report).length < 2_000_000, 'the report stays small');
    loaded.project.dispose();
  });

  // Found by the fuzzer: 3,000 `web:` lines were 3,000 servers, each its own SL401 with fixes.
  it('a Procfile that repeats a process type is one process: its last line', async () => {
    const loaded = await load('procfile-many-web-processes');
    assert.equal(lint(loaded.project, ['SL401']).length, 1);
    loaded.project.dispose();
  });

  it('nesting 50,000 deep is one skipped-file note per file, never a RangeError', async () => {
    const loaded = await load('deep-nesting');
    const reasons = loaded.skipped.map((s) => `${path.basename(s.path)}: ${s.reason}`).sort();
    assert.deepEqual(reasons, [
      'docker-compose.yml: not analysed: nesting deeper than 256 levels',
      'pyproject.toml: not analysed: nesting deeper than 256 levels',
      'settings.json: not analysed: nesting deeper than 256 levels',
    ]);
  });

  it('YAML and TOML denser than any real file are skipped with a note; a CMD that is not JSON is the shell form', async () => {
    const loaded = await load('dense-config');
    const reasons = loaded.skipped.map((s) => `${path.basename(s.path)}: ${s.reason}`).sort();
    assert.deepEqual(reasons, [
      'docker-compose.yml: not analysed: more than 0.45 YAML tokens a byte',
      'pyproject.toml: not analysed: more than one TOML table or key every 16 bytes',
    ]);
    const dockerfile = [...loaded.project.all()].find((f) => f.kind === 'dockerfile')!;
    assert.deepEqual(dockerfile.deploy?.servers, []);
  });

  it('a script whose syntax errors make tree-sitter run away is skipped with a note, in bounded time', async () => {
    const loaded = await load('error-dense-script');
    const reasons = loaded.skipped.map((s) => `${path.basename(s.path)}: ${s.reason}`);
    assert.deepEqual(reasons, ['server.js: not analysed: syntax errors too dense to parse in bounded time']);
  });

  it('nginx words joined by a non-breaking space or a form feed are words, as nginx reads them', async () => {
    const loaded = await load('nginx-unicode-space');
    const file = [...loaded.project.all()].find((f) => f.kind === 'nginx')!;
    // `server\u00a0listen` is one word to nginx, so the block is not a server block.
    assert.equal(file.deploy?.nginx?.blocks.length ?? 0, 0);
  });

  it('a call left open above an assignment: the message names the setting, not the text before it', async () => {
    const loaded = await load('unclosed-call-secret');
    const messages = lint(loaded.project).flatMap((f) => [f.message, ...f.related.map((r) => r.message)]);
    for (const m of messages) assert.ok(!m.includes(PLANTED.slice(0, 8)), m);
  });

  it('the CLI fixes a BOM and CRLF file and keeps both', async () => {
    const dir = await copyToTemp(path.join(HOSTILE, 'bom-crlf'));
    const r = await runCli(['--fix', '--unsafe-fixes', '.'], dir);
    assert.equal(r.code, 0, r.stderr);
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(path.join(dir, 'app.py'));
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.match(
      bytes.toString('utf8'),
      /^\ufeffimport os\r\n\r\nfrom flask import Flask\r\n.*os\.environ\["FLASK_SECRET_KEY"\]\r\n$/s,
    );
  });
});
