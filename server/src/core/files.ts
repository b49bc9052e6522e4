import { NODE_CONFIG_FILES } from './facts/node-config';
import { basename, dirname } from './paths';
import type { Content } from './text';

/** The kinds of file the project model reads. */
export type FileKind =
  | 'python'
  | 'dotenv'
  | 'gitignore'
  | 'requirements'
  | 'pyproject'
  | 'poetry-lock'
  | 'pipfile-lock'
  | 'setup-cfg'
  | 'nginx'
  | 'caddyfile'
  | 'apache'
  | 'traefik'
  | 'uwsgi-yaml'
  | 'fly-toml'
  | 'render-yaml'
  | 'app-json'
  | 'kubernetes'
  | 'compose'
  | 'dockerfile'
  | 'procfile'
  | 'systemd'
  | 'supervisor'
  | 'config-candidate'
  | 'shell'
  | 'paste-ini'
  | 'toml-config'
  | 'json-config'
  | 'node-config'
  | 'javascript'
  | 'typescript'
  | 'package-json'
  | 'npm-lock';

/** Project configuration files, in order of precedence. */
export const CONFIG_FILES = ['sessionlint.toml', 'pyproject.toml'] as const;

/** Globs covering every file `fileKindOf` recognizes: what an editor must watch and sync. */
export const PROJECT_FILE_GLOBS: readonly string[] = [
  '**/*.py',
  '**/.env',
  '**/.env.*',
  '**/.flaskenv',
  '**/.gitignore',
  '**/requirements*.txt',
  '**/requirements*.in',
  '**/requirements/*.txt',
  '**/pyproject.toml',
  '**/sessionlint.toml',
  '**/poetry.lock',
  '**/Pipfile.lock',
  '**/setup.cfg',
  '**/*.conf',
  '**/*.nginx',
  '**/traefik.yml',
  '**/traefik.toml',
  '**/uwsgi.yml',
  '**/uwsgi.yaml',
  '**/traefik.yaml',
  '**/render.yaml',
  '**/fly.toml',
  '**/app.json',
  '**/*.yaml',
  '**/*.yml',
  '**/Caddyfile',
  '**/Caddyfile.*',
  '**/*.caddyfile',
  '**/*.Caddyfile',
  '**/sites-available/*',
  '**/sites-enabled/*',
  '**/conf.d/*',
  '**/nginx/*',
  '**/*compose*.yml',
  '**/*compose*.yaml',
  '**/Dockerfile*',
  '**/*.dockerfile',
  '**/*.Dockerfile',
  '**/Containerfile',
  '**/Procfile',
  '**/*.service',
  '**/*.sh',
  '**/*.ini',
  '**/*.toml',
  '**/*config*.json',
  '**/config/*.json',
  '**/*settings*.json',
  '**/*secret*.json',
  '**/*.conf.*',
  '**/deploy/*',
  '**/deployment/*',
  '**/config/*',
  '**/configs/*',
  '**/conf/*',
  '**/etc/*',
  '**/docker/*',
  '**/infra/*',
  '**/ops/*',
  '**/proxy/*',
  '**/server/*',
  '**/servers/*',
  '**/bin/*',
  '**/*.js',
  '**/*.cjs',
  '**/*.mjs',
  '**/*.ts',
  '**/*.mts',
  '**/*.cts',
  '**/package.json',
  '**/package-lock.json',
  '**/npm-shrinkwrap.json',
  '**/yarn.lock',
  '**/pnpm-lock.yaml',
];

/** Folders whose scripts are browser code or build output, never the server's. */
const NOT_SERVER_CODE =
  /(^|\/)(public|static|assets|build|out|coverage|vendor|\.next|\.nuxt|bower_components|node_modules|dist)\//;

/** Whether a script at this project-relative path can be the server's code (not a bundle or browser asset). */
export function isServerScriptPath(relative: string): boolean {
  return !NOT_SERVER_CODE.test(relative);
}

/**
 * The kind of a `config-candidate` file, read from its text: an nginx configuration has a
 * `server`, `location` or `upstream` block or a `proxy_pass`; a supervisor program file has a
 * `[program:name]` section; anything else is not read.
 */
export function kindByContent(text: string): FileKind | undefined {
  // Express generator's `bin/www`: a Node script without an extension.
  if (/^#!\S*\bnode\b|^#!\/usr\/bin\/env\s+node\b/.test(text)) return 'javascript';
  if (/^\s*\[program:[^\]\n]+\]/m.test(text)) return 'supervisor';
  // A Kubernetes manifest (or a Knative service, as Cloud Run deploys): apiVersion and kind.
  if (/^apiVersion:\s*\S/m.test(text) && /^kind:\s*[A-Z]\w*/m.test(text)) return 'kubernetes';
  // Apache's sections (`<VirtualHost *:443>`) and directives are capitalised; nginx's are not.
  if (
    /^\s*<(VirtualHost|Location|IfModule|Directory)\b/m.test(text) ||
    /^\s*(ProxyPass|ProxyPreserveHost)\s/m.test(text)
  )
    return 'apache';
  if (
    /^\s*(server|location|upstream|http)\b[^;{}\n]*\{/m.test(text) ||
    /^\s*(proxy_pass|uwsgi_pass|server_name|listen|proxy_set_header)\s/m.test(text)
  )
    return 'nginx';
  return undefined;
}

/** The kind a file is read as: by its name, or by its text when the name leaves it open. */
export function effectiveKind(path: string, text: Content): FileKind | undefined {
  const kind = fileKindOf(path);
  return kind === 'config-candidate' ? kindByContent(text.toString()) : kind;
}

export function fileKindOf(path: string): FileKind | undefined {
  const name = basename(path);
  const dir = basename(dirname(path));
  if (name.endsWith('.py')) return 'python';
  if (/\.(c|m)?[jt]s$/.test(name)) {
    // Declarations, minified bundles and build output hold no server configuration.
    if (/\.d\.(c|m)?ts$|[.-]min\.(c|m)?js$|\.bundle\.js$/.test(name)) return undefined;
    return name.endsWith('ts') ? 'typescript' : 'javascript';
  }
  if (name === 'package.json') return 'package-json';
  if (/^(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml)$/.test(name)) return 'npm-lock';
  if (name === '.env' || name === '.flaskenv' || name.startsWith('.env.')) return 'dotenv';
  if (name === '.gitignore') return 'gitignore';
  if (/^requirements.*\.(txt|in)$/.test(name) || (dir === 'requirements' && name.endsWith('.txt')))
    return 'requirements';
  if (name === 'pyproject.toml') return 'pyproject';
  if (name === 'poetry.lock') return 'poetry-lock';
  if (name === 'Pipfile.lock') return 'pipfile-lock';
  if (name === 'setup.cfg') return 'setup-cfg';
  // Hosting platforms' own files.
  if (name === 'fly.toml') return 'fly-toml';
  if (name === 'render.yaml') return 'render-yaml';
  if (name === 'app.json') return 'app-json';
  if (/^traefik\.(ya?ml|toml)$/.test(name)) return 'traefik';
  if (/^uwsgi\.ya?ml$/.test(name)) return 'uwsgi-yaml';
  if (/^Caddyfile([.-][\w.-]+)?$/.test(name) || /\.[Cc]addyfile$/.test(name)) return 'caddyfile';
  if (name.endsWith('.nginx') || dir === 'nginx') return 'nginx';
  // Debian's nginx and Apache both keep sites in these folders: the content decides.
  if (/^(sites-available|sites-enabled|conf\.d|conf-available|conf-enabled)$/.test(dir)) return 'config-candidate';
  // `.conf` is nginx's, supervisor's and many others': the content decides (kindByContent).
  if (/\.conf(\.(template|tmpl|j2|example|sample))?$/.test(name) || /^nginx[\w.-]*$/.test(name))
    return 'config-candidate';
  // Debian's `sites-available/default` copied into `deploy/` or `configs/`, with no extension.
  if (
    !name.includes('.') &&
    /^(deploy|deployment|config|configs|conf|etc|docker|server|servers|proxy|infra|ops|bin)$/i.test(dir)
  )
    return 'config-candidate';
  if (/^(docker-)?compose([.-][\w.-]+)?\.ya?ml$/.test(name)) return 'compose';
  // Other YAML is read when its content says Kubernetes (kindByContent); Helm templates are not YAML.
  if (/\.ya?ml$/.test(name) && name !== 'pnpm-lock.yaml' && !/(^|\/)templates$/.test(dirname(path)))
    return 'config-candidate';
  if (/^Dockerfile([.-].*)?$/.test(name) || /\.[Dd]ockerfile$/.test(name) || name === 'Containerfile')
    return 'dockerfile';
  if (name === 'Procfile') return 'procfile';
  if (name.endsWith('.service')) return 'systemd';
  if (name.endsWith('.sh')) return 'shell';
  if (name.endsWith('.ini')) return 'paste-ini';
  if (name.endsWith('.toml') && name !== 'sessionlint.toml') return 'toml-config';
  if (NODE_CONFIG_FILES.test(name) && basename(dirname(path)) === 'config') return 'node-config';
  if (name.endsWith('.json') && /config|settings|secret/i.test(name)) return 'json-config';
  return undefined;
}

/**
 * Whether a file can matter to any rule. Most files in a real tree never mention a session
 * secret, a server or a proxy; skipping their parse is what makes a full scan fast.
 */
/** Words that make a Python file matter; case-sensitive alternatives are much faster. */
const PYTHON_KEYWORDS =
  /[Ff]lask|FLASK|secret_key|SECRET_KEY|SessionMiddleware|[Ww]aitress|ProxyFix|install_requires|uvicorn\.run|from uvicorn import|BaseSettings/;
/**
 * Django's words matter only where Django reads them: manage.py, wsgi.py and asgi.py name the
 * settings module, and settings modules live in a `settings/` (or `config/`) folder at any depth
 * (`config/django/production.py`) or a file named for settings. Django's own source and most app
 * code mention them elsewhere.
 */
const DJANGO_KEYWORDS =
  /^from \S+ import \*|DJANGO_SETTINGS_MODULE|SECURE_PROXY_SSL_HEADER|SECURE_SSL_REDIRECT|CSRF_TRUSTED_ORIGINS|INSTALLED_APPS/m;
const DJANGO_PLACES =
  /(^|\/)(manage|wsgi|asgi)\.py$|(^|\/)(settings|config|conf)\/([^/]+\/)*[^/]*\.py$|settings[^/]*\.py$/;
/** Settings that matter only as a Flask app's configuration (Django's own files have them too). */
const FLASK_SETTING_KEYWORDS = /SESSION_COOKIE|session_cookie|SERVER_NAME|server_name/;

/**
 * How much a Python file can matter: `strong` (Flask, a secret, a server), `setting` (only
 * cookie or server-name settings: worth parsing once the project has a Flask app), or `none`.
 */
export function pythonRelevance(text: string, path: string): 'strong' | 'setting' | 'none' {
  if (PYTHON_KEYWORDS.test(text) || /^gunicorn/.test(basename(path))) return 'strong';
  if (DJANGO_PLACES.test(path) && DJANGO_KEYWORDS.test(text)) return 'strong';
  return FLASK_SETTING_KEYWORDS.test(text) ? 'setting' : 'none';
}

/**
 * What makes a JavaScript or TypeScript file matter: it imports Express or a session
 * middleware, sets trust proxy, or writes session options (`secret:`, `keys:`). Most npm code
 * does none of these, and is never parsed.
 */
const JS_KEYWORDS =
  /(require\s*\(\s*|from\s*)["'`](express|express-session|cookie-session|cookie-parser|express-rate-limit)["'`]|trust proxy|\b(secret|keys)\s*:|SESSION_SECRET|saveUninitialized/;
/** pm2's configuration files (`ecosystem.config.js`, `pm2.config.cjs`): they matter by name. */
export function isPm2File(path: string): boolean {
  return /(^|\/)(ecosystem|pm2)([.-][\w-]+)*\.(c|m)?js$/.test(path);
}

/**
 * A generated bundle rather than a server's own code: larger than any hand-written app or
 * configuration module, or a sizeable file with a bundler's marks (a source map reference, a
 * `/*!` licence banner, webpack's runtime). An app's session setup is never in one.
 */
export function looksGenerated(text: string): boolean {
  if (text.length > 512 * 1024) return true;
  if (text.length < 64 * 1024) return false;
  return /\/\/# sourceMappingURL=|__webpack_require__|^\/\*!\s/m.test(text.slice(0, 4096) + text.slice(-1024));
}

/** A minified or generated bundle: a line longer than any hand-written code (read only the start). */
export function looksMinified(text: string): boolean {
  let lineStart = 0;
  const end = Math.min(text.length, 64 * 1024);
  for (let i = text.indexOf('\n'); ; i = text.indexOf('\n', i + 1)) {
    const lineEnd = i === -1 || i > end ? end : i;
    if (lineEnd - lineStart > 1000) return true;
    if (i === -1 || i > end) return false;
    lineStart = i + 1;
  }
}

export function mightMatter(kind: FileKind, text: string, path: string): boolean {
  switch (kind) {
    case 'javascript':
    case 'typescript':
      return (JS_KEYWORDS.test(text) || isPm2File(path)) && !looksMinified(text) && !looksGenerated(text);
    case 'npm-lock':
      return /express|cookie-session|dotenv/.test(text);
    case 'python':
      return pythonRelevance(text, path) !== 'none';
    case 'caddyfile':
      return /\breverse_proxy\b/.test(text);
    case 'traefik':
      return /\binsecure\b/.test(text);
    case 'kubernetes':
      return /^kind:\s*(Deployment|StatefulSet|DaemonSet|Pod|Job|CronJob|Secret|Service|Ingress)\b/m.test(text);
    case 'apache':
      return /\bProxyPass\b/i.test(text);
    case 'nginx':
      return /\bproxy_pass\b|\bproxy_set_header\b|\bserver_name\b|\buwsgi_pass\b/.test(text);
    case 'config-candidate': {
      const kind = kindByContent(text);
      if (kind === 'javascript') return /\.listen\s*\(/.test(text) || mightMatter(kind, text, path);
      return kind !== undefined && mightMatter(kind, text, path);
    }
    case 'supervisor':
      return /waitress|gunicorn|uvicorn|uwsgi|hypercorn/.test(text);
    case 'node-config':
      return /secret|keys/i.test(text);
    case 'toml-config':
    case 'json-config':
      return /SECRET_KEY|SESSION_COOKIE|SERVER_NAME/.test(text);
    case 'shell':
    case 'paste-ini':
      return /waitress|gunicorn|uvicorn|uwsgi|hypercorn/.test(text);
    default:
      return true;
  }
}
