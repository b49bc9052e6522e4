import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dotenvValue } from '../../server/src/core/fixes/environment';
import { disableForFile, disableForLine } from '../../server/src/core/fixes/suppress';
import type { Project } from '../../server/src/core/project';
import type { Finding } from '../../server/src/core/types';
import { applyFix, lint, projectOf, TEST_RANDOM } from '../helpers/lint';

const text = (p: Project, rel: string) => p.get(`/proj/${rel}`)?.text ?? '';
const only = (findings: Finding[], id: string) => findings.filter((f) => f.ruleId === id);

describe('move the secret to the environment (SL101)', () => {
  it('rewrites the code, creates .env and .gitignore in one fix', async () => {
    const p = await projectOf({
      'app.py': 'import os\nfrom flask import Flask\n\napp = Flask(__name__)\napp.secret_key = "s3cret-value"\n',
    });
    const [finding] = only(lint(p), 'SL101');
    const [move, random] = finding.fixes();
    assert.equal(move.title, 'Move the secret to the environment variable FLASK_SECRET_KEY');
    assert.equal(move.safety, 'unsafe');
    assert.match(random.title, /with a new random value/);
    applyFix(p, move);
    assert.equal(
      text(p, 'app.py'),
      'import os\nfrom flask import Flask\n\napp = Flask(__name__)\napp.secret_key = os.environ["FLASK_SECRET_KEY"]\n',
    );
    assert.equal(text(p, '.env'), 'FLASK_SECRET_KEY=s3cret-value\n');
    assert.equal(text(p, '.gitignore'), '.env\n');
    assert.equal(only(lint(p), 'SL101').length, 0);
  });

  it('appends to existing files, keeps their line endings, and fills .env.example', async () => {
    const p = await projectOf({
      'app.py':
        'from flask import Flask\r\nimport os\r\napp = Flask(__name__)\r\napp.config["SECRET_KEY"] = "crlf key"\r\n',
      '.env': 'DATABASE_URL=sqlite://\r\nDEBUG=1',
      '.env.example': 'DATABASE_URL=\r\n',
      '.gitignore': '__pycache__/\r\n',
    });
    applyFix(p, only(lint(p), 'SL101')[0].fixes()[0]);
    assert.equal(
      text(p, 'app.py'),
      'from flask import Flask\r\nimport os\r\napp = Flask(__name__)\r\napp.config["SECRET_KEY"] = os.environ["FLASK_SECRET_KEY"]\r\n',
    );
    assert.equal(text(p, '.env'), "DATABASE_URL=sqlite://\r\nDEBUG=1\r\nFLASK_SECRET_KEY='crlf key'\r\n");
    assert.equal(text(p, '.env.example'), 'DATABASE_URL=\r\nFLASK_SECRET_KEY=\r\n');
    assert.equal(text(p, '.gitignore'), '__pycache__/\r\n.env\r\n');
  });

  it('never overwrites or duplicates an existing .env entry, and leaves an ignoring .gitignore alone', async () => {
    const p = await projectOf({
      'app.py':
        'import os\nfrom flask import Flask\napp = Flask(__name__)\napp.secret_key = "first"\napp.config["SECRET_KEY"] = "second"\n',
      '.env': 'FLASK_SECRET_KEY=already-there\n',
      '.gitignore': '.env*\n',
    });
    const findings = only(lint(p), 'SL101');
    assert.equal(findings.length, 2);
    const fixes = findings[0].fixes();
    assert.equal(fixes.length, 1);
    assert.match(fixes[0].title, /already set in \.env/);
    assert.deepEqual(
      fixes[0].changes.map((c) => c.path),
      ['/proj/app.py'],
    );
    applyFix(p, fixes[0]);
    applyFix(p, only(lint(p), 'SL101')[0].fixes()[0]);
    assert.equal(text(p, '.env'), 'FLASK_SECRET_KEY=already-there\n');
    assert.equal(text(p, '.gitignore'), '.env*\n');
  });

  it('moving twice writes the variable once', async () => {
    const p = await projectOf({
      'app.py':
        'import os\nfrom flask import Flask\napp = Flask(__name__)\napp.secret_key = "one"\napp.config["SECRET_KEY"] = "two"\n',
    });
    applyFix(p, only(lint(p), 'SL101')[0].fixes()[0]);
    applyFix(p, only(lint(p), 'SL101')[0].fixes()[0]);
    assert.equal(text(p, '.env'), 'FLASK_SECRET_KEY=one\n');
    assert.equal(text(p, '.gitignore'), '.env\n');
  });

  it('the random variant writes a fresh value, not the leaked one', async () => {
    const p = await projectOf({
      'app.py': 'import os\nfrom flask import Flask\napp = Flask(__name__)\napp.secret_key = "leaked-key"\n',
    });
    applyFix(p, only(lint(p), 'SL101')[0].fixes()[1]);
    assert.equal(text(p, '.env'), `FLASK_SECRET_KEY=${TEST_RANDOM}\n`);
  });

  it('offers only the random variant for a key that has no faithful text form', async () => {
    const p = await projectOf({
      'app.py': 'import os\nfrom flask import Flask\napp = Flask(__name__)\napp.secret_key = b"\\xec\\xff\\x00"\n',
    });
    const fixes = only(lint(p), 'SL101')[0].fixes();
    assert.equal(fixes.length, 1);
    assert.match(fixes[0].title, /new random value/);
  });

  it('reuses the variable name the project already reads', async () => {
    const p = await projectOf({
      'app.py':
        'from flask import Flask\nfrom config import config\napp = Flask(__name__)\napp.config.from_object(config["x"])\n',
      'config.py':
        'import os\n\nclass ProductionConfig:\n    SECRET_KEY = os.environ["APP_SECRET_KEY"]\n\nclass DevelopmentConfig:\n    SECRET_KEY = "dev"\n\nconfig = {"x": ProductionConfig, "y": DevelopmentConfig}\n',
    });
    const [finding] = only(lint(p), 'SL101');
    assert.equal(finding.severity, 'warning', 'development-only literal is one step lower');
    applyFix(p, finding.fixes()[0]);
    // In a class body the read runs at import, for every configuration: it must not raise there.
    assert.match(text(p, 'config.py')!, /SECRET_KEY = os\.environ\.get\("APP_SECRET_KEY"\)\n\nconfig/);
    assert.equal(text(p, '.env'), 'APP_SECRET_KEY=dev\n');
  });

  it('a key in a config class body: the module stays importable without the variable, and the app fails fast after loading its configuration', async () => {
    const p = await projectOf({
      'shop/__init__.py':
        'from flask import Flask, session\n\n\ndef create_app(name="production"):\n    app = Flask(__name__)\n    app.config.from_object(f"shop.config.{name.title()}Config")\n    return app\n',
      'shop/config.py':
        'class Config:\n    SECRET_KEY = "committed-key-0123456789"\n\n\nclass ProductionConfig(Config):\n    pass\n\n\nclass TestingConfig(Config):\n    TESTING = True\n',
    });
    const [finding] = only(lint(p), 'SL101');
    applyFix(p, finding.fixes()[0]);
    assert.match(
      text(p, 'shop/config.py')!,
      /^import os\n\n\nclass Config:\n {4}SECRET_KEY = os\.environ\.get\("FLASK_SECRET_KEY"\)\n/,
    );
    assert.match(
      text(p, 'shop/__init__.py')!,
      / {4}app\.config\.from_object\(f"shop\.config\.\{name\.title\(\)\}Config"\)\n {4}if not app\.config\["SECRET_KEY"\] and not \(app\.testing or app\.debug\):\n {8}raise RuntimeError\("FLASK_SECRET_KEY is not set"\)\n {4}return app\n/,
    );
    // Converged: nothing left to report about the key, SL104 included (the check counts).
    assert.deepEqual(
      lint(p)
        .filter((f) => /^SL10[1-4]$/.test(f.ruleId))
        .map((f) => f.ruleId),
      [],
    );
  });

  it('adds import os where isort puts it, or uses an imported environ', async () => {
    const p = await projectOf({
      'a.py': '"""Docs."""\nfrom flask import Flask\n\napp = Flask(__name__)\napp.secret_key = "k1-value"\n',
      'b.py': 'from os import environ\nfrom flask import Flask\napp = Flask(__name__)\napp.secret_key = "k2-value"\n',
      'c.py': '#!/usr/bin/env python\n# -*- coding: utf-8 -*-\napp.secret_key = "k3-value"\nfrom flask import Flask\n',
    });
    for (const f of only(lint(p), 'SL101')) applyFix(p, f.fixes()[0]);
    assert.equal(
      text(p, 'a.py'),
      '"""Docs."""\nimport os\n\nfrom flask import Flask\n\napp = Flask(__name__)\napp.secret_key = os.environ["FLASK_SECRET_KEY"]\n',
    );
    assert.equal(
      text(p, 'b.py'),
      'from os import environ\nfrom flask import Flask\napp = Flask(__name__)\napp.secret_key = environ["B_FLASK_SECRET_KEY"]\n',
      'a second app gets a key of its own',
    );
    assert.equal(
      text(p, 'c.py'),
      '#!/usr/bin/env python\n# -*- coding: utf-8 -*-\napp.secret_key = os.environ["C_FLASK_SECRET_KEY"]\nimport os\n\nfrom flask import Flask\n',
    );
  });
  it('places import os in the standard-library section in alphabetical order, after __future__', async () => {
    const p = await projectOf({
      'a.py':
        'import secrets\nimport sys\nfrom datetime import timedelta\n\nfrom flask import Flask\napp = Flask(__name__)\napp.secret_key = "k1-value"\n',
      'b.py':
        'import json\nfrom datetime import timedelta\n\nfrom flask import Flask\napp = Flask(__name__)\napp.secret_key = "k2-value"\n',
      'c.py':
        'from __future__ import annotations\n\nfrom flask import Flask\napp = Flask(__name__)\napp.secret_key = "k3-value"\n',
      'd.py': 'from pathlib import Path\nfrom flask import Flask\napp = Flask(__name__)\napp.secret_key = "k4-value"\n',
    });
    for (const f of only(lint(p), 'SL101')) applyFix(p, f.fixes()[0]);
    assert.match(text(p, 'a.py')!, /^import os\nimport secrets\nimport sys\nfrom datetime/);
    assert.match(text(p, 'b.py')!, /^import json\nimport os\nfrom datetime/);
    assert.match(text(p, 'c.py')!, /^from __future__ import annotations\n\nimport os\n\nfrom flask import Flask\n/);
    assert.match(text(p, 'd.py')!, /^import os\nfrom pathlib import Path\nfrom flask/);
  });
});

describe('several apps', () => {
  it("never borrow another app's variable, and two literal keys stay two keys", async () => {
    const p = await projectOf({
      'admin.py':
        'import os\nfrom flask import Flask\nadmin = Flask(__name__)\nadmin.secret_key = os.environ["ADMIN_SECRET_KEY"]\n',
      'app.py': 'from flask import Flask\napp = Flask(__name__)\napp.secret_key = "main-literal"\n',
      'shop.py': 'from flask import Flask\nshop = Flask(__name__)\nshop.secret_key = "shop-literal"\n',
    });
    for (const f of only(lint(p), 'SL101')) applyFix(p, f.fixes()[0]);
    assert.match(text(p, 'app.py')!, /os\.environ\["APP_FLASK_SECRET_KEY"\]/);
    assert.match(text(p, 'shop.py')!, /os\.environ\["SHOP_FLASK_SECRET_KEY"\]/);
    assert.equal(text(p, '.env'), 'APP_FLASK_SECRET_KEY=main-literal\nSHOP_FLASK_SECRET_KEY=shop-literal\n');
  });

  it('one-line compound statements keep their body: a setting joins it on the same line', async () => {
    const p = await projectOf({
      'app.py':
        'from flask import Flask, session\nclass Config: SESSION_COOKIE_SAMESITE = "None"\nif True: app = Flask(__name__)\napp.config.from_object(Config)\ndef f(): session["a"] = 1\n',
    });
    for (const id of ['SL301', 'SL104']) applyFix(p, only(lint(p), id)[0].fixes()[0]);
    const fixed = text(p, 'app.py')!;
    assert.match(fixed, /^class Config: SESSION_COOKIE_SAMESITE = "None"; SESSION_COOKIE_SECURE = True$/m);
    assert.match(
      fixed,
      /^if True: app = Flask\(__name__\); app\.config\["SECRET_KEY"\] = os\.environ\["FLASK_SECRET_KEY"\]$/m,
    );
    assert.equal(p.get('/proj/app.py')!.python!.hasSyntaxErrors, false);
  });

  it('a .env ending inside an open quote gets nothing appended: the fix is not offered', async () => {
    const p = await projectOf({
      'app.py': 'from flask import Flask\napp = Flask(__name__)\napp.secret_key = "literal-key"\n',
      '.env': 'OTHER="never closed\n',
    });
    const [finding] = only(lint(p), 'SL101');
    assert.deepEqual(finding.fixes(), []);
  });
});

describe('other fixes', () => {
  it('SL102 drops the fallback', async () => {
    const p = await projectOf({
      'app.py':
        'import os\nfrom flask import Flask\napp = Flask(__name__)\napp.secret_key = os.environ.get("K", "dev")\napp.config["SECRET_KEY"] = os.getenv("K") or "dev"\n',
    });
    assert.equal(only(lint(p), 'SL102').length, 2);
    applyFix(p, only(lint(p), 'SL102')[0].fixes()[0]);
    applyFix(p, only(lint(p), 'SL102')[0].fixes()[0]);
    assert.equal(only(lint(p), 'SL102').length, 0);
    assert.equal(
      text(p, 'app.py'),
      'import os\nfrom flask import Flask\napp = Flask(__name__)\napp.secret_key = os.environ["K"]\napp.config["SECRET_KEY"] = os.environ["K"]\n',
    );
  });

  it('SL103 reads the environment and writes a value generated once into .env', async () => {
    const p = await projectOf({
      'app.py': 'import os\nfrom flask import Flask\napp = Flask(__name__)\napp.secret_key = os.urandom(24).hex()\n',
    });
    const [fix] = only(lint(p), 'SL103')[0].fixes();
    assert.equal(fix.title, 'Read the secret from the environment variable FLASK_SECRET_KEY');
    applyFix(p, fix);
    assert.equal(
      text(p, 'app.py'),
      'import os\nfrom flask import Flask\napp = Flask(__name__)\napp.secret_key = os.environ["FLASK_SECRET_KEY"]\n',
    );
    assert.equal(text(p, '.env'), `FLASK_SECRET_KEY=${TEST_RANDOM}\n`);
  });

  it('SL103 as a fallback keeps the variable the code already reads', async () => {
    const p = await projectOf({
      'app.py':
        'import os\nfrom flask import Flask\napp = Flask(__name__)\napp.secret_key = os.environ.get("MY_KEY", os.urandom(8))\n',
    });
    applyFix(p, only(lint(p), 'SL103')[0].fixes()[0]);
    assert.match(text(p, 'app.py')!, /app\.secret_key = os\.environ\["MY_KEY"\]/);
  });

  it('SL104 configures the key right after the app is created, with its indentation', async () => {
    const p = await projectOf({
      'app.py': 'from flask import Flask, session\n\ndef create_app():\n\tapp = Flask(__name__)\n\treturn app\n',
    });
    applyFix(p, only(lint(p), 'SL104')[0].fixes()[0]);
    assert.equal(
      text(p, 'app.py'),
      'import os\n\nfrom flask import Flask, session\n\ndef create_app():\n\tapp = Flask(__name__)\n\tapp.config["SECRET_KEY"] = os.environ["FLASK_SECRET_KEY"]\n\treturn app\n',
    );
    assert.equal(lint(p).length, 0);
  });

  it('disable comments merge into an existing one', async () => {
    const p = await projectOf({
      'app.py':
        'import os\nfrom flask import Flask\napp = Flask(__name__)\napp.secret_key = os.environ.get("K", os.urandom(4))  # sessionlint: disable=SL102\n',
    });
    const [finding] = only(lint(p), 'SL103');
    const file = p.get('/proj/app.py')!;
    applyFix(p, disableForLine(file, finding)!);
    assert.match(text(p, 'app.py')!, /# sessionlint: disable=SL102,SL103\n$/);
    assert.equal(lint(p).length, 0);
    const q = await projectOf({
      'app.py': '#!/usr/bin/env python\nfrom flask import Flask\napp = Flask(__name__)\napp.secret_key = "abcd-key"\n',
    });
    applyFix(q, disableForFile(q.get('/proj/app.py')!, lint(q)[0])!);
    assert.equal(
      text(q, 'app.py'),
      '#!/usr/bin/env python\n# sessionlint: disable-file=SL101\nfrom flask import Flask\napp = Flask(__name__)\napp.secret_key = "abcd-key"\n',
    );
    assert.equal(lint(q).length, 0);
  });
});

describe('.env values', () => {
  it('quotes only when needed, in a form python-dotenv reads back', () => {
    assert.equal(dotenvValue('abc-123_XYZ'), 'abc-123_XYZ');
    assert.equal(dotenvValue('has space'), "'has space'");
    assert.equal(dotenvValue(`it's "quoted"`), `"it's \\"quoted\\""`);
    assert.equal(dotenvValue('line\nbreak'), '"line\\nbreak"');
  });
});

describe('disable comments in every kind of file', () => {
  const disable = async (files: Record<string, string>, rel: string) => {
    const p = await projectOf(files);
    const finding = lint(p).find((f) => f.path === `/proj/${rel}`)!;
    const fix = disableForLine(p.get(finding.path)!, finding);
    if (fix) applyFix(p, fix);
    return { p, fix, after: lint(p).filter((f) => f.path === `/proj/${rel}`) };
  };

  it('go on their own line where a # after a value is part of the value', async () => {
    const docker = await disable(
      { Dockerfile: '# syntax=docker/dockerfile:1\nFROM python:3.12\n    ENV SECRET_KEY=in-the-image\n' },
      'Dockerfile',
    );
    assert.equal(
      text(docker.p, 'Dockerfile'),
      '# syntax=docker/dockerfile:1\nFROM python:3.12\n    # sessionlint: disable-next-line=SL106\n    ENV SECRET_KEY=in-the-image\n',
    );
    assert.deepEqual(docker.after, []);
    const unit = await disable({ 'shop.service': '[Service]\nEnvironment=SECRET_KEY=in-the-unit\n' }, 'shop.service');
    assert.equal(
      text(unit.p, 'shop.service'),
      '[Service]\n# sessionlint: disable-next-line=SL106\nEnvironment=SECRET_KEY=in-the-unit\n',
    );
    const ini = await disable(
      {
        'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
        'production.ini': '[server:main]\nuse = egg:waitress#main\ntrusted_proxy = *\nlisten = 0.0.0.0:8080\n',
      },
      'production.ini',
    );
    assert.match(text(ini.p, 'production.ini'), /\n# sessionlint: disable-next-line=SL40[34]\ntrusted_proxy = \*\n/);
    const q = await projectOf({ Dockerfile: '# syntax=docker/dockerfile:1\nENV SECRET_KEY=x1y2\n' });
    const wholeFile = disableForFile(q.get('/proj/Dockerfile')!, lint(q)[0])!;
    assert.equal(
      wholeFile.changes[0].edits[0].start,
      '# syntax=docker/dockerfile:1\n'.length,
      'parser directives stay first',
    );
  });

  it('go above a line that continues or a literal that runs on', async () => {
    const continued = await disable(
      { 'app.py': 'from flask import Flask\napp = Flask(__name__)\napp.secret_key = "continued-key" \\\n    "more"\n' },
      'app.py',
    );
    assert.match(
      text(continued.p, 'app.py'),
      /\n# sessionlint: disable-next-line=SL101\napp\.secret_key = "continued-key" \\\n/,
    );
    const multiline = await disable(
      { 'app.py': 'from flask import Flask\napp = Flask(__name__)\napp.secret_key = """first\nsecond"""\n' },
      'app.py',
    );
    assert.match(
      text(multiline.p, 'app.py'),
      /\n# sessionlint: disable-next-line=SL101\napp\.secret_key = """first\nsecond"""\n$/,
    );
    assert.deepEqual([continued.after, multiline.after], [[], []]);
  });

  it('are not offered in JSON, which has no comments', async () => {
    const json = await disable(
      {
        'app.py':
          'import json\nfrom flask import Flask\napp = Flask(__name__)\napp.config.from_file("config.json", load=json.load)\n',
        'config.json': '{"SECRET_KEY": "in-json"}',
      },
      'config.json',
    );
    assert.equal(json.fix, undefined);
  });
});
