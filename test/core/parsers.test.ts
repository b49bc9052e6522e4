import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { extractComposeFacts } from '../../server/src/core/facts/compose';
import {
  extractDockerfileFacts,
  extractPasteFacts,
  extractSystemdFacts,
} from '../../server/src/core/facts/command-files';
import { emptyDeployFacts } from '../../server/src/core/facts/deploy-model';
import { extractNginxFacts } from '../../server/src/core/facts/nginx-facts';
import { serverRunFromCommand } from '../../server/src/core/facts/server-commands';
import {
  versionsFromPipfileLock,
  versionsFromPoetryLock,
  versionsFromPyproject,
  versionsFromSetupCfg,
} from '../../server/src/core/facts/versions-files';
import { parseIni } from '../../server/src/core/parse/ini';
import { MAX_NGINX_ERRORS, nginxHighlights, parseNginx } from '../../server/src/core/parse/nginx';
import { parseRequirementsTxt } from '../../server/src/core/parse/requirements';
import { splitCommands } from '../../server/src/core/parse/shell-words';
import { parseToml, tomlGet } from '../../server/src/core/parse/toml';
import type { SyntaxParser } from '../../server/src/core/parse/tree-sitter';
import { formatVersion, highestAllowed, parseVersion } from '../../server/src/core/versions';
import { createParsers } from '../../server/src/node/parser';
import { projectOf } from '../helpers/lint';

const at = (text: string, span: { start: number; end: number }) => text.slice(span.start, span.end);

describe('nginx parser', () => {
  it('reads directives, blocks, quotes, comments and variables with positions', () => {
    const text =
      'http {\n  # a comment; with { braces }\n  server {\n    server_name "a.example.com" \'b.example.com\';\n    set $x "${host}:x";\n    location ~ ^/(api|ws)/ { proxy_pass http://up; }\n  }\n}\n';
    const { directives, errors } = parseNginx(text);
    assert.deepEqual(errors, []);
    const server = directives[0].block![0];
    assert.equal(server.name, 'server');
    assert.deepEqual(
      server.block![0].args.map((a) => a.text),
      ['a.example.com', 'b.example.com'],
    );
    assert.equal(at(text, server.block![0].args[0].span), '"a.example.com"');
    assert.deepEqual(
      server.block![1].args.map((a) => a.text),
      ['$x', '${host}:x'],
    );
    const location = server.block![2];
    assert.deepEqual(
      location.args.map((a) => a.text),
      ['~', '^/(api|ws)/'],
    );
    assert.equal(at(text, location.block![0].span), 'proxy_pass http://up;');
  });
  it('keeps the first errors and counts the rest, so stray braces cost no object each', () => {
    const parsed = parseNginx(`proxy_pass x;${'{'.repeat(10_000)}`);
    assert.equal(parsed.errors.length, MAX_NGINX_ERRORS);
    assert.ok(parsed.errorCount > MAX_NGINX_ERRORS);
    assert.deepEqual(
      parsed.directives.map((d) => d.name),
      ['proxy_pass'],
    );
  });
  it('collects errors and goes on, never throwing', () => {
    for (const text of [
      'server { listen 80 }',
      'server {',
      '}}}',
      'a',
      '"unterminated',
      'location / { proxy_pass x; ',
    ]) {
      const parsed = parseNginx(text);
      assert.ok(parsed.errors.length > 0, text);
    }
    assert.deepEqual(
      parseNginx('server { listen 80 }').directives[0].block!.map((d) => d.name),
      ['listen'],
    );
  });
  it("highlights with nginx's own lexical rules", () => {
    const text = 'server { # front\n  listen 443 ssl;\n  proxy_set_header Host "$host";\n  set $x $scheme;\n}\n';
    const kinds = nginxHighlights(text).map((h) => `${h.kind}:${at(text, h.span)}`);
    assert.deepEqual(kinds, [
      'directive:server',
      'punctuation:{',
      'comment:# front',
      'directive:listen',
      'number:443',
      'punctuation:;',
      'directive:proxy_set_header',
      'string:"$host"',
      'punctuation:;',
      'directive:set',
      'variable:$x',
      'variable:$scheme',
      'punctuation:;',
      'punctuation:}',
    ]);
  });
  it('applies nginx header inheritance and knows TLS servers', () => {
    const facts = extractNginxFacts(
      'server {\n listen 443 ssl;\n proxy_set_header Host $host;\n location / { proxy_pass http://a; }\n location /b { proxy_pass http://a; proxy_set_header X-Y 1; }\n}\n',
    );
    assert.deepEqual(
      facts.blocks.map((b) => [b.label, b.own.map((h) => h.name), b.inherited.map((h) => h.name), b.tls]),
      [
        ['location /', [], ['host'], true],
        ['location /b', ['x-y'], ['host'], true],
      ],
    );
  });
});

describe('shell words', () => {
  it('splits like sh: quotes, escapes, continuations, separators, assignments, comments', () => {
    const text = `A=1 B="two words" exec waitress-serve --listen='*:8080' \\\n  --trusted-proxy-headers="x-forwarded-for x-forwarded-proto" app:app && echo done # trailing`;
    const [first, second] = splitCommands(text);
    assert.deepEqual(
      first.assignments.map((w) => w.text),
      ['A=1', 'B=two words'],
    );
    assert.deepEqual(
      first.words.map((w) => w.text),
      [
        'exec',
        'waitress-serve',
        '--listen=*:8080',
        '--trusted-proxy-headers=x-forwarded-for x-forwarded-proto',
        'app:app',
      ],
    );
    assert.equal(at(text, first.words[2].span), `--listen='*:8080'`);
    assert.deepEqual(
      second.words.map((w) => w.text),
      ['echo', 'done'],
    );
  });
  it('turns command lines into server runs with their settings', () => {
    const run = (line: string) => serverRunFromCommand(splitCommands(line)[0])!;
    const w = run(
      'poetry run waitress-serve --listen=127.0.0.1:6543 --trusted-proxy 127.0.0.1 --no-clear-untrusted-proxy-headers app:app',
    );
    assert.deepEqual(
      [w.server, w.host, w.port, w.settings.trusted_proxy.value, w.settings.clear_untrusted_proxy_headers.value],
      ['waitress', '127.0.0.1', 6543, '127.0.0.1', 'false'],
    );
    const g = run('FORWARDED_ALLOW_IPS=* gunicorn -w 4 -b 0.0.0.0:8000 --reload app:app');
    assert.deepEqual(
      [g.server, g.settings.workers.value, g.host, g.port, g.settings.forwarded_allow_ips.value],
      ['gunicorn', '4', '0.0.0.0', 8000, '*'],
    );
    assert.equal(run('python3 -m waitress --port=9000 app:app').port, 9000);
    assert.equal(serverRunFromCommand(splitCommands('python serve.py')[0]), undefined);
  });
});

describe('INI, requirements and versions', () => {
  it('reads INI sections, continuation lines and comments', () => {
    const text =
      '[options]\ninstall_requires =\n    flask>=2.2\n    waitress==3.0.0\n; comment\n[server:main]\nuse = egg:waitress#main\nlisten = *:6543\n';
    const sections = parseIni(text);
    assert.deepEqual(
      sections.map((s) => s.name),
      ['options', 'server:main'],
    );
    assert.equal(sections[0].entries[0].value, '\nflask>=2.2\nwaitress==3.0.0', 'as configparser reads it');
    assert.deepEqual(
      versionsFromSetupCfg(sections, text).map((v) => [v.name, v.specifier, at(text, v.span)]),
      [
        ['flask', '>=2.2', 'flask>=2.2'],
        ['waitress', '==3.0.0', 'waitress==3.0.0'],
      ],
    );
    const facts = emptyDeployFacts();
    extractPasteFacts(text, facts);
    assert.deepEqual([facts.servers[0].server, facts.servers[0].port, facts.servers[0].host], ['waitress', 6543, '*']);
  });
  it('reads requirements files as pip does', () => {
    const text =
      '# pinned\n-r base.txt\n--index-url https://x\nFlask[async] >= 2.2, <3 ; python_version > "3.8"  # web\nwaitress==3.0.0\ngit+https://example.com/x.git\nGunicorn\n';
    assert.deepEqual(
      parseRequirementsTxt(text).map((r) => [r.name, r.specifier]),
      [
        ['flask', '>=2.2,<3'],
        ['waitress', '==3.0.0'],
        ['gunicorn', ''],
      ],
    );
  });
  it('resolves the newest version a specifier allows, capped at the current release', () => {
    const v = (spec: string, current = '3.1') => formatVersion(highestAllowed(spec, parseVersion(current)!));
    assert.equal(v('==3.0.3'), '3.0.3');
    assert.equal(v('>=2.2,<3'), '2.999999');
    assert.equal(v('~=2.2'), '2.999999');
    assert.equal(v('^2.3.1'), '2.999999');
    assert.equal(v('>=2.0'), '3.1');
    assert.equal(v(''), '3.1');
    assert.equal(v('>=4.0'), '4.0');
    assert.equal(v('==2.2.*'), '2.2.999999');
  });
});

describe('lock files, pyproject and TOML', () => {
  let toml: SyntaxParser;
  before(async () => {
    toml = (await createParsers()).toml;
  });
  it('reads TOML tables, arrays of tables, dotted keys and strings', () => {
    const doc = parseToml(
      toml,
      'a.b = "x\\ty"\n[t]\nc = \'lit\'\n[[p]]\nn = 1\n[[p]]\nn = 2\n[t.sub]\nd = """\nml"""\n',
    );
    assert.equal(doc.hasErrors, false);
    assert.deepEqual(tomlGet(doc.root, 'a.b'), { kind: 'string', value: 'x\ty', span: { start: 6, end: 12 } });
    assert.equal((tomlGet(doc.root, 't.c') as { value: string }).value, 'lit');
    assert.equal((tomlGet(doc.root, 't.sub.d') as { value: string }).value, 'ml');
    assert.equal((tomlGet(doc.root, 'p') as { items: unknown[] }).items.length, 2);
  });
  it('reads PEP 621, Poetry, poetry.lock and Pipfile.lock pins', () => {
    const pyproject = parseToml(
      toml,
      '[project]\ndependencies = ["Flask>=3.1", "requests"]\n[tool.poetry.dependencies]\npython = "^3.11"\nwaitress = { version = "^3.0", extras = [] }\ngunicorn = "*"\n',
    );
    assert.deepEqual(
      versionsFromPyproject(pyproject).map((v) => [v.name, v.specifier]),
      [
        ['flask', '>=3.1'],
        ['waitress', '^3.0'],
        ['gunicorn', ''],
      ],
    );
    const lock = parseToml(
      toml,
      '[[package]]\nname = "Werkzeug"\nversion = "3.0.6"\n[[package]]\nname = "click"\nversion = "8.1.7"\n',
    );
    assert.deepEqual(
      versionsFromPoetryLock(lock).map((v) => [v.name, v.specifier, v.locked]),
      [['werkzeug', '==3.0.6', true]],
    );
    const pipfile =
      '{"_meta": {}, "default": {"flask": {"version": "==2.3.3"}, "waitress": {"version": "==2.1.2"}}, "develop": {}}';
    assert.deepEqual(
      versionsFromPipfileLock(pipfile).map((v) => [v.name, v.specifier, at(pipfile, v.span)]),
      [
        ['flask', '==2.3.3', '"==2.3.3"'],
        ['waitress', '==2.1.2', '"==2.1.2"'],
      ],
    );
  });
  it('reads setup.py install_requires', async () => {
    const p = await projectOf({
      'setup.py':
        'from setuptools import setup\nsetup(name="shop", install_requires=["flask>=3.1", "waitress==3.0.2"])\n',
    });
    assert.deepEqual(
      p.get('/proj/setup.py')!.python!.deploy.versions.map((v) => [v.name, v.specifier]),
      [
        ['flask', '>=3.1'],
        ['waitress', '==3.0.2'],
      ],
    );
  });
});

describe('compose, Dockerfile and systemd', () => {
  it('reads compose services, commands in every form, env and published ports', () => {
    const text =
      'services:\n  web:\n    image: shop\n    command: ["waitress-serve", "--port=8080", "app:app"]\n    environment:\n      - FORWARDED_ALLOW_IPS=*\n    ports: ["8080:8080"]\n    deploy:\n      replicas: 3\n  api:\n    command: >\n      gunicorn -w 2 app:app\n    environment:\n      FORWARDED_ALLOW_IPS: "10.0.0.2"\n  proxy:\n    image: traefik:v3\n';
    const facts = emptyDeployFacts();
    extractComposeFacts(text, facts);
    assert.deepEqual(
      facts.compose!.map((s) => [s.name, s.isProxy, s.ports.map((p) => p.value), s.replicas]),
      [
        ['web', false, ['8080:8080'], 3],
        ['api', false, [], undefined],
        ['proxy', true, [], undefined],
      ],
    );
    assert.deepEqual(
      facts.servers.map((s) => [s.service, s.server, s.port, s.settings.forwarded_allow_ips?.value]),
      [
        ['web', 'waitress', 8080, undefined],
        ['api', 'gunicorn', 8000, '10.0.0.2'],
      ],
    );
    assert.deepEqual(facts.servers[0].insert, {
      style: 'flag',
      offset: text.indexOf('waitress-serve') + 'waitress-serve'.length,
      array: true,
    });
  });
  it('ignores broken YAML without throwing', () => {
    const facts = emptyDeployFacts();
    extractComposeFacts('services:\n  web:\n    command: [unclosed\n', facts);
    assert.equal(facts.compose, undefined);
  });
  it('reads Dockerfile instructions across continuation lines, exec and shell forms', () => {
    const text =
      'FROM python:3.12\nENV A=1 \\\n    FORWARDED_ALLOW_IPS="*"\nCMD gunicorn \\\n  --bind 0.0.0.0:8000 app:app\n';
    const facts = emptyDeployFacts();
    extractDockerfileFacts(text, facts);
    assert.deepEqual(
      facts.servers.map((s) => [s.server, s.port, s.settings.forwarded_allow_ips?.value]),
      [['gunicorn', 8000, '*']],
    );
  });
  it('reads a CMD that is not a JSON array of strings as the shell form, as Docker does', () => {
    const exec = emptyDeployFacts();
    extractDockerfileFacts('CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]\n', exec);
    assert.deepEqual(
      exec.servers.map((s) => [s.server, s.port]),
      [['gunicorn', 8000]],
    );
    // Single quotes are not JSON: Docker runs `/bin/sh -c "['gunicorn', ...]"`, which starts nothing.
    const shell = emptyDeployFacts();
    extractDockerfileFacts("CMD ['gunicorn', '-b', '0.0.0.0:8000', 'app:app']\n", shell);
    assert.deepEqual(shell.servers, []);
  });
  it('reads systemd ExecStart with prefixes and quoted Environment lines', () => {
    const text =
      '[Service]\nEnvironment="SECRET_KEY=in unit" DEBUG=0\nExecStart=-/usr/bin/waitress-serve --listen=127.0.0.1:8080 app:app\n';
    const facts = emptyDeployFacts();
    extractSystemdFacts(text, facts);
    assert.deepEqual(
      facts.secrets.map((s) => [s.name, at(text, s.valueSpan)]),
      [['SECRET_KEY', 'in unit']],
    );
    assert.deepEqual(
      facts.servers.map((s) => [s.server, s.port]),
      [['waitress', 8080]],
    );
  });
});
