import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { PROJECT_FILE_GLOBS } from '../../../server/src/core/files';
import type { LspChains } from '../../../server/src/lsp/chain';

/** What the extension's activate() returns (SessionLintApi in client/src/extension.ts). */
interface SessionLintApi {
  chainView: {
    current: readonly LspChains['apps'][number][];
    refresh(): Promise<void>;
    getTreeItem(node: { type: 'hop'; hop: LspChains['apps'][number]['hops'][number] }): vscode.TreeItem;
  };
}

// Runs inside a real VS Code with examples/flask-waitress (a fresh copy) as the workspace.
const folder = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
const uri = (rel: string) => vscode.Uri.file(path.join(folder(), rel));

/** Polls the Problems data of a file until `predicate` holds; never sleeps a fixed time. */
async function diagnostics(
  rel: string,
  predicate: (d: vscode.Diagnostic[]) => boolean,
  timeoutMs = 30_000,
): Promise<vscode.Diagnostic[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const d = vscode.languages.getDiagnostics(uri(rel));
    if (predicate(d)) return d;
    if (Date.now() > deadline) throw new Error(`${rel}: ${JSON.stringify(d.map((x) => [x.code, x.range.start.line]))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Code actions at a range. VS Code cancels the request when the file's diagnostics are
 * republished meanwhile (a script's first lint runs twice: once when the grammars load, once
 * for the open document), so a cancelled request is asked again.
 */
async function codeActionsAt(file: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', file, range);
    } catch (e) {
      if (attempt === 5 || (e as Error).message !== 'Canceled') throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

const code = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));
const codes = (ds: vscode.Diagnostic[]) => ds.map(code).sort().join();

suite('Session Lint in VS Code', () => {
  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension('session-lint.session-lint');
    assert.ok(extension, 'the extension is installed');
    await extension.activate();
  });

  test('shows diagnostics on the Flask app with the right codes, ranges and docs links', async () => {
    const d = await diagnostics('shop/config.py', (x) => codes(x) === 'SL101,SL101,SL103');
    const sl103 = d.find((x) => code(x) === 'SL103')!;
    assert.equal(sl103.source, 'sessionlint');
    assert.deepEqual([sl103.range.start.line, sl103.range.start.character, sl103.range.end.character], [21, 17, 38]);
    assert.equal(sl103.severity, vscode.DiagnosticSeverity.Error);
    // The code links to the rendered rule page through "Explain rule", not to an editable .md tab.
    const target = (sl103.code as { target: vscode.Uri }).target;
    assert.equal(target.scheme, 'command');
    assert.equal(target.path, 'sessionlint.explainRule');
    assert.deepEqual(JSON.parse(decodeURIComponent(target.query)), ['SL103']);
  });

  test('shows cross-file findings for files that were never opened', async () => {
    const serve = await diagnostics('serve.py', (x) => codes(x) === 'SL402');
    assert.deepEqual(
      serve[0].relatedInformation!.map((r) => path.relative(folder(), r.location.uri.fsPath)),
      ['shop/__init__.py', 'requirements.txt'],
    );
    await diagnostics('nginx/shop.conf', (x) => codes(x) === 'SL502');
    assert.ok(
      !vscode.workspace.textDocuments.some((doc) => doc.uri.fsPath.endsWith('serve.py')),
      'serve.py was never opened',
    );
  });

  test('the move-to-env quick fix rewrites the code, writes .env and .gitignore, and the finding goes', async () => {
    const file = uri('shop/config.py');
    const document = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(document);
    const found = await diagnostics('shop/config.py', (x) =>
      x.some((d) => code(d) === 'SL101' && d.range.start.line === 11),
    );
    const target = found.find((d) => code(d) === 'SL101' && d.range.start.line === 11)!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      file,
      target.range,
    );
    const titles = actions.map((a) => a.title);
    assert.deepEqual(titles.slice(0, 5), [
      'Move the secret to the environment variable FLASK_SECRET_KEY (the app then needs FLASK_SECRET_KEY at run time)',
      'Move the secret to the environment variable FLASK_SECRET_KEY with a new random value (the app then needs FLASK_SECRET_KEY at run time, and existing sessions end)',
      'Disable SL101 for this line',
      'Disable SL101 for this file',
      'Show documentation for SL101',
    ]);
    // After its edit the fix names the other files it wrote, through the client's command.
    assert.equal(actions[0].command?.command, 'sessionlint.fixApplied');
    const applied = actions[0].command?.arguments?.[0] as { files: string[] } | undefined;
    assert.deepEqual(applied?.files, ['shop/__init__.py', '.env', '.gitignore', '.env.example']);
    assert.equal(actions[0].isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(actions[0].edit!, { isRefactoring: true }));
    // Through the light bulb, VS Code saves the files a fix changed without opening them
    // (files.refactoring.autoSave); applied from a test, each one is saved here.
    for (const rel of ['shop/config.py', 'shop/__init__.py', '.env', '.gitignore']) {
      const doc = await vscode.workspace.openTextDocument(uri(rel));
      if (doc.isDirty) assert.ok(await doc.save(), `${rel} saved`);
    }
    assert.match(document.getText(), /^ {4}SECRET_KEY = os\.environ\.get\("FLASK_SECRET_KEY"\)$/m);
    assert.match(document.getText(), /^import os$/m);
    assert.equal(await fs.readFile(path.join(folder(), '.env'), 'utf8'), 'FLASK_SECRET_KEY=dev-secret-do-not-use\n');
    assert.equal(await fs.readFile(path.join(folder(), '.gitignore'), 'utf8'), '.env\n');
    await diagnostics('shop/config.py', (x) => !x.some((d) => code(d) === 'SL101' && d.range.start.line === 12));
  });

  test('a TypeScript Express file gets squiggles and the move-to-env fix, keeping TypeScript', async () => {
    // Written while the editor runs: the JavaScript grammars load on demand, for this file.
    const rel = 'api/session.ts';
    await fs.mkdir(path.join(folder(), 'api'), { recursive: true });
    await fs.writeFile(
      path.join(folder(), rel),
      'import express from "express";\nimport session from "express-session";\n\nexport const api = express();\napi.use(session({ secret: "ts-literal-secret", resave: false, saveUninitialized: false }));\n',
    );
    const document = await vscode.workspace.openTextDocument(uri(rel));
    await vscode.window.showTextDocument(document);
    const found = await diagnostics(rel, (x) => x.some((d) => code(d) === 'SL101'));
    const target = found.find((d) => code(d) === 'SL101')!;
    assert.deepEqual([target.range.start.line, target.range.start.character], [4, 26]);
    const actions = await codeActionsAt(uri(rel), target.range);
    assert.match(
      actions[0].title,
      /^Move the secret to the environment variable SESSION_SECRET \(nothing loads \.env yet/,
    );
    assert.ok(await vscode.workspace.applyEdit(actions[0].edit!, { isRefactoring: true }));
    for (const file of [rel, '.env']) {
      const doc = await vscode.workspace.openTextDocument(uri(file));
      if (doc.isDirty) assert.ok(await doc.save(), `${file} saved`);
    }
    assert.match(
      document.getText(),
      /^if \(!process\.env\.SESSION_SECRET\) throw new Error\("SESSION_SECRET is not set"\);$/m,
    );
    assert.match(document.getText(), /secret: process\.env\.SESSION_SECRET!, resave/);
    assert.match(await fs.readFile(path.join(folder(), '.env'), 'utf8'), /^SESSION_SECRET=ts-literal-secret$/m);
    await diagnostics(rel, (x) => !x.some((d) => code(d) === 'SL101'));
  });

  test('settings changes take effect at once', async () => {
    const config = vscode.workspace.getConfiguration('sessionlint', uri('shop/config.py'));
    await config.update('rules', { SL103: 'off', SL402: 'hint' }, vscode.ConfigurationTarget.Workspace);
    try {
      await diagnostics('shop/config.py', (x) => !x.some((d) => code(d) === 'SL103'));
      await diagnostics('serve.py', (x) => x.length === 1 && x[0].severity === vscode.DiagnosticSeverity.Hint);
    } finally {
      await config.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await diagnostics('shop/config.py', (x) => x.some((d) => code(d) === 'SL103'));
  });

  test('highlights nginx files when no nginx language is installed', async () => {
    if ((await vscode.languages.getLanguages()).includes('nginx')) return;
    const doc = await vscode.workspace.openTextDocument(uri('nginx/shop.conf'));
    assert.ok(['plaintext', 'properties'].includes(doc.languageId), doc.languageId);
    await vscode.window.showTextDocument(doc);
    const deadline = Date.now() + 30_000;
    let tokens: vscode.SemanticTokens | undefined;
    while (!tokens?.data.length && Date.now() < deadline) {
      tokens = await vscode.commands.executeCommand<vscode.SemanticTokens>(
        'vscode.provideDocumentSemanticTokens',
        doc.uri,
      );
      if (!tokens?.data.length) await new Promise((r) => setTimeout(r, 100));
    }
    // The first token is the `server` directive at 0:0, six characters long.
    assert.deepEqual(Array.from(tokens!.data.slice(0, 3)), [0, 0, 6]);
  });

  test('gives .env files the dotenv language', async () => {
    const doc = await vscode.workspace.openTextDocument(uri('.env.example'));
    assert.equal(doc.languageId, 'dotenv');
  });

  test('generates a secret key into .env without showing it', async () => {
    await vscode.commands.executeCommand('sessionlint.generateSecretKey', {
      target: 'dotenv',
      variable: 'ADMIN_SECRET_KEY',
    });
    const env = await fs.readFile(path.join(folder(), '.env'), 'utf8');
    assert.match(env, /^ADMIN_SECRET_KEY=[0-9a-f]{64}$/m);
    // Asking again leaves the entry alone.
    await vscode.commands.executeCommand('sessionlint.generateSecretKey', {
      target: 'dotenv',
      variable: 'ADMIN_SECRET_KEY',
    });
    assert.equal(await fs.readFile(path.join(folder(), '.env'), 'utf8'), env);
  });

  test('registers its commands', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const c of [
      'sessionlint.scanWorkspace',
      'sessionlint.generateSecretKey',
      'sessionlint.explainRule',
      'sessionlint.showOutput',
      'sessionlint.restartServer',
    ]) {
      assert.ok(all.includes(c), `${c} is missing`);
    }
    await vscode.commands.executeCommand('sessionlint.scanWorkspace');
    await diagnostics('serve.py', (x) => codes(x) === 'SL402');
  });

  test('the Session chain view draws each app from browser to session, the broken hop in red, and opens its file', async () => {
    const extension = vscode.extensions.getExtension<SessionLintApi>('session-lint.session-lint');
    assert.ok(extension);
    const view = extension.exports.chainView;
    await vscode.commands.executeCommand('sessionlint.showChain');
    const deadline = Date.now() + 30_000;
    while (!view.current.some((a) => a.name === 'app in shop/__init__.py')) {
      if (Date.now() > deadline) throw new Error(`chain: ${JSON.stringify(view.current.map((a) => a.name))}`);
      await new Promise((r) => setTimeout(r, 200));
      await view.refresh();
    }
    const app = view.current.find((a) => a.name === 'app in shop/__init__.py');
    assert.ok(app);
    assert.deepEqual(
      app.hops.map((h) => h.kind),
      ['client', 'proxy', 'server', 'middleware', 'app', 'session'],
    );
    const waitress = app.hops.find((h) => h.name === 'waitress');
    assert.ok(waitress);
    assert.deepEqual(
      waitress.findings.map((f) => f.ruleId),
      ['SL402'],
    );
    // Drawn as the tree shows it: the broken hop with the theme's error icon and colour.
    const item = view.getTreeItem({ type: 'hop', hop: waitress });
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'error');
    assert.deepEqual((item.iconPath as vscode.ThemeIcon).color, new vscode.ThemeColor('list.errorForeground'));
    const healthy = view.getTreeItem({ type: 'hop', hop: app.hops[0] });
    assert.equal((healthy.iconPath as vscode.ThemeIcon).id, 'globe');
    // Clicking the hop opens the file and line that configure it.
    assert.ok(item.command?.arguments);
    await vscode.commands.executeCommand(item.command.command, ...item.command.arguments);
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, path.join(folder(), 'serve.py'));
    assert.equal(editor?.selection.start.line, 9);
  });

  test('the $sessionlint problem matcher fills Problems from a task that runs the CLI', async () => {
    const extension = vscode.extensions.getExtension('session-lint.session-lint');
    assert.ok(extension);
    // A project outside the workspace: only the task's output can report on it.
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sessionlint-task-'));
    await fs.writeFile(
      path.join(dir, 'app.py'),
      'from flask import Flask\n\napp = Flask(__name__)\napp.secret_key = "a-task-test-key"\n',
    );
    const cli = path.join(extension.extensionPath, 'dist', 'cli.js');
    const task = new vscode.Task(
      { type: 'shell' },
      vscode.TaskScope.Workspace,
      'lint with sessionlint',
      'sessionlint',
      new vscode.ProcessExecution(process.execPath, [cli, dir]),
      ['$sessionlint'],
    );
    const ended = new Promise<number | undefined>((resolve) => {
      const listener = vscode.tasks.onDidEndTaskProcess((e) => {
        if (e.execution.task.name !== task.name) return;
        listener.dispose();
        resolve(e.exitCode);
      });
    });
    await vscode.tasks.executeTask(task);
    // The CLI exits 1 when it reports findings.
    assert.equal(await ended, 1);
    const file = vscode.Uri.file(path.join(dir, 'app.py'));
    const deadline = Date.now() + 30_000;
    let found = vscode.languages.getDiagnostics(file);
    for (; found.length === 0; found = vscode.languages.getDiagnostics(file)) {
      if (Date.now() > deadline) throw new Error('the task reported nothing');
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.deepEqual(
      found.map((d) => [code(d), d.range.start.line, d.range.start.character, d.severity, d.source]),
      [['SL101', 3, 17, vscode.DiagnosticSeverity.Error, 'sessionlint']],
    );
    assert.match(found[0].message, /^app\.secret_key is a hardcoded session secret/);
  });

  test("every file kind the model reads is matched by the extension's glob, with VS Code's own matcher", async () => {
    // The selector and watcher pattern the client registers (client/src/extension.ts).
    const pattern = `{${PROJECT_FILE_GLOBS.join(',')}}`;
    const samples = [
      'serve.py',
      '.env',
      '.env.production',
      '.flaskenv',
      '.gitignore',
      'requirements.txt',
      'requirements/prod.txt',
      'pyproject.toml',
      'poetry.lock',
      'setup.cfg',
      'nginx/shop.conf',
      'deploy/sites-available/shop',
      'docker-compose.yml',
      'compose.prod.yaml',
      'Dockerfile',
      'docker/web.Dockerfile',
      'Procfile',
      'deploy/shop.service',
      'start.sh',
      'uwsgi.ini',
      'uwsgi.yml',
      'Caddyfile',
      'traefik.toml',
      'fly.toml',
      'render.yaml',
      'app.json',
      'k8s/deployment.yaml',
      'config/settings.json',
      'config/default.json',
      'app.js',
      'src/server.ts',
      'package.json',
      'package-lock.json',
    ];
    const unmatched: string[] = [];
    for (const rel of samples) {
      const file = uri(rel);
      await fs.mkdir(path.dirname(file.fsPath), { recursive: true });
      await fs.writeFile(file.fsPath, '\n', { flag: 'a' });
      const doc = await vscode.workspace.openTextDocument(file);
      if (vscode.languages.match({ scheme: 'file', pattern }, doc) === 0) unmatched.push(rel);
    }
    assert.deepEqual(unmatched, []);
    await fs.writeFile(uri('NOTES.md').fsPath, '# notes\n');
    const notes = await vscode.workspace.openTextDocument(uri('NOTES.md'));
    assert.equal(vscode.languages.match({ scheme: 'file', pattern }, notes), 0, 'a Markdown file is not read');
  });

  test('each deployment file kind written on disk is linted and offers its fix; after each fix Problems hold what the CLI reports', async () => {
    const write = (rel: string, text: string) => fs.writeFile(uri(rel).fsPath, text);
    await write(
      'docker-compose.yml',
      'services:\n  web:\n    build: .\n    command: waitress-serve --listen=0.0.0.0:8080 shop:app\n    environment:\n      SECRET_KEY: "compose-literal-key-0123456789"\n',
    );
    await write('Dockerfile', 'FROM python:3.12-slim\nCMD ["waitress-serve", "--listen=0.0.0.0:8080", "shop:app"]\n');
    await write('.env.production', 'FLASK_SECRET_KEY=dotenv-value-123\n');
    const cases: [string, string, string][] = [
      ['docker-compose.yml', 'SL106', 'Read SECRET_KEY from .env'],
      ['Dockerfile', 'SL402', 'Trust the proxy in waitress'],
      ['.env.production', 'SL107', 'Add .env.production to .gitignore'],
      ['nginx/shop.conf', 'SL502', 'Repeat Host'],
    ];
    for (const [rel, rule, title] of cases) {
      const found = await diagnostics(rel, (x) => x.some((d) => code(d) === rule));
      const target = found.find((d) => code(d) === rule)!;
      const actions = await codeActionsAt(uri(rel), target.range);
      const fix = actions.find((a) => a.title.startsWith(title));
      assert.ok(fix?.edit, `${rel}: "${title}..." among ${JSON.stringify(actions.map((a) => a.title))}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit, { isRefactoring: true }));
      await vscode.workspace.saveAll(false);
      await diagnostics(rel, (x) => !x.some((d) => code(d) === rule && d.range.start.line === target.range.start.line));
      await problemsMatchCli();
    }
    // A disk change to requirements.txt re-lints every file it bears on: waitress 2 keeps the
    // forwarded headers for ProxyFix, so SL402 leaves serve.py.
    await write('requirements.txt', 'flask==3.0.3\nwaitress==2.1.2\n');
    await diagnostics('serve.py', (x) => !x.some((d) => code(d) === 'SL402'));
    await problemsMatchCli();
  });
});

/** Every finding the CLI reports for the workspace is in Problems, and nothing else is. */
async function problemsMatchCli(): Promise<void> {
  const extension = vscode.extensions.getExtension('session-lint.session-lint')!;
  const cli = path.join(extension.extensionPath, 'dist', 'cli.js');
  const expected = () => {
    const r = spawnSync(process.execPath, [cli, '--format', 'json', '.'], { cwd: folder(), encoding: 'utf8' });
    const report = JSON.parse(r.stdout) as { findings: { code: string; path: string; start: { line: number } }[] };
    return report.findings.map((f) => `${f.path}:${f.start.line}:${f.code}`).sort();
  };
  const shown = () =>
    vscode.languages
      .getDiagnostics()
      .filter(([file]) => file.fsPath.startsWith(folder() + path.sep))
      .flatMap(([file, ds]) =>
        ds
          .filter((d) => d.source === 'sessionlint')
          .map((d) => `${path.relative(folder(), file.fsPath)}:${d.range.start.line + 1}:${code(d)}`),
      )
      .sort();
  // The editor re-lints as files change; poll until both views agree, or show the difference.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [want, got] = [expected(), shown()];
    if (JSON.stringify(want) === JSON.stringify(got)) return;
    if (Date.now() > deadline) assert.deepEqual(got, want, 'Problems and the CLI differ');
    await new Promise((r) => setTimeout(r, 200));
  }
}
