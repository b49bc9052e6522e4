/** How loudly a finding is shown. */
export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A half-open range of UTF-16 offsets into a file's text. */
export interface Span {
  start: number;
  end: number;
}

/** Replace `start..end` of a file's text with `newText`. */
export interface TextEdit extends Span {
  newText: string;
}

/** The edits one fix makes to one file. `create` means the file does not exist yet. */
export interface FileChange {
  path: string;
  edits: TextEdit[];
  create?: boolean;
}

/**
 * Safe fixes keep what the app does and needs (fix-all and `--fix` apply them);
 * unsafe ones change it, e.g. a new required environment variable (quick fix or `--unsafe-fixes`).
 */
export type FixSafety = 'safe' | 'unsafe';

/**
 * A fix: an imperative title and the edits to every file it touches. An unsafe fix says what
 * it changes for the app (`effect`, e.g. "the app then needs FLASK_SECRET_KEY at run time"),
 * which the editor shows next to the title.
 */
export type Fix = { title: string; changes: FileChange[] } & (
  | { safety: 'safe' }
  | { safety: 'unsafe'; effect: string }
);

/** Another place that matters for a finding, e.g. where the app uses the session. */
export interface Related {
  path: string;
  span: Span;
  message: string;
}

/** One problem found by one rule. Messages never contain a secret's value. */
export interface Finding {
  ruleId: string;
  ruleName: string;
  path: string;
  span: Span;
  message: string;
  severity: Severity;
  related: Related[];
  /** Fixes are built on demand: they read other files and may draw a random value. */
  fixes: () => Fix[];
}

/** Text read in parts: a string, or an open document held in pieces (see ChunkedTree). */
export interface SourceText {
  readonly length: number;
  slice(start: number, end: number): string;
}

/** Where a file's text is changed between two versions, for incremental reparsing. */
export interface TextChange {
  start: number;
  oldEnd: number;
  newText: string;
}
