import type { Span, TextEdit } from '../types';
import type { DeployFacts, Written } from './deploy-model';

/** The Flask settings the rules read. */
export const CONFIG_KEYS = [
  'SECRET_KEY',
  'SECRET_KEY_FALLBACKS',
  'SERVER_NAME',
  'SESSION_COOKIE_DOMAIN',
  'SESSION_COOKIE_SECURE',
  'SESSION_COOKIE_SAMESITE',
  'SESSION_COOKIE_HTTPONLY',
  'TRUSTED_HOSTS',
  'PREFERRED_URL_SCHEME',
  // Django's, read from settings modules.
  'SECURE_PROXY_SSL_HEADER',
  'SECURE_SSL_REDIRECT',
  'CSRF_TRUSTED_ORIGINS',
  'INSTALLED_APPS',
  'ROOT_URLCONF',
  'CSRF_COOKIE_SECURE',
  'CSRF_COOKIE_SAMESITE',
  'CSRF_COOKIE_DOMAIN',
  'CSRF_COOKIE_HTTPONLY',
  'SESSION_ENGINE',
  'CACHES',
  'USE_X_FORWARDED_HOST',
  'ALLOWED_HOSTS',
] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];

/** The settings that hold session signing keys. */
export function isSecretKey(key: ConfigKey): boolean {
  return key === 'SECRET_KEY' || key === 'SECRET_KEY_FALLBACKS';
}

/** What the code assigns to a setting, classified without running it. */
export type SettingValue =
  | {
      kind: 'literal';
      span: Span;
      empty: boolean;
      /**
       * The string's value; undefined when it has no faithful text form. For a secret key it is
       * kept only so a fix can move it into `.env`: never put it in a message, a log or output.
       */
      value: string | undefined;
    }
  | { kind: 'boolean'; span: Span; value: boolean }
  | {
      kind: 'env';
      span: Span;
      /** The environment variable's name. */
      variable: string;
      /** `os.environ["K"]` fails fast when unset; `.get`/`getenv` give None or the fallback. */
      required: boolean;
      fallback?: SettingValue;
      /** `str(os.environ.get("K"))`: unset, the value is the string "None" (the fallback). */
      coerced?: boolean;
    }
  | { kind: 'generated'; span: Span; call: Span; generator: string }
  | { kind: 'none'; span: Span }
  | { kind: 'list'; span: Span; items: SettingValue[] }
  | { kind: 'other'; span: Span };

/** Whose setting an assignment is: the app object, a config class, or a config module. */
export type SiteOwner = { kind: 'app' } | { kind: 'class'; className: string } | { kind: 'module' };

/** One place where code sets a tracked setting. */
export interface ConfigSite {
  key: ConfigKey;
  /** How the code names the setting, for messages: `app.secret_key`, `SECRET_KEY`. */
  form: string;
  owner: SiteOwner;
  value: SettingValue;
  /** Inside `if app.debug:` or a similar development-only branch. */
  devBranch: boolean;
  /** Names the value passed through (`key = ...; app.secret_key = key`), for fail-fast checks. */
  names: string[];
  /** End of the statement and its indentation, for fixes that add a sibling setting. */
  statement?: { end: number; indent: string };
  /** The Flask config object an app-level site writes to (`app.config`). */
  configObject?: string;
}

/** A `Flask(...)` call: where SL104 reports and where its fix inserts the key. */
export interface AppCreation {
  span: Span;
  /** The name the app is bound to (`app`, `self.app`), if it is assigned. */
  target?: string;
  /** End of the statement that creates the app, and its indentation. */
  statementEnd: number;
  indent: string;
}

/** What a `config.from_*` call loads, as written; the project resolves it. */
export type ConfigRef =
  | { kind: 'name'; name: string }
  | { kind: 'dotted'; path: string }
  | { kind: 'self' }
  /** `from_pyfile("x.py")`, `from_file("x.toml", load=...)`: a file by name. */
  | { kind: 'file'; file: string }
  | { kind: 'prefixed-env' }
  | { kind: 'unknown' };

/** A `config.from_object` / `from_pyfile` / `from_envvar` / `from_prefixed_env` / `from_file` call. */
export interface ConfigLoad {
  method: string;
  span: Span;
  refs: ConfigRef[];
}

/** A class whose body may hold settings. */
export interface ClassDef {
  name: string;
  span: Span;
  /** Base classes as written (`Config`, `config.Base`). */
  bases: string[];
}

/** An import binding: `import a.b as c` gives c -> {module: 'a.b'}. */
export interface ImportBinding {
  module: string;
  name?: string;
  span: Span;
}

/** Evidence that the app uses sessions (Flask `session`, `flash`, Flask-Login, Flask-WTF). */
export interface SessionUse {
  span: Span;
  what: string;
}

/** Where and how `os` is available in a file, for fixes that write `os.environ[...]`. */
export interface OsAccess {
  /** Expression that names os.environ here (`os.environ`, `environ`), if one is imported. */
  environ?: string;
  /**
   * django-environ's `env = environ.Env()` or python-decouple's `config`: the name the file
   * reads variables with, and the offset from which it is bound.
   */
  envReader?: { name: string; bound: number };
  /** Offset where a new `import os` line goes. */
  importOffset: number;
  /** The module-level import statements, in order, for placing a new import as isort would. */
  imports: TopImport[];
}

/** A module-level `import x` or `from x import y`, by its first module's name. */
export interface TopImport {
  module: string;
  from: boolean;
  span: Span;
}

/** `ProxyFix(...)`: what it wraps, where the result goes, and its counts. */
export interface ProxyFixUse {
  span: Span;
  /** The wrapped object as written (`app.wsgi_app`, `app`). */
  wrapped: Written;
  /** Where the result is assigned (`app.wsgi_app`, `app`), if it is. */
  target?: Written;
  /** Counts as written; absent ones take ProxyFix's defaults. */
  counts: Partial<Record<ProxyFixCount, { value: number; span: Span }>>;
  /** The whole assignment statement, for rewriting it. */
  statement: Span;
  /** Offset of the closing parenthesis, where new keywords go. */
  closeParen: number;
}

export type ProxyFixCount = 'x_for' | 'x_proto' | 'x_host' | 'x_port' | 'x_prefix';

/** werkzeug's defaults: ProxyFix(app, x_for=1, x_proto=1, x_host=0, x_port=0, x_prefix=0). */
export const PROXYFIX_DEFAULTS: Record<ProxyFixCount, number> = {
  x_for: 1,
  x_proto: 1,
  x_host: 0,
  x_port: 0,
  x_prefix: 0,
};

/**
 * Starlette's `SessionMiddleware` (FastAPI and every framework on Starlette), added with
 * `app.add_middleware(SessionMiddleware, ...)` or `Middleware(SessionMiddleware, ...)`.
 */
export interface StarletteSession {
  span: Span;
  /** Keyword arguments by name (`secret_key`, `same_site`, `https_only`, `domain`), classified. */
  options: Record<string, SettingValue>;
  /** Inside `if settings.debug:` or a similar development-only branch. */
  devBranch: boolean;
  /** Options that read a settings object's attribute (`secret_key=settings.SECRET_KEY`). */
  references: Record<string, SettingsReference>;
  /** Options that read a name imported from another module (`from app.config import SECRET_KEY`). */
  imported: Record<string, ImportBinding>;
}

/** A field of a pydantic-settings class: an environment read, with its default as the fallback. */
export interface SettingsField {
  name: string;
  /** Always `kind: 'env'`: required when the field has no default. */
  value: SettingValue;
  /** The edit that makes the field required: ` = "dev"` removed, or `Field("dev")` to `Field(...)`. */
  requireEdit?: TextEdit;
}

/** `class Settings(BaseSettings)`: its fields by attribute name. */
export interface SettingsClass {
  name: string;
  fields: Record<string, SettingsField>;
}

/** `settings.SECRET_KEY`, `get_settings().secret_key`: a settings object's attribute, as written. */
export interface SettingsReference {
  object: string;
  attribute: string;
}

/** Everything the rules need from one Python file. Plain data: the tree is gone. */
export interface PythonFacts {
  module: string;
  importsFlask: boolean;
  imports: Record<string, ImportBinding>;
  apps: AppCreation[];
  sites: ConfigSite[];
  classes: ClassDef[];
  /** Module-level dict literals whose values may be config classes: name -> dotted values. */
  dicts: Record<string, string[]>;
  loads: ConfigLoad[];
  sessionUses: SessionUse[];
  /** Names, attributes and strings tested by an `assert` or an `if ...: raise`. */
  failFast: string[];
  /** Names an `if not NAME:` (or `if NAME is None:`) branch assigns: never empty after it. */
  refilled: string[];
  os: OsAccess;
  hasSyntaxErrors: boolean;
  proxyFixes: ProxyFixUse[];
  /** `subdomain_matching=True` or `subdomain=` routes: sessions may need to span subdomains. */
  subdomains: Span[];
  /** Servers started here (`waitress.serve`, gunicorn.conf.py) and versions from setup.py. */
  deploy: DeployFacts;
  starletteSessions: StarletteSession[];
  /** pydantic-settings classes defined here. */
  settingsClasses: SettingsClass[];
  /** Settings objects as written (`settings`, `get_settings()`, `Settings()`) to their class. */
  settingsObjects: Record<string, string>;
  /** Module-level names that look like secrets (`SECRET_KEY = "..."`), classified: another module may import them. */
  secretConstants: Record<string, SettingValue>;
  /** Modules this one imports everything from (`from .base import *`), absolute. */
  starImports: string[];
  /** `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")`: the settings module named. */
  djangoSettingsModules: string[];
}
