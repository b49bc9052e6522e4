import type { Project } from '../project';
import type { Fix, Related, Severity, Span } from '../types';

/** A rule's documentation; docs/rules/*.md are generated from it. */
export interface RuleDocs {
  whatItDoes: string;
  whyIsThisBad: string;
  /** Code that triggers the rule: `app.py`'s text, or several files by relative path. */
  example: string | Record<string, string>;
  /** The same code written correctly: it must not trigger the rule. */
  useInstead: string | Record<string, string>;
  fixSafety: string;
  references: string[];
}

/** What the host lets rules use: settings and the few impure things a fix needs. */
export interface RuleOptions {
  /** Variable the move-to-environment fixes use when the project reads none yet. */
  secretEnvVar: string;
  /** A fresh random secret, drawn when a fix is built (never at the app's start-up). */
  randomSecret: () => string;
}

export interface Report {
  path: string;
  span: Span;
  message: string;
  /** Report one severity step lower (development-only configuration). */
  lowered?: boolean;
  /** Not a problem, a statement of fact: shown as information whatever the rule's severity. */
  note?: boolean;
  related?: Related[];
  fixes?: () => Fix[];
}

export interface RuleContext {
  project: Project;
  options: RuleOptions;
  report(report: Report): void;
}

/** One rule: everything about it lives in its own file. */
export interface Rule {
  /** Stable id, never reused: users write it in suppressions and CI reads it in SARIF. */
  id: string;
  /** Kebab-case name of the flagged pattern. */
  name: string;
  /** One line for listings and SARIF's shortDescription. */
  summary: string;
  defaultSeverity: Severity;
  docs: RuleDocs;
  check(context: RuleContext): void;
}
