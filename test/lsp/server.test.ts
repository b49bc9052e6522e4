import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { copyToTemp } from '../helpers/lint';
import { LspClient, uri, type WorkspaceEdit } from '../helpers/lsp';
import { EXAMPLES, FIXTURES } from '../helpers/paths';
import { applyWorkspaceEdit } from '../helpers/workspace-edit';

const codes = (d: { code?: string | number }[]) => d.map((x) => x.code).sort();

describe('language server over stdio', () => {
  const clients: LspClient[] = [];
  const start = (options?: ConstructorParameters<typeof LspClient>[0]) => {
    const c = new LspClient(options);
    clients.push(c);
    return c;
  };
  after(() => {
    for (const c of clients) c.kill();
  });

  it('publishes diagnostics for unopened files of the whole workspace', async () => {
    const dir = await copyToTemp(path.join(EXAMPLES, 'flask-waitress'));
    const client = start();
    await client.initialize([dir]);
    const config = await client.waitForDiagnostics(path.join(dir, 'shop/config.py'), (d) => d.length === 3);
    assert.deepEqual(codes(config), ['SL101', 'SL101', 'SL103']);
    const sl103 = config.find((d) => d.code === 'SL103')!;
    assert.equal(sl103.source, 'sessionlint');
    assert.deepEqual(sl103.range, { start: { line: 21, character: 17 }, end: { line: 21, character: 38 } });
    assert.ok(
      sl103.codeDescription && existsSync(fileURLToPath(sl103.codeDescription.href)),
      'docs link points at a shipped page',
    );
    await client.waitForDiagnostics(path.join(dir, 'admin.py'), (d) => codes(d).join() === 'SL102');
    assert.equal(await client.shutdown(), 0);
  });

  it('re-lints as the user types, with incremental changes and versions', async () => {
    const dir = await copyToTemp(path.join(FIXTURES, 'SL104', 'ok-key-from-config'));
    const client = start();
    await client.initialize([dir]);
    const app = path.join(dir, 'app.py');
    const text = await fs.readFile(app, 'utf8');
    await client.open(app, text);
    await client.waitForDiagnostics(app, (d) => d.length === 0);
    const line = text.split('\n').length - 1;
    const typed = 'app.secret_key = "typed-in-the-editor"\n';
    let version = 1;
    for (let i = 0; i < typed.length; i++) {
      await client.change(app, ++version, [
        { range: { start: { line, character: i }, end: { line, character: i } }, text: typed[i] },
      ]);
    }
    // Wait for the publish of the last version, not merely the first one with a finding.
    await client.waitForDiagnostics(app, () => client.diagnostics.get(uri(app))!.version === version);
    const diags = client.diagnostics.get(uri(app))!.diagnostics;
    assert.deepEqual(codes(diags), ['SL101']);
    // A range given end first (the LSP fuzz sent one) deletes the same text as in order.
    await client.change(app, ++version, [
      { range: { start: { line: line + 1, character: 0 }, end: { line, character: 0 } }, text: '' },
    ]);
    await client.waitForDiagnostics(app, (d) => d.length === 0);
    assert.deepEqual(
      client.logs.filter((l) => / failed: /.test(l)),
      [],
    );
  });

  it('a block quoted from far above to far below reads as a whole parse reads it once typing pauses', async () => {
    const dir = await copyToTemp(path.join(FIXTURES, 'SL104', 'ok-key-from-config'));
    const client = start();
    await client.initialize([dir]);
    const app = path.join(dir, 'app.py');
    const filler = (from: number) => Array.from({ length: 600 }, (_, i) => `LIMIT_${from + i} = ${i}\n`).join('');
    const text = `${await fs.readFile(app, 'utf8')}${filler(0)}app.secret_key = "typed-in-the-editor"\n${filler(600)}`;
    await client.open(app, text);
    await client.waitForDiagnostics(app, (d) => codes(d).join() === 'SL101');
    // Quotes typed 400 lines below and above the secret: it is now inside one string.
    const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.startsWith(needle));
    const insert = (line: number, quotes: string) => ({
      range: { start: { line, character: 0 }, end: { line, character: 0 } },
      text: quotes,
    });
    await client.change(app, 2, [insert(lineOf('LIMIT_1000 '), '"""\n')]);
    await client.change(app, 3, [insert(lineOf('LIMIT_200 '), '"""')]);
    await client.waitForDiagnostics(app, (d) => d.length === 0 && client.diagnostics.get(uri(app))!.version === 3);
  });

  it('offers the fix first, then disable comments, and the move-to-env edit rewrites every file', async () => {
    const dir = await copyToTemp(path.join(EXAMPLES, 'flask-waitress'));
    await fs.writeFile(path.join(dir, '.env.example'), 'SHOP_CONFIG=production\n');
    const client = start();
    await client.initialize([dir]);
    const config = path.join(dir, 'shop/config.py');
    await client.open(config, await fs.readFile(config, 'utf8'));
    const diags = await client.waitForDiagnostics(config, (d) => d.length === 3);
    const dev = diags.find((d) => d.code === 'SL101' && d.range.start.line === 11)!;
    const actions = await client.codeActions(config, dev.range);
    assert.deepEqual(
      actions.map((a) => a.title),
      [
        'Move the secret to the environment variable FLASK_SECRET_KEY (the app then needs FLASK_SECRET_KEY at run time)',
        'Move the secret to the environment variable FLASK_SECRET_KEY with a new random value (the app then needs FLASK_SECRET_KEY at run time, and existing sessions end)',
        'Disable SL101 for this line',
        'Disable SL101 for this file',
      ],
    );
    assert.equal(actions[0].isPreferred, true, 'the first fix is the one Auto Fix applies');
    assert.equal(actions[1].isPreferred, false, 'an alternative is not preferred');
    assert.deepEqual(actions[0].data, { ruleId: 'SL101', safety: 'unsafe' });
    assert.equal(actions[0].diagnostics?.[0].code, 'SL101');
    const touched = await applyWorkspaceEdit(actions[0].edit!);
    assert.deepEqual(touched.map((f) => path.relative(dir, f)).sort(), [
      '.env',
      '.env.example',
      '.gitignore',
      'shop/__init__.py',
      'shop/config.py',
    ]);
    assert.equal(await fs.readFile(path.join(dir, '.env'), 'utf8'), 'FLASK_SECRET_KEY=dev-secret-do-not-use\n');
    assert.equal(await fs.readFile(path.join(dir, '.gitignore'), 'utf8'), '.env\n');
    assert.equal(
      await fs.readFile(path.join(dir, '.env.example'), 'utf8'),
      'SHOP_CONFIG=production\nFLASK_SECRET_KEY=\n',
    );
    const newText = await fs.readFile(config, 'utf8');
    assert.match(newText, /^import os\nimport secrets\n/, 'import os in isort order');
    assert.match(newText, /SECRET_KEY = os\.environ\.get\("FLASK_SECRET_KEY"\)\n\n\nclass TestingConfig/);
    await client.change(config, 2, [{ text: newText }]);
    // The files the editor does not hold open reach the server as watched-file events.
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [
        ...['.env', '.gitignore', '.env.example'].map((f) => ({ uri: uri(path.join(dir, f)), type: 1 })),
        { uri: uri(path.join(dir, 'shop/__init__.py')), type: 2 },
      ],
    });
    await client.waitForDiagnostics(config, (d) => codes(d).join() === 'SL101,SL103');
    // The same quick fix is not offered twice.
    const again = await client.codeActions(config, dev.range);
    assert.ok(!again.some((a) => a.title.startsWith('Move the secret')));
  });

  it('falls back to plain `changes` for clients without documentChanges (Neovim 0.7)', async () => {
    const dir = await copyToTemp(path.join(EXAMPLES, 'flask-waitress'));
    const client = start();
    await client.initialize([dir], { capabilities: { textDocument: { publishDiagnostics: {} } } });
    const admin = path.join(dir, 'admin.py');
    const diags = await client.waitForDiagnostics(admin, (d) => d.length === 1);
    const [fix] = await client.codeActions(admin, diags[0].range, ['quickfix']);
    assert.equal(fix.edit!.documentChanges, undefined);
    assert.deepEqual(Object.keys(fix.edit!.changes!), [uri(admin)]);
    assert.equal(diags[0].relatedInformation, undefined);
  });

  it('applies settings: rules turned off, null configuration (eglot) means defaults', async () => {
    const dir = await copyToTemp(path.join(EXAMPLES, 'flask-waitress'));
    const client = start({ settings: null });
    await client.initialize([dir]);
    const config = path.join(dir, 'shop/config.py');
    await client.waitForDiagnostics(config, (d) => d.length === 3);
    client.settings = { rules: { SL103: 'off', 'hardcoded-session-secret': 'hint' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const diags = await client.waitForDiagnostics(config, (d) => d.length === 2);
    assert.deepEqual(
      diags.map((d) => [d.code, d.severity]),
      [
        ['SL101', 4],
        ['SL101', 4],
      ],
    );
    client.settings = { enable: false };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitForDiagnostics(config, (d) => d.length === 0);
  });

  it('sessionlint.run onSave lints on save only; sessionlint.configuration names the settings file', async () => {
    const dir = await copyToTemp(path.join(EXAMPLES, 'flask-waitress'));
    await fs.writeFile(path.join(dir, 'only-sl103.toml'), 'select = ["SL103"]\n');
    const client = start({ settings: { run: 'onSave' } });
    await client.initialize([dir]);
    const config = path.join(dir, 'shop/config.py');
    const text = await fs.readFile(config, 'utf8');
    await client.open(config, text);
    await client.waitForDiagnostics(config, (d) => d.length === 3);
    const cleared = text.replace(/SECRET_KEY = "[^"]*"/g, 'SECRET_KEY = os.environ["FLASK_SECRET_KEY"]');
    await client.change(config, 2, [{ text: cleared }]);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(client.diagnostics.get(uri(config))!.diagnostics.length, 3, 'an edit alone does not re-lint');
    await client.connection.sendNotification('textDocument/didSave', { textDocument: { uri: uri(config) } });
    await client.waitForDiagnostics(config, (d) => codes(d).join() === 'SL101,SL103');
    client.settings = { configuration: 'only-sl103.toml' };
    await client.change(config, 3, [{ text }]);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const diags = await client.waitForDiagnostics(config, (d) => d.length > 0 && d.every((x) => x.code === 'SL103'));
    assert.equal(diags.length, 1);
    assert.ok(client.logs.some((l) => /Configuration: only-sl103\.toml; rules selected: SL103$/.test(l)));
  });

  it('hover on a disable comment names the rule and what it checks', async () => {
    const dir = await copyToTemp(path.join(EXAMPLES, 'flask-waitress'));
    const client = start();
    await client.initialize([dir]);
    const admin = path.join(dir, 'admin.py');
    const text = `# sessionlint: disable-file=SL103, per-process-secret, SL999\n${await fs.readFile(admin, 'utf8')}`;
    await client.open(admin, text);
    type HoverResult = { contents: { value: string } } | null;
    const at = (character: number) =>
      client.connection.sendRequest<HoverResult>('textDocument/hover', {
        textDocument: { uri: uri(admin) },
        position: { line: 0, character },
      });
    assert.match(
      (await at(text.indexOf('SL103') + 1))!.contents.value,
      /^\*\*SL103\*\* `per-process-secret` disabled in this file: /,
    );
    assert.match((await at(text.indexOf('per-process') + 3))!.contents.value, /\*\*SL103\*\*/);
    assert.match((await at(text.indexOf('SL999')))!.contents.value, /no rule is named `SL999`/);
    assert.equal(await at(2), null);
  });

  it('hover on a line the session chain is built from shows the hops around it and what each does', async () => {
    const dir = await copyToTemp(path.join(EXAMPLES, 'flask-waitress'));
    const client = start();
    await client.initialize([dir]);
    const serve = path.join(dir, 'serve.py');
    await client.waitForDiagnostics(serve, (d) => d.length > 0);
    type HoverResult = { contents: { value: string } } | null;
    const hoverAt = (file: string, line: number) =>
      client.connection.sendRequest<HoverResult>('textDocument/hover', {
        textDocument: { uri: uri(file) },
        position: { line, character: 6 },
      });
    // serve(app, host="127.0.0.1", port=...) on line 10: nginx before it, ProxyFix after.
    const value = (await hoverAt(serve, 9))?.contents.value ?? '';
    assert.match(value, /^\*\*Session chain\*\* of /);
    assert.match(value, /^nginx: location \/, location \/api\/ -> /m);
    assert.match(value, /^\*\*→ waitress\*\*: listens on 127\.0\.0\.1:8080$/m);
    assert.match(value, /^- Trusts: none: waitress deletes the X-Forwarded-\* headers$/m);
    assert.match(value, /^- SL402: /m);
    assert.match(value, /^ProxyFix: /m);
    // The key the session uses: where it comes from, never its value.
    const config = path.join(dir, 'shop', 'config.py');
    const key = (await hoverAt(config, 21))?.contents.value ?? '';
    assert.match(key, /^- Key: generated at start-up/m);
    // A proxy_set_header line is the nginx hop's too.
    const site = (await hoverAt(path.join(dir, 'nginx', 'shop.conf'), 6))?.contents.value ?? '';
    assert.match(site, /^\*\*→ nginx\*\*: /m);
    assert.match(site, /^- location \/: X-Forwarded-Proto: \$scheme$/m);
    assert.equal(await hoverAt(serve, 0), null);
  });

  it('updates a cross-file finding when another file changes, and points to it', async () => {
    const dir = await copyToTemp(path.join(FIXTURES, 'SL104', 'no-key'));
    const client = start();
    await client.initialize([dir]);
    const app = path.join(dir, 'app.py');
    const views = path.join(dir, 'views.py');
    const [d] = await client.waitForDiagnostics(app, (x) => x.length === 1);
    assert.equal(d.code, 'SL104');
    assert.equal(d.relatedInformation![0].location.uri, uri(views));
    const text = await fs.readFile(views, 'utf8');
    await client.open(views, text);
    await client.change(views, 2, [
      { text: text.replace('from flask import flash, redirect, session', 'from flask import redirect') },
    ]);
    await client.waitForDiagnostics(app, (x) => x.length === 0);
  });

  it('serves several workspace folders and a file outside all of them', async () => {
    const a = await copyToTemp(path.join(FIXTURES, 'SL104', 'no-key'));
    const b = await copyToTemp(path.join(FIXTURES, 'SL103', 'dev-config'));
    const client = start();
    await client.initialize([a, b]);
    await client.waitForDiagnostics(path.join(a, 'app.py'), (d) => codes(d).join() === 'SL104');
    await client.waitForDiagnostics(path.join(b, 'config.py'), (d) => codes(d).join() === 'SL103');
    const loose = path.join(await copyToTemp(path.join(FIXTURES, 'SL102', 'flasky-config')), 'solo.py');
    await client.open(loose, 'from flask import Flask\napp = Flask(__name__)\napp.secret_key = "loose-file-key"\n');
    await client.waitForDiagnostics(loose, (d) => codes(d).join() === 'SL101');
  });

  it('never crashes: broken code, huge documents and bad requests get empty answers', async () => {
    const dir = await copyToTemp(path.join(FIXTURES, 'SL104', 'ok-key-from-config'));
    const client = start();
    await client.initialize([dir]);
    const broken = path.join(dir, 'broken.py');
    await client.open(
      broken,
      'from flask import Flask\napp = Flask(__name__)\ndef broken(:\n    return\n\napp.secret_key = "after-error"\n# \x00\n',
    );
    await client.waitForDiagnostics(broken, (d) => codes(d).join() === 'SL101');
    const huge = path.join(dir, 'huge.py');
    await client.open(huge, `app.secret_key = "x-huge"\n${'#'.repeat(2_000_000)}\n`);
    await client.waitForDiagnostics(huge, (d) => d.length === 0);
    assert.ok(client.logs.some((l) => /Skipped .*huge\.py: larger than 1 MB/.test(l)));
    // Syntax errors from end to end: tree-sitter's error recovery is stopped, the file noted.
    const dense = path.join(dir, 'dense.py');
    const key = 'from flask import Flask\napp = Flask(__name__)\napp.secret_key = "x-dense"\n';
    await client.open(dense, `${key}${'a:b a:b a:b a:b\n'.repeat(60_000)}`);
    await client.waitForDiagnostics(dense, (d) => d.length === 0);
    assert.ok(client.logs.some((l) => /Skipped .*dense\.py: not analysed: syntax errors too dense/.test(l)));
    await client.change(dense, 2, [{ text: key }]);
    await client.waitForDiagnostics(dense, (d) => codes(d).join() === 'SL101');
    // A rescan puts open documents back: the oversized one must stay out.
    await client.connection.sendRequest('sessionlint/scanWorkspace');
    await client.waitForDiagnostics(broken, (d) => codes(d).join() === 'SL101');
    assert.deepEqual(client.diagnostics.get(uri(huge))!.diagnostics, []);
    assert.deepEqual(
      await client.codeActions(path.join(dir, 'nowhere.py'), {
        start: { line: 0, character: 0 },
        end: { line: 0, character: 0 },
      }),
      [],
    );
    const bad = await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: 'untitled:1' } });
    assert.deepEqual(bad, []);
    assert.equal(await client.shutdown(), 0);
  });

  it('reads the project config file, re-lints when it changes, and never applies unsafe fixes in fix-all', async () => {
    const dir = await copyToTemp(path.join(EXAMPLES, 'flask-waitress'));
    await fs.writeFile(
      path.join(dir, 'pyproject.toml'),
      '[tool.sessionlint]\nignore = ["SL103"]\nexclude = ["admin.py"]\n',
    );
    const client = start();
    await client.initialize([dir]);
    const config = path.join(dir, 'shop/config.py');
    await client.waitForDiagnostics(config, (d) => codes(d).join() === 'SL101,SL101');
    assert.equal(client.diagnostics.get(uri(path.join(dir, 'admin.py'))), undefined, 'excluded files are not analysed');
    const fixAll = await client.codeActions(
      config,
      { start: { line: 0, character: 0 }, end: { line: 30, character: 0 } },
      ['source.fixAll'],
    );
    assert.deepEqual(fixAll, [], 'fix-all has only unsafe fixes to offer here, so it offers nothing');
    await fs.writeFile(path.join(dir, 'pyproject.toml'), '[tool.sessionlint]\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri(path.join(dir, 'pyproject.toml')), type: 2 }],
    });
    await client.waitForDiagnostics(config, (d) => codes(d).join() === 'SL101,SL101,SL103');
    await client.waitForDiagnostics(path.join(dir, 'admin.py'), (d) => codes(d).join() === 'SL102');
  });

  it('updates deployment findings across files: nginx edits and a new waitress pin', async () => {
    const dir = await copyToTemp(path.join(EXAMPLES, 'flask-waitress'));
    const client = start();
    await client.initialize([dir]);
    const serve = path.join(dir, 'serve.py');
    const nginx = path.join(dir, 'nginx', 'shop.conf');
    const [sl402] = await client.waitForDiagnostics(serve, (d) => codes(d).join() === 'SL402');
    assert.deepEqual(
      sl402.relatedInformation!.map((r) => path.relative(dir, fileURLToPath(r.location.uri))),
      ['shop/__init__.py', 'requirements.txt'],
    );
    await client.waitForDiagnostics(nginx, (d) => codes(d).join() === 'SL502');
    // Typing in the nginx config: repeat the dropped headers in /api/.
    const text = await fs.readFile(nginx, 'utf8');
    await client.open(nginx, text, 'nginx');
    const fixed = text.replace(
      'proxy_set_header X-Request-Id $request_id;',
      'proxy_set_header X-Request-Id $request_id;\n        proxy_set_header Host $host;\n        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n        proxy_set_header X-Forwarded-Proto $scheme;',
    );
    await client.change(nginx, 2, [{ text: fixed }]);
    await client.waitForDiagnostics(nginx, (d) => d.length === 0);
    // A waitress 2 pin on disk: waitress no longer strips the headers, so SL402 goes.
    await fs.writeFile(path.join(dir, 'requirements.txt'), 'flask==3.1.0\nwaitress==2.1.2\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri(path.join(dir, 'requirements.txt')), type: 2 }],
    });
    await client.waitForDiagnostics(serve, (d) => d.length === 0);
  });

  it('generates a secret into .env on request, never overwriting an entry and never logging it', async () => {
    const dir = await copyToTemp(path.join(FIXTURES, 'SL104', 'ok-key-from-config'));
    const client = start();
    await client.initialize([dir]);
    const first = await client.connection.sendRequest<{ edit: WorkspaceEdit; variable: string; existed: boolean }>(
      'sessionlint/generateSecret',
      { folderUri: uri(dir), variable: 'SHOP_SECRET_KEY' },
    );
    assert.equal(first.existed, false);
    await applyWorkspaceEdit(first.edit);
    const env = await fs.readFile(path.join(dir, '.env'), 'utf8');
    assert.match(env, /^SHOP_SECRET_KEY=[0-9a-f]{64}\n$/);
    assert.equal(await fs.readFile(path.join(dir, '.gitignore'), 'utf8'), '.env\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: uri(path.join(dir, '.env')), type: 1 },
        { uri: uri(path.join(dir, '.gitignore')), type: 1 },
      ],
    });
    const again = await client.connection.sendRequest<{ edit?: WorkspaceEdit; existed: boolean }>(
      'sessionlint/generateSecret',
      { folderUri: uri(dir), variable: 'SHOP_SECRET_KEY' },
    );
    assert.deepEqual([again.existed, again.edit], [true, undefined]);
    const value = env.split('=')[1].trim();
    assert.ok(!client.logs.some((l) => l.includes(value)), 'the value is never logged');
  });

  it('follows workspace folders being removed and added again', async () => {
    const dir = await copyToTemp(path.join(FIXTURES, 'SL104', 'no-key'));
    const other = await copyToTemp(path.join(FIXTURES, 'SL103', 'dev-config'));
    const client = start();
    await client.initialize([other]);
    const app = path.join(dir, 'app.py');
    const folder = { uri: uri(dir), name: 'no-key' };
    await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
      event: { added: [folder], removed: [] },
    });
    await client.waitForDiagnostics(app, (d) => codes(d).join() === 'SL104');
    await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
      event: { added: [], removed: [folder] },
    });
    await client.waitForDiagnostics(app, (d) => d.length === 0);
    await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
      event: { added: [folder], removed: [] },
    });
    await client.waitForDiagnostics(app, (d) => codes(d).join() === 'SL104');
  });
});
