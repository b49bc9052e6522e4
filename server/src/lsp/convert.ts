import {
  CreateFile,
  DiagnosticSeverity,
  TextDocumentEdit,
  type Diagnostic,
  type Range,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { LineIndex } from '../core/text';
import type { FileChange, Finding, Severity, Span } from '../core/types';
import { corePathToUri } from '../node/paths';
import { ruleDocsUri } from './docs-link';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toRange(index: LineIndex, span: Span): Range {
  return { start: index.positionAt(span.start), end: index.positionAt(span.end) };
}

/** The data a diagnostic carries back in code-action requests. */
export interface DiagnosticData {
  ruleId: string;
  start: number;
}

export function toDiagnostic(finding: Finding, linesOf: (path: string) => LineIndex, withRelated: boolean): Diagnostic {
  const docs = ruleDocsUri(finding.ruleId);
  const data: DiagnosticData = { ruleId: finding.ruleId, start: finding.span.start };
  return {
    range: toRange(linesOf(finding.path), finding.span),
    severity: SEVERITY[finding.severity],
    code: finding.ruleId,
    ...(docs ? { codeDescription: { href: docs } } : {}),
    source: 'sessionlint',
    message: finding.message,
    ...(withRelated && finding.related.length > 0
      ? {
          relatedInformation: finding.related.map((r) => ({
            location: { uri: corePathToUri(r.path), range: toRange(linesOf(r.path), r.span) },
            message: r.message,
          })),
        }
      : {}),
    data,
  };
}

/** A file a fix creates starts empty. */
const EMPTY = new LineIndex('');

/** What the client can apply, from its capabilities. */
export interface EditSupport {
  documentChanges: boolean;
  createFiles: boolean;
}

/**
 * One WorkspaceEdit for all files of a fix. With `documentChanges` new files are created
 * (`ignoreIfExists`, so an existing file is never replaced); plain `changes` works everywhere.
 */
export function toWorkspaceEdit(
  changes: readonly FileChange[],
  linesOf: (path: string) => LineIndex,
  versionOf: (uri: string) => number | null,
  support: EditSupport,
): WorkspaceEdit {
  const merged = new Map<string, FileChange>();
  for (const c of changes) {
    const prior = merged.get(c.path);
    merged.set(c.path, prior ? { ...prior, edits: [...prior.edits, ...c.edits] } : c);
  }
  if (support.documentChanges && support.createFiles) {
    const documentChanges: (CreateFile | TextDocumentEdit)[] = [];
    for (const c of merged.values()) {
      const uri = corePathToUri(c.path);
      const lines = c.create ? EMPTY : linesOf(c.path);
      if (c.create) documentChanges.push(CreateFile.create(uri, { ignoreIfExists: true }));
      documentChanges.push(
        TextDocumentEdit.create(
          { uri, version: c.create ? null : versionOf(uri) },
          c.edits.map((e) => ({ range: toRange(lines, e), newText: e.newText })),
        ),
      );
    }
    return { documentChanges };
  }
  const result: { [uri: string]: { range: Range; newText: string }[] } = {};
  for (const c of merged.values()) {
    const lines = c.create ? EMPTY : linesOf(c.path);
    result[corePathToUri(c.path)] = c.edits.map((e) => ({ range: toRange(lines, e), newText: e.newText }));
  }
  return { changes: result };
}
