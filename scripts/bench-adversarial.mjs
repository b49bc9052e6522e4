// Adversarial benchmark: for each file kind, the worst of several hostile inputs of 1 MB
// against an ordinary file of the same size, parsed and linted in process. Reports numbers,
// asserts nothing. The target (issue 7): every worst case within 2x of the ordinary file.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Project } = require('../out/server/src/core/project.js');
const { createParsers, ensureNodeParsers } = require('../out/server/src/node/parser.js');
const { lintProject } = require('../out/server/src/core/lint.js');
const { RULES } = require('../out/server/src/core/rules/index.js');
const { emptyProjectConfig, resolveSettings } = require('../out/server/src/core/settings.js');

const SIZE = Number(process.env.BENCH_ADVERSARIAL_SIZE ?? 1024 * 1024);
/** Hostile text: `s` repeated to exactly SIZE, cut wherever that falls. */
const fill = (s, head = '') => head + s.repeat(Math.ceil((SIZE - head.length) / s.length)).slice(0, SIZE - head.length);
/** An ordinary file: whole repetitions of a well-formed unit, about SIZE in all. */
const whole = (s, head = '') => head + s.repeat(Math.max(1, Math.round((SIZE - head.length) / s.length)));
const FLASK = 'from flask import Flask\napp = Flask(__name__)\n';

/** Per kind: the file name, an ordinary file of that kind, hostile candidates and setFile's options. */
const KINDS = {
  python: [
    'app.py',
    whole(
      'class ProductionConfig(Config):\n    SECRET_KEY = os.environ["SECRET_KEY"]\n    SESSION_COOKIE_SECURE = True\n\ndef view():\n    session["n"] = session.get("n", 0) + 1\n    return str(session["n"])\n\n',
      `${FLASK}import os\n`,
    ),
    {
      parens: fill('(', FLASK),
      brackets: fill('[', FLASK),
      quotes: fill('"', FLASK),
      unterminated: fill('x = "abc\n', FLASK),
      astral: fill('\u{10ffff}\u{1f4a5}', FLASK),
      attributes: fill('.a', `${FLASK}x = b`),
      colons: fill('web: gunicorn -b 0.0.0.0:$PORT app:app', FLASK),
      labels: fill('a:b a:b a:b a:b\n', FLASK),
    },
  ],
  javascript: [
    'server.js',
    whole(
      "app.use(session({ secret: process.env.SESSION_SECRET, cookie: { secure: true } }));\napp.get('/', (req, res) => {\n  req.session.views = (req.session.views ?? 0) + 1;\n  res.send(String(req.session.views));\n});\n",
      "const session = require('express-session');\n",
    ),
    {
      labels: fill(`${'a:b '.repeat(225)}\n`, "require('express-session');\n"),
      cases: fill(`${'case a:b '.repeat(100)}\n`, "require('express-session');\n"),
      unterminated: fill('x = "abc\n', "require('express-session');\n"),
      parens: fill('(', "require('express-session');\n"),
    },
    // The CLI reads no script over 512 KB (a bundle); the editor parses any script opened in it.
    { keepTree: true },
  ],
  nginx: [
    'nginx/site.conf',
    whole(
      'server {\n    listen 443 ssl;\n    server_name example.com;\n    location / {\n        proxy_pass http://127.0.0.1:8080;\n        proxy_set_header Host $host;\n    }\n}\n',
    ),
    {
      nbsp: fill('\u00a0', 'proxy_pass x;'),
      quotes: fill('"', 'proxy_pass '),
      braces: fill('{', 'proxy_pass x;'),
      vars: fill('${', 'proxy_pass '),
      formfeed: fill('\f\v\u2028\u3000', 'proxy_pass x;'),
    },
  ],
  requirements: [
    'requirements.txt',
    whole('flask==3.0.3  # web framework\nwaitress>=3.0,<4\n'),
    {
      spaces: fill(' ', 'flask'),
      hashes: fill(' #', 'flask'),
      tabs: fill('\t', 'waitress'),
    },
  ],
  compose: [
    'docker-compose.yml',
    whole(
      '  web$:\n    image: shop:1\n    command: gunicorn -w 4 -b 0.0.0.0:8000 app:app\n    environment:\n      - FLASK_DEBUG=0\n    ports:\n      - "8000:8000"\n'.replace(
        '$',
        'x',
      ),
      'services:\n',
    ),
    {
      quotes: fill('"', 'services:\n  a:\n    command: '),
      anchors: fill('&a ', 'services:\n'),
      dashes: fill('- ', 'services:\n'),
      flow: fill('{a: ', 'services: '),
      keys: fill('a: 1\n', 'services:\n'),
    },
  ],
  dockerfile: [
    'Dockerfile',
    whole('RUN pip install -r requirements.txt \\\n    && useradd app\nCMD ["gunicorn", "-w", "4", "app:app"]\n'),
    {
      backslashes: fill('\\ '),
      quotes: fill('"', 'CMD ['),
      spaces: fill(' ', 'CMD gunicorn'),
    },
  ],
  procfile: [
    'Procfile',
    whole('web: gunicorn -w 4 -b 0.0.0.0:$PORT app:app\n'),
    { quotes: fill('"', 'web: gunicorn '), backslashes: fill('\\', 'web: waitress-serve ') },
  ],
  systemd: [
    'app.service',
    whole('[Service]\nExecStart=/usr/bin/gunicorn -w 4 app:app\nEnvironment=FLASK_DEBUG=0\n'),
    { spaces: fill(' ', '[Service]\nExecStart=gunicorn'), nodelimiter: fill('a '), headers: fill('[', 'gunicorn') },
  ],
  dotenv: [
    '.env',
    whole('FLASK_SECRET_KEY=abcdef0123456789\nDATABASE_URL="postgres://x"\n'),
    { quotes: fill('"', 'SECRET_KEY='), export: fill('export ') },
  ],
  toml: [
    'pyproject.toml',
    whole(
      '[[tool.poetry.source]]\nname = "pypi"\nurl = "https://pypi.org/simple"\n',
      '[project]\ndependencies = ["flask==3.0.3"]\n',
    ),
    { brackets: fill('[['), quotes: fill('"'), tables: fill('[a]\n') },
  ],
  json: [
    'settings.json',
    `${whole('"OTHER_KEY_0": "value", ', '{"SECRET_KEY": "x", ').slice(0, SIZE - 1)}}`,
    { brackets: fill('[', '{"SECRET_KEY": '), strings: fill('"\\', '{"SECRET_KEY": ') },
  ],
};

const parsers = await createParsers();
await ensureNodeParsers(parsers);
const settings = resolveSettings(RULES, emptyProjectConfig());

function time(name, text, options) {
  const samples = [];
  for (let i = 0; i < 3; i++) {
    const project = new Project('/bench', parsers);
    const started = performance.now();
    project.setFile('/bench/app.py', FLASK);
    project.setFile(`/bench/${name}`, text, options);
    for (const list of lintProject(
      project,
      settings,
      () => 'x',
      () => undefined,
    ).values())
      for (const f of list) f.fixes();
    samples.push(performance.now() - started);
    project.dispose();
  }
  return samples.sort((a, b) => a - b)[1];
}

const rows = [];
for (const [kind, [name, ordinary, hostile, options]] of Object.entries(KINDS)) {
  const base = time(name, ordinary, options);
  let worst = ['', 0];
  for (const [label, text] of Object.entries(hostile)) {
    const ms = time(name, text, options);
    if (process.env.BENCH_VERBOSE)
      console.error(`${kind} ${label}: ${ms.toFixed(0)} ms (ordinary ${base.toFixed(0)} ms)`);
    if (ms > worst[1]) worst = [label, ms];
  }
  rows.push([kind, base, worst[0], worst[1]]);
}
console.log('Adversarial inputs, 1 MB each, parse + lint + fixes in process (median of 3):');
console.log(`${'kind'.padEnd(13)}${'ordinary'.padStart(10)}  ${'worst input'.padEnd(14)}${'worst'.padStart(9)}  ratio`);
for (const [kind, base, label, worst] of rows) {
  console.log(
    `${kind.padEnd(13)}${`${base.toFixed(0)} ms`.padStart(10)}  ${label.padEnd(14)}${`${worst.toFixed(0)} ms`.padStart(9)}  ${(worst / base).toFixed(2)}x`,
  );
}
