import { randomBytes } from 'node:crypto';
import { commands, env, Uri, window, workspace, l10n } from 'vscode';
import type { WorkspaceEdit as LspWorkspaceEdit } from 'vscode-languageclient/node';
import type { ClientHolder } from './extension';

/** "Session Lint: Scan workspace": re-read every file from disk and re-lint. */
export async function scanWorkspace(holder: ClientHolder): Promise<void> {
  await holder.client?.sendRequest('sessionlint/scanWorkspace');
}

/**
 * "Session Lint: Generate a secret key": 32 random bytes as hex, put where the user asks. The
 * value is never shown: `.env` gets it through the same edit as the move-to-env fix (git-ignored,
 * an existing entry never overwritten), or it goes to the clipboard.
 */
export async function generateSecretKey(
  holder: ClientHolder,
  preset: { target?: 'dotenv' | 'clipboard'; variable?: string } = {},
): Promise<void> {
  const folder =
    workspace.workspaceFolders?.length === 1 ? workspace.workspaceFolders[0] : await window.showWorkspaceFolderPick();
  // Keybindings and tests may pass the choices; otherwise the user is asked.
  const target = preset.target
    ? { id: preset.target }
    : await window.showQuickPick(
        [
          {
            label: l10n.t('$(file) Add to .env'),
            description: folder ? l10n.t('{0}/.env, git-ignored', folder.name) : undefined,
            id: 'dotenv',
          },
          { label: l10n.t('$(clippy) Copy to the clipboard'), id: 'clipboard' },
        ].filter((t) => t.id !== 'dotenv' || folder),
        { title: l10n.t('Generate a secret key'), placeHolder: l10n.t('Where should the new key go?') },
      );
  if (!target) return;
  if (target.id === 'clipboard') {
    await env.clipboard.writeText(randomBytes(32).toString('hex'));
    void window.showInformationMessage(l10n.t('A new secret key is on the clipboard.'));
    return;
  }
  // Only the clipboard needs no folder, and the .env choice is offered only with one.
  if (!folder) return;
  const configured =
    workspace.getConfiguration('sessionlint', folder.uri).get<string>('secretEnvVar') ?? 'FLASK_SECRET_KEY';
  const variable =
    preset.variable ??
    (await window.showInputBox({
      title: l10n.t('Generate a secret key'),
      prompt: l10n.t('Environment variable name'),
      value: configured,
      validateInput: (v) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(v) ? undefined : l10n.t('Letters, digits and _ only')),
    }));
  if (!variable || !holder.client) return;
  const result = await holder.client.sendRequest<{
    edit?: LspWorkspaceEdit;
    variable: string;
    existed: boolean;
  } | null>('sessionlint/generateSecret', { folderUri: folder.uri.toString(), variable });
  if (!result) return;
  if (result.existed || !result.edit) {
    void window.showWarningMessage(l10n.t('{0} is already set in .env; it was left unchanged.', result.variable));
    return;
  }
  const edit = await holder.client.protocol2CodeConverter.asWorkspaceEdit(result.edit);
  await workspace.applyEdit(edit);
  // Save what the edit touched (.env, .gitignore, .env.example), and nothing else.
  for (const [uri] of edit.entries()) await (await workspace.openTextDocument(uri)).save();
  void window.showInformationMessage(l10n.t('A new {0} was added to .env.', result.variable));
}

/** "Session Lint: Explain rule": the rule's documentation page, rendered. */
export async function explainRule(holder: ClientHolder, ruleId?: string): Promise<void> {
  let id = ruleId;
  if (!id) {
    const rules =
      (await holder.client?.sendRequest<{ id: string; name: string; summary: string }[]>('sessionlint/rules')) ?? [];
    id = (
      await window.showQuickPick(
        rules.map((r) => ({ label: r.id, description: r.name, detail: r.summary })),
        { title: l10n.t('Explain rule') },
      )
    )?.label;
  }
  if (!id || !/^SL\d{3}$/.test(id)) return;
  const page = Uri.joinPath(holder.context.extensionUri, 'docs', 'rules', `${id}.md`);
  await commands.executeCommand('markdown.showPreview', page);
}

/** What a fix that wrote other files reports, once its edit is applied. */
export interface FixApplied {
  files: string[];
  effect?: string;
  dotenv?: string;
}

/**
 * Runs after a fix that also changed other files (the move-to-env fix writes `.env`,
 * `.gitignore`, `.env.example`): says which, and what the app needs now, with "Open .env".
 */
export async function fixApplied(notice: FixApplied): Promise<void> {
  const what = notice.effect ? l10n.t(' Note: {0}, in its tests too.', notice.effect) : '';
  const open = notice.dotenv ? l10n.t('Open .env') : undefined;
  const choice = await window.showInformationMessage(
    l10n.t('Session Lint also changed {0}.{1}', notice.files.join(', '), what),
    ...(open ? [open] : []),
  );
  if (choice === open && notice.dotenv) await window.showTextDocument(Uri.parse(notice.dotenv));
}

/** "Session Lint: Fix all auto-fixable problems" in the active file: the safe fixes only. */
export async function fixAll(): Promise<void> {
  await commands.executeCommand('editor.action.sourceAction', { kind: 'source.fixAll.sessionlint', apply: 'first' });
}
