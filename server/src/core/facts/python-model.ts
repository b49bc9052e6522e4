import type { Span } from '../types';

/** The Flask settings that hold session signing keys. */
export type SecretKeyName = 'SECRET_KEY' | 'SECRET_KEY_FALLBACKS';

/** What the code assigns to a session secret, classified without running it. */
export type SecretValue =
  | {
      kind: 'literal';
      span: Span;
      empty: boolean;
      /**
       * The secret itself, kept only so a fix can move it into `.env`; undefined when it has
       * no faithful text form. Never put it in a message, a log line or any output.
       */
      secret: string | undefined;
    }
  | {
      kind: 'env';
      span: Span;
      /** The environment variable's name. */
      variable: string;
      /** `os.environ["K"]` fails fast when unset; `.get`/`getenv` give None or the fallback. */
      required: boolean;
      fallback?: SecretValue;
    }
  | { kind: 'generated'; span: Span; call: Span; generator: string }
  | { kind: 'none'; span: Span }
  | { kind: 'list'; span: Span; items: SecretValue[] }
  | { kind: 'other'; span: Span };

/** Whose setting an assignment is: the app object, a config class, or a config module. */
export type SiteOwner = { kind: 'app' } | { kind: 'class'; className: string } | { kind: 'module' };

/** One place where code sets a session secret. */
export interface SecretSite {
  key: SecretKeyName;
  /** How the code names the setting, for messages: `app.secret_key`, `SECRET_KEY`. */
  form: string;
  owner: SiteOwner;
  value: SecretValue;
  /** Inside `if app.debug:` or a similar development-only branch. */
  devBranch: boolean;
  /** Names the value passed through (`key = ...; app.secret_key = key`), for fail-fast checks. */
  names: string[];
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
  | { kind: 'pyfile'; file: string }
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
  /** Offset where a new `import os` line goes. */
  importOffset: number;
}

/** Everything the rules need from one Python file. Plain data: the tree is gone. */
export interface PythonFacts {
  module: string;
  importsFlask: boolean;
  imports: Record<string, ImportBinding>;
  apps: AppCreation[];
  sites: SecretSite[];
  classes: ClassDef[];
  /** Module-level dict literals whose values may be config classes: name -> dotted values. */
  dicts: Record<string, string[]>;
  loads: ConfigLoad[];
  sessionUses: SessionUse[];
  /** Names, attributes and strings tested by an `assert` or an `if ...: raise`. */
  failFast: string[];
  os: OsAccess;
  hasSyntaxErrors: boolean;
}
