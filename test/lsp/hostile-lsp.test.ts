import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { copyToTemp } from '../helpers/lint';
import { LspClient, uri } from '../helpers/lsp';
import { DIST, EXAMPLES } from '../helpers/paths';

const CHANGED = 2;

describe('language server under hostile conditions', () => {
  it('broken message framing ends the server with one line saying so', () => {
    for (const input of ['Content-Length: abc\r\n\r\n{}', 'garbage\r\n\r\n', 'Content-Length: 5\r\n\r\n{"a":']) {
      const r = spawnSync(process.execPath, [path.join(DIST, 'server.js'), '--stdio'], {
        input,
        encoding: 'utf8',
        timeout: 10_000,
      });
      assert.equal(r.status, 1);
      assert.match(r.stderr, /^sessionlint-lsp: the client sent a malformed message \(.+\); stopping\.\n$/);
    }
  });

  it('a root folder and a folder with no local path are refused; the other folders keep working', async () => {
    const dir = await copyToTemp(path.join(EXAMPLES, 'flask-waitress'));
    const client = new LspClient();
    try {
      await client.connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: null,
        capabilities: { workspace: { configuration: true, workspaceFolders: true } },
        workspaceFolders: [
          { uri: 'file:///', name: 'root' },
          { uri: 'file://fileserver/share', name: 'unc' },
          { uri: uri(dir), name: 'shop' },
        ],
      });
      const ready = client.waitForNotification('sessionlint/status', (p: { state: string }) => p.state === 'ready');
      await client.connection.sendNotification('initialized', {});
      await ready;
      await client.waitForDiagnostics(path.join(dir, 'shop', 'config.py'), (d) => d.length > 0);
      assert.ok(client.logs.some((l) => /Not linting workspace folder \/: it is the file system's root/.test(l)));
      assert.ok(
        client.logs.some((l) =>
          /Not linting workspace folder file:\/\/fileserver\/share: it has no local path/.test(l),
        ),
      );
    } finally {
      client.kill();
    }
  });

  it('watched-file events for a FIFO and for a link out of the project read nothing and block nothing', async () => {
    const dir = await copyToTemp(path.join(EXAMPLES, 'flask-waitress'));
    const outside = await copyToTemp(path.join(EXAMPLES, 'flask-waitress'));
    execFileSync('mkfifo', [path.join(dir, 'pipe.py')]);
    await fs.symlink(path.join(outside, 'shop'), path.join(dir, 'elsewhere'));
    await fs.symlink(path.join(outside, 'shop', 'config.py'), path.join(dir, 'linked.py'));
    const client = new LspClient();
    try {
      await client.initialize([dir]);
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
        changes: ['pipe.py', 'linked.py', 'elsewhere/config.py'].map((f) => ({
          uri: uri(path.join(dir, f)),
          type: CHANGED,
        })),
      });
      const stats = await client.connection.sendRequest('sessionlint/stats');
      assert.ok(stats, 'the server still answers');
      for (const f of ['pipe.py', 'linked.py', 'elsewhere/config.py'])
        assert.equal(client.diagnostics.get(uri(path.join(dir, f)))?.diagnostics.length ?? 0, 0, f);
    } finally {
      client.kill();
    }
  });

  it('twenty configuration events in a burst cost one rescan', async () => {
    const dir = await copyToTemp(path.join(EXAMPLES, 'flask-waitress'));
    const client = new LspClient();
    try {
      await client.initialize([dir]);
      const loadsBefore = client.logs.filter((l) => l.startsWith('Loaded ')).length;
      const config = path.join(dir, 'pyproject.toml');
      for (let i = 0; i < 20; i++) {
        await fs.writeFile(config, `[tool.sessionlint]\nignore = ["SL10${i % 2 === 0 ? 1 : 2}"]\n`);
        await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
          changes: [{ uri: uri(config), type: CHANGED }],
        });
      }
      await client.waitForNotification('sessionlint/status', (p: { state: string }) => p.state === 'ready');
      await client.connection.sendRequest('sessionlint/stats');
      assert.equal(client.logs.filter((l) => l.startsWith('Loaded ')).length - loadsBefore, 1);
    } finally {
      client.kill();
    }
  });
});

describe('language server fixes that cannot be written whole', () => {
  it('a fix whose .env is a folder is offered disabled, with the reason, and without an edit', async () => {
    const dir = await copyToTemp(path.join(EXAMPLES, 'flask-waitress'));
    const admin = path.join(dir, 'admin.py');
    await fs.writeFile(
      admin,
      'from flask import Flask\nadmin = Flask(__name__)\nadmin.secret_key = "admin-literal-key"\n',
    );
    await fs.rm(path.join(dir, '.env'), { force: true });
    await fs.mkdir(path.join(dir, '.env'));
    const client = new LspClient();
    try {
      await client.initialize([dir]);
      const [diagnostic] = await client.waitForDiagnostics(admin, (d) => d.some((x) => x.code === 'SL101'));
      const actions = await client.codeActions(admin, diagnostic.range);
      const move = actions.find((a) => a.title.startsWith('Move the secret to the environment'))!;
      assert.equal(move.edit, undefined);
      assert.match(move.disabled?.reason ?? '', /^No file would change: \.env already exists as a folder\.$/);
    } finally {
      client.kill();
    }
  });
});
