import type { Span } from '../../types';

/**
 * What a JavaScript or TypeScript expression evaluates to, classified without running it.
 * Names bound in the same file are followed at extraction; imports stay references that the
 * project resolves across modules (see core/express.ts).
 */
export type JsValue =
  | {
      kind: 'string';
      span: Span;
      /**
       * The string's value (a template literal without substitutions counts). For a secret it is
       * kept only so a fix can move it into `.env`: never put it in a message, a log or output.
       */
      value: string;
    }
  | { kind: 'number'; span: Span; value: number }
  | { kind: 'boolean'; span: Span; value: boolean }
  /** `undefined`, `null`, `void 0`. */
  | { kind: 'undefined'; span: Span }
  /** `process.env` itself, or a name bound to it. */
  | { kind: 'env-object'; span: Span }
  /**
   * `process.env.X`, `process.env["X"]`, `env.get("X")` of env-var; `fallback` from `||`/`??`/`.default()`.
   * `coerced`: `String(process.env.X)`, whose fallback is the string "undefined" when X is unset.
   */
  | { kind: 'env'; span: Span; variable: string; fallback?: JsValue; required?: boolean; coerced?: boolean }
  /** A value drawn at start-up: `crypto.randomBytes(32).toString("hex")`, `uuid()`, `Math.random()`. */
  | { kind: 'generated'; span: Span; generator: string }
  /** `process.env.NODE_ENV === "production"` (or `!==`, negated): true only in production. */
  | { kind: 'production'; span: Span; negated: boolean }
  | {
      kind: 'object';
      span: Span;
      entries: JsEntry[] /** Offset of the closing brace, where new properties go. */;
      close: number;
    }
  | { kind: 'array'; span: Span; items: JsValue[] }
  /** A binding imported from another module: `name` is `default`, `*` or an export's name; `path` the members read from it. */
  | { kind: 'import'; span: Span; source: string; name: string; path: string[] }
  /** `a ? b : c`: either value; `production` is the index of the one production gets, when the test says. */
  | { kind: 'either'; span: Span; options: JsValue[]; production?: number }
  | { kind: 'other'; span: Span };

/** A property written in an object literal, or a spread of another value, in source order. */
export type JsEntry =
  | {
      key: string;
      keySpan: Span;
      span: Span /** The value as written here (a name, when it names a value declared elsewhere). */;
      valueSpan: Span;
      value: JsValue;
    }
  | { spread: JsValue };

/** The session middleware packages the rules know. */
export type SessionLibrary = 'express-session' | 'cookie-session' | 'cookie-parser';

/** A call of a session middleware factory: `session({...})`, `cookieSession({...})`, `cookieParser(secret)`. */
export interface SessionCall {
  library: SessionLibrary;
  span: Span;
  /** The first argument, if any: the options (the secret for cookie-parser). */
  options?: JsValue;
}

/** `const app = express()`: where SL401's fix adds `app.set("trust proxy", ...)`. */
export interface ExpressApp {
  name?: string;
  span: Span;
  /** End of the statement that creates the app, and the indentation of its line. */
  statementEnd: number;
  indent: string;
}

/** `app.set("trust proxy", v)`, `app.enable("trust proxy")` (value true), `app.disable(...)` (false). */
export interface TrustProxySetting {
  span: Span;
  value: JsValue;
}

/** How the file writes code, so a fix writes in the same style. */
export interface JsStyle {
  quote: '"' | "'";
  semicolons: boolean;
  module: 'commonjs' | 'esm';
}

/** A pm2 app from `ecosystem.config.js`: how many processes run and in which environment. */
export interface Pm2App {
  span: Span;
  /** `instances` as a count: `max`/`0`/`-1` count as several. */
  processes: number | 'many';
  production: boolean;
}

/** Everything the rules need from one JavaScript or TypeScript file. Plain data: the tree is gone. */
export interface JsFacts {
  language: 'javascript' | 'typescript';
  /** Local name -> imported binding (`import x from`, `require()`), for resolving values. */
  imports: Record<string, { source: string; name: string }>;
  /** Exports by name (`default` for `module.exports =` / `export default`). */
  exports: Record<string, JsValue>;
  /** `export * from "./x"`: modules whose named exports this one passes on. */
  reexportAll: string[];
  apps: ExpressApp[];
  sessions: SessionCall[];
  trustProxy: TrustProxySetting[];
  /** `req.ip`, `req.protocol`, `req.secure`, `req.hostname`, express-rate-limit: what needs trusted proxy headers. */
  schemeUses: { span: Span; what: string }[];
  /** `app.listen(port, host)`: the host, when written as a literal. */
  listenHosts: string[];
  /** The app serves HTTPS itself (`https.createServer`). */
  servesHttps: boolean;
  /** Loads `.env` (`dotenv`, `dotenv/config`, `process.loadEnvFile`). */
  loadsDotenv: boolean;
  pm2: Pm2App[];
  /** Environment variables the file checks at start-up (`if (!process.env.X) throw`, `assert`, envalid's `cleanEnv`). */
  envChecks: string[];
  /** End of the module's leading imports and requires: where a start-up check goes. */
  importsEnd: number;
  style: JsStyle;
  hasSyntaxErrors: boolean;
}
