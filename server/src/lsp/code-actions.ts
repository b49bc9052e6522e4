import { CodeActionKind, type CodeAction, type CodeActionParams, type Command } from 'vscode-languageserver/node';
import { selectFixes } from '../core/fixes/select';
import { disableForFile, disableForLine } from '../core/fixes/suppress';
import type { Fix } from '../core/types';
import { corePathToUri, uriToCorePath } from '../node/paths';
import { whyNotWritable } from '../node/write-files';
import { toDiagnostic, toWorkspaceEdit } from './convert';
import type { Session } from './session';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.sessionlint`;

/**
 * Quick fixes for the findings under the cursor, ordered as in ruff and ESLint: every fix
 * (the first preferred), then the disable comments, then fix-all. Findings are matched by
 * our own ranges, not the client's diagnostics (Neovim sends byte columns).
 */
export function codeActions(session: Session, params: CodeActionParams): CodeAction[] {
  const path = uriToCorePath(params.textDocument.uri);
  if (!path) return [];
  const ws = session.workspaceFor(path);
  const file = ws.project.get(path);
  const findings = ws.findings.get(path) ?? [];
  if (!file) return [];
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const linesOf = (p: string) => ws.project.lines(p);
  const edit = (fix: Fix) =>
    toWorkspaceEdit(fix.changes, linesOf, (uri) => session.versionOf(uri), session.editSupport);
  const index = ws.project.lines(path);
  const requested = { start: index.offsetAt(params.range.start), end: index.offsetAt(params.range.end) };
  const here = findings.filter((f) => f.span.start <= requested.end && f.span.end >= requested.start);

  // Why the editor could only half apply a fix (its .env is a folder, a pipe, a link out of
  // the project); an ad-hoc folder holds one open file and nothing else to check.
  const blockedReason = (fix: Fix) =>
    ws.adHoc
      ? undefined
      : fix.changes.map((c) => whyNotWritable(ws.root, c.path, !!c.create)).find((r) => r !== undefined);

  const fixes: CodeAction[] = [];
  const disables: CodeAction[] = [];
  if (wants(CodeActionKind.QuickFix)) {
    for (const finding of here) {
      const diagnostic = toDiagnostic(finding, linesOf, session.relatedInformation);
      finding.fixes().forEach((fix, i) => {
        // What an unsafe fix changes for the app is said in words: VS Code users read
        // "(unsafe)" as "insecure". The safety itself travels in the action's data.
        const title = fix.safety === 'unsafe' ? `${fix.title} (${fix.effect})` : fix.title;
        const data = { ruleId: finding.ruleId, safety: fix.safety };
        // A fix the editor could only half apply is shown disabled, with the reason.
        const blocked = blockedReason(fix);
        if (blocked) {
          fixes.push({
            title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            data,
            disabled: { reason: `No file would change: ${blocked}.` },
          });
          return;
        }
        fixes.push({
          title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          // The first fix is the one a user means by Auto Fix; the others are alternatives.
          isPreferred: i === 0,
          data,
          edit: edit(fix),
          command: session.explainCommand ? otherFilesNotice(fix, path, (p) => ws.project.relative(p)) : undefined,
        });
      });
      for (const fix of [disableForLine(file, finding), disableForFile(file, finding)]) {
        if (fix)
          disables.push({
            title: fix.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            edit: edit(fix),
          });
      }
    }
  }
  // Safe fixes only: fix-all never changes what the app needs at run time.
  const fixAll: CodeAction[] = [];
  if (wants(FIX_ALL_KIND) && (only || here.length > 0)) {
    const all = selectFixes(findings, false)
      .fixes.filter((fix) => blockedReason(fix) === undefined)
      .flatMap((f) => f.changes);
    if (all.length > 0) {
      fixAll.push({
        title: 'Fix all safe Session Lint problems',
        kind: FIX_ALL_KIND,
        edit: edit({ title: '', safety: 'safe', changes: all }),
      });
    }
  }
  // "Show documentation" runs the VS Code client's command, so only clients that have it get it.
  const explain: CodeAction[] =
    session.explainCommand && wants(CodeActionKind.QuickFix)
      ? [...new Set(here.map((f) => f.ruleId))].map((id) => ({
          title: `Show documentation for ${id}`,
          kind: CodeActionKind.QuickFix,
          command: { title: `Explain ${id}`, command: 'sessionlint.explainRule', arguments: [id] },
        }))
      : [];
  return [...fixes, ...dedupe(disables), ...explain, ...fixAll];
}

/**
 * A fix that also writes other files (`.env`, `.gitignore`, `.env.example`) says so once it
 * is applied: the VS Code client shows which files changed and what the app now needs.
 */
function otherFilesNotice(fix: Fix, path: string, relative: (p: string) => string): Command | undefined {
  const others = fix.changes.filter((c) => c.path !== path);
  if (others.length === 0) return undefined;
  const dotenv = others.find((c) => /(^|\/)\.env$/.test(c.path));
  return {
    title: 'Session Lint: files changed by a fix',
    command: 'sessionlint.fixApplied',
    arguments: [
      {
        files: others.map((c) => relative(c.path)),
        effect: fix.safety === 'unsafe' ? fix.effect : undefined,
        dotenv: dotenv ? corePathToUri(dotenv.path) : undefined,
      },
    ],
  };
}

/** Two findings of one rule on a line offer the same disable comment once. */
function dedupe(actions: CodeAction[]): CodeAction[] {
  const seen = new Set<string>();
  return actions.filter((a) => {
    const key = `${a.title}|${JSON.stringify(a.edit)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
