import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import type { PlacedChains } from '../../server/src/cli/format-chain';
import { copyToTemp } from '../helpers/lint';
import { EXAMPLES, FIXTURES, REPO } from '../helpers/paths';
import { runCli } from '../helpers/run';

const schema = JSON.parse(readFileSync(path.join(REPO, 'schemas', 'chain.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true }).compile(schema);

/** The example projects' literal secrets: the chain names where a key comes from, never the key. */
const SECRETS = ['admin-panel-2019', 'shop-2023-rotation', 'dev-secret-do-not-use', 'django-insecure-'];

async function chainJson(target: string, cwd = EXAMPLES): Promise<PlacedChains> {
  const r = await runCli(['chain', '--format', 'json', target], cwd);
  assert.equal(r.code, 0, r.stderr);
  for (const s of SECRETS) assert.ok(!r.stdout.includes(s), `the chain of ${target} shows a secret`);
  const json = JSON.parse(r.stdout) as PlacedChains;
  assert.ok(validate(json), JSON.stringify(validate.errors, null, 2));
  return json;
}

function hop(chains: PlacedChains, app: number, name: string) {
  const found = chains.apps[app].hops.find((h) => h.name === name);
  assert.ok(found, `no ${name} hop in ${chains.apps[app].hops.map((h) => h.name).join(', ')}`);
  return found;
}

describe('sessionlint chain', () => {
  it('writes JSON that validates against schemas/chain.schema.json for every example, from browser to session', async () => {
    for (const example of ['flask-waitress', 'django-nginx', 'express-nginx', 'fastapi-uvicorn']) {
      for (const target of [example, `${example}-fixed`]) {
        const chains = await chainJson(target);
        assert.ok(chains.apps.length > 0, `${target}: no app`);
        for (const app of chains.apps) {
          assert.equal(app.hops[0].kind, 'client');
          assert.ok(['session', 'app'].includes(app.hops[app.hops.length - 1].kind));
          for (const h of app.hops) assert.equal(h.broken, h.findings.length > 0);
        }
        // The fixed twins lint clean, so no hop of theirs is broken.
        if (target.endsWith('-fixed')) {
          assert.deepEqual(
            chains.apps.flatMap((a) => a.hops.filter((h) => h.broken).map((h) => `${a.name}: ${h.name}`)),
            [],
          );
          assert.deepEqual(chains.unplaced, []);
        }
      }
    }
  });

  it('marks the hop where each example breaks, with the file and line that configure it', async () => {
    const flask = await chainJson('flask-waitress');
    const app = flask.apps.findIndex((a) => a.name === 'app in shop/__init__.py');
    const waitress = hop(flask, app, 'waitress');
    assert.deepEqual(
      waitress.findings.map((f) => f.ruleId),
      ['SL402'],
    );
    assert.equal(waitress.location?.path, 'flask-waitress/serve.py');
    const session = hop(flask, app, 'Session');
    assert.ok(session.findings.some((f) => f.ruleId === 'SL103'));
    assert.match(session.details.find((d) => d.label === 'Key')?.value ?? '', /^generated at start-up/);

    const django = await chainJson('django-nginx');
    assert.ok(hop(django, 0, 'nginx').findings.some((f) => f.ruleId === 'SL204'));
    assert.equal(
      hop(django, 0, 'Session').details.find((d) => d.label === 'Key')?.value,
      'hardcoded in shop/settings.py',
    );

    const express = await chainJson('express-nginx');
    assert.deepEqual(
      hop(express, 0, 'Session')
        .findings.map((f) => f.ruleId)
        .sort(),
      ['SL102', 'SL108', 'SL302'],
    );
  });

  it('shows Caddy, Apache and uWSGI hops with what each does with the headers', async () => {
    const dir = await copyToTemp(path.join(FIXTURES, 'SL501'));
    const apache = await chainJson('apache-no-forwarded-proto', dir);
    const front = hop(apache, 0, 'Apache');
    assert.equal(front.details.find((d) => d.label === 'X-Forwarded-Proto')?.value, 'not sent');
    assert.equal(front.details.find((d) => d.label === 'X-Forwarded-For')?.value, 'sent by Apache itself');
    assert.deepEqual(
      front.findings.map((f) => f.ruleId),
      ['SL501'],
    );
    const caddy = await chainJson('ok-caddy-defaults', dir);
    assert.equal(hop(caddy, 0, 'Caddy').details.find((d) => d.label === 'Host')?.value, "the client's");
    const uwsgi = await chainJson('uwsgi-http-socket-beside-nginx', await copyToTemp(path.join(FIXTURES, 'SL404')));
    assert.deepEqual(
      hop(uwsgi, 0, 'uWSGI').findings.map((f) => f.ruleId),
      ['SL404'],
    );
  });

  it('draws a Mermaid flowchart with the broken hops in their own class, and a text picture', async () => {
    const mermaid = await runCli(['chain', '--format', 'mermaid', 'flask-waitress'], EXAMPLES);
    assert.equal(mermaid.code, 0, mermaid.stderr);
    assert.match(mermaid.stdout, /^flowchart TD\n/);
    assert.match(mermaid.stdout, /\["<b>waitress<\/b>[^"]*SL402"\]:::broken/);
    // Labels are quoted: no quote inside one may end it early.
    for (const line of mermaid.stdout.split('\n').filter((l) => l.includes('["')))
      assert.equal(line.split('"').length, 3, line);
    const fixed = await runCli(['chain', '--format', 'mermaid', 'flask-waitress-fixed'], EXAMPLES);
    assert.doesNotMatch(fixed.stdout, /:::broken/);

    const text = await runCli(['chain', 'flask-waitress'], EXAMPLES);
    assert.match(text.stdout, /^ x waitress: listens on 127\.0\.0\.1:8080 {2}flask-waitress\/serve\.py:10$/m);
    assert.match(text.stdout, /^ {6}SL402 /m);
  });

  it('refuses --fix and formats it cannot write', async () => {
    assert.equal((await runCli(['chain', '--fix', 'flask-waitress'], EXAMPLES)).code, 2);
    assert.equal((await runCli(['chain', '--format', 'sarif', 'flask-waitress'], EXAMPLES)).code, 2);
    assert.equal((await runCli(['--format', 'mermaid', 'flask-waitress'], EXAMPLES)).code, 2);
  });
});
