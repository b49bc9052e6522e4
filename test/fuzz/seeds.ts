import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileKindOf } from '../../server/src/core/files';
import { EXAMPLES, FIXTURES, REPO } from '../helpers/paths';

/** A project as relative path -> text: what the fuzzers start from and mutate. */
export type SeedProject = Record<string, string>;

/** A value the generators plant where a secret goes; no output may ever contain it. */
export const PLANTED = 'PLANTED-s3cr3t-VALUE-7f1d';

/**
 * Every fixture project and example, and every hostile regression file, as seeds. Mutating
 * real shapes finds far more than random text: the parsers see almost-valid input.
 */
export function seedProjects(): SeedProject[] {
  const seeds: SeedProject[] = [];
  const roots = [
    ...readdirSync(FIXTURES)
      .filter((d) => /^SL\d{3}$/.test(d))
      .flatMap((d) => readdirSync(path.join(FIXTURES, d)).map((n) => path.join(FIXTURES, d, n))),
    ...readdirSync(EXAMPLES).map((n) => path.join(EXAMPLES, n)),
    ...readdirSync(HOSTILE).map((n) => path.join(HOSTILE, n)),
  ];
  for (const full of roots) {
    const project: SeedProject = {};
    if (statSync(full).isDirectory()) collect(full, '', project);
    else if (fileKindOf(`/p/${path.basename(full)}`)) project[path.basename(full)] = readFileSync(full, 'latin1');
    if (Object.keys(project).length > 0) seeds.push(project);
  }
  return seeds;
}

/** Hostile inputs found by hand or by the fuzzers: each is a regression fixture. */
export const HOSTILE = path.join(REPO, 'test', 'hostile');

function collect(dir: string, rel: string, out: SeedProject): void {
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) collect(full, `${rel}${name}/`, out);
    else if (fileKindOf(`/p/${rel}${name}`) && name !== 'README.md')
      out[`${rel}${name}`] = readFileSync(full, 'latin1');
  }
}

/**
 * Fragments that matter to the parsers of each kind: punctuation, quotes, keywords,
 * whitespace nginx or Python do not treat as whitespace, a BOM, and planted secrets.
 */
export const FRAGMENTS: readonly string[] = [
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '"',
  "'",
  '"""',
  '\\',
  '\n',
  '\r\n',
  '\r',
  '\t',
  ' ',
  ';',
  ':',
  '=',
  ',',
  '#',
  '$',
  '${',
  '`',
  '\u00a0',
  '\f',
  '\v',
  '\u2028',
  '\u3000',
  '\ufeff',
  '\u0000',
  '\ud800',
  '💥',
  `"${PLANTED}"`,
  `'${PLANTED}'`,
  `SECRET_KEY="${PLANTED}"`,
  `SECRET_KEY=${PLANTED}\n`,
  `secret_key = "${PLANTED}"\n`,
  `app.config.update(SECRET_KEY="${PLANTED}"`,
  `app.secret_key = "${PLANTED}`,
  `os.environ.get("SECRET_KEY", "${PLANTED}")`,
  'serve(app, host="0.0.0.0", port=8080',
  'ProxyFix(app.wsgi_app, x_for=1',
  'from flask import Flask\n',
  'app = Flask(__name__)\n',
  'class Config:',
  'class ProductionConfig(Config): SECRET_KEY = "x"\n',
  'if app.debug:',
  'def create_app():\n',
  'server {',
  'location / {',
  'proxy_pass http://127.0.0.1:8080;',
  'proxy_set_header Host $host;',
  'listen 443 ssl;',
  'include proxy_params;',
  'uwsgi_pass unix:/run/app.sock;',
  'include uwsgi_params;',
  '[uwsgi]\nhttp-socket = :8000\nprocesses = 4\n',
  '<VirtualHost *:443>\n',
  '</VirtualHost>\n',
  '<Location />',
  'ProxyPass / http://127.0.0.1:8000/ \\\n',
  'ProxyPreserveHost On\n',
  'RequestHeader set X-Forwarded-Proto "https"\n',
  'shop.example.com {\n',
  'reverse_proxy localhost:8000 {\n',
  'header_up Host {upstream_hostport}\n',
  'header_up -X-Forwarded-For\n',
  'services:\n',
  '  web:\n',
  '    command: waitress-serve --port=8080 app:app\n',
  '    environment:\n',
  '      - SECRET_KEY=',
  '    ports:\n      - "8080:8080"\n',
  'CMD ["gunicorn", "-w", "4"',
  'ExecStart=/usr/bin/waitress-serve ',
  'web: gunicorn -b 0.0.0.0:$PORT app:app',
  '[server:main]\nuse = egg:waitress#main\n',
  'waitress==3.0.0',
  'flask>=2.2,<3',
  `secret: '${PLANTED}'`,
  `session({ secret: "${PLANTED}"`,
  `process.env.SESSION_SECRET || '${PLANTED}'`,
  `keys: ['${PLANTED}'`,
  `cookieParser("${PLANTED}")`,
  `const { SESSION_SECRET = "${PLANTED}" } = process.env;\n`,
  "app.set('trust proxy', true)",
  'cookie: { secure: true }',
  "require('express-session')",
  "import session from 'express-session';\n",
  'const app = express();\n',
  'module.exports = {',
  'export default {',
  '...',
  'Object.assign(',
  '/*',
  '//',
  '`${',
  "exec_mode: 'cluster', instances: 'max'",
  '"express-session": "^1.18.1"',
  'export ',
  '"unterminated',
  "'unterminated",
  'a'.repeat(300),
  ' '.repeat(300),
  '['.repeat(300),
];
