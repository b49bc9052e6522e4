import assert from 'node:assert/strict';
import { promises as fs, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { emptyProjectConfig } from '../../server/src/core/settings';
import { loadProject } from '../../server/src/node/load-project';
import { createParsers } from '../../server/src/node/parser';
import { walk } from '../../server/src/node/walk';

async function tree(files: Record<string, string | Buffer>): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'sessionlint-walk-'));
  for (const [rel, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await fs.writeFile(path.join(root, rel), content);
  }
  return root;
}

const rel = (root: string, paths: string[]) =>
  paths.map((p) => path.relative(root, p).split(path.sep).join('/')).sort();

describe('walking a real tree', () => {
  it('skips git-ignored files, virtual environments and vendored packages, but always reads .env', async () => {
    const root = await tree({
      'app.py': '',
      '.gitignore': 'build/\n*.generated.py\n.env\n',
      '.env': 'A=1\n',
      'build/x.py': '',
      'gen.generated.py': '',
      '.venv/lib/y.py': '',
      'env/pyvenv.cfg': '',
      'env/lib/z.py': '',
      'node_modules/pkg/a.py': '',
      'lib/python3/site-packages/q.py': '',
      'src/pkg/mod.py': '',
      'src/pkg/.gitignore': 'local_*.py\n',
      'src/pkg/local_settings.py': '',
      'README.md': '',
    });
    const walked = await walk(root, { respectIgnores: true, exclude: [] });
    assert.deepEqual(rel(root, walked.files), ['.env', '.gitignore', 'app.py', 'src/pkg/.gitignore', 'src/pkg/mod.py']);
    const all = await walk(root, { respectIgnores: false, exclude: ['src/'] });
    assert.ok(rel(root, all.files).includes('build/x.py'));
    assert.ok(rel(root, all.files).includes('.venv/lib/y.py'));
    assert.ok(!rel(root, all.files).some((f) => f.startsWith('src/')), 'exclude globs apply even with --no-ignore');
  });

  it('reports an unreadable folder once and goes on', async () => {
    const root = await tree({ 'a.py': '', 'locked/b.py': '', 'c/d.py': '' });
    const readDir = (dir: string) => {
      if (dir.endsWith('locked')) throw Object.assign(new Error('denied'), { code: 'EACCES' });
      return readdirSync(dir, { withFileTypes: true });
    };
    const walked = await walk(root, { respectIgnores: true, exclude: [] }, readDir);
    assert.deepEqual(rel(root, walked.files), ['a.py', 'c/d.py']);
    assert.deepEqual(
      walked.unreadable.map((u) => [path.basename(u.path), u.reason]),
      [['locked', 'EACCES']],
    );
  });

  it('skips binary and oversized files with a note, and reads latin-1 sources', async () => {
    const root = await tree({
      'bin.py': Buffer.from([0x66, 0x6c, 0x61, 0x73, 0x6b, 0x00, 0x01]),
      'big.py': `# flask\n${'x = 1\n'.repeat(300)}`,
      'latin.py': Buffer.from(
        '# -*- coding: latin-1 -*-\nfrom flask import Flask\napp = Flask(__name__)\napp.secret_key = "caf\xe9-key"\n',
        'latin1',
      ),
    });
    const loaded = await loadProject(
      root,
      await createParsers(),
      { config: emptyProjectConfig(), errors: [] },
      { respectIgnores: true, maxFileSize: 1000 },
    );
    assert.deepEqual(
      loaded.skipped.map((s) => [path.basename(s.path), s.reason]),
      [
        ['big.py', 'larger than 1 KB'],
        ['bin.py', 'binary file'],
      ],
    );
    const latin = [...loaded.project.all()].find((f) => f.path.endsWith('latin.py'))!;
    assert.equal(loaded.encodings.get(latin.path), 'latin1');
    assert.equal(latin.python!.sites.length, 1);
  });
});
