"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.scanWorkspace = scanWorkspace;
exports.generateSecretKey = generateSecretKey;
exports.explainRule = explainRule;
exports.fixApplied = fixApplied;
exports.fixAll = fixAll;
const node_crypto_1 = require("node:crypto");
const vscode_1 = require("vscode");
/** "Session Lint: Scan workspace": re-read every file from disk and re-lint. */
async function scanWorkspace(holder) {
    await holder.client?.sendRequest('sessionlint/scanWorkspace');
}
/**
 * "Session Lint: Generate a secret key": 32 random bytes as hex, put where the user asks. The
 * value is never shown: `.env` gets it through the same edit as the move-to-env fix (git-ignored,
 * an existing entry never overwritten), or it goes to the clipboard.
 */
async function generateSecretKey(holder, preset = {}) {
    const folder = vscode_1.workspace.workspaceFolders?.length === 1 ? vscode_1.workspace.workspaceFolders[0] : await vscode_1.window.showWorkspaceFolderPick();
    // Keybindings and tests may pass the choices; otherwise the user is asked.
    const target = preset.target
        ? { id: preset.target }
        : await vscode_1.window.showQuickPick([
            {
                label: '$(file) Add to .env',
                description: folder ? `${folder.name}/.env, git-ignored` : undefined,
                id: 'dotenv',
            },
            { label: '$(clippy) Copy to the clipboard', id: 'clipboard' },
        ].filter((t) => t.id !== 'dotenv' || folder), { title: 'Generate a secret key', placeHolder: 'Where should the new key go?' });
    if (!target)
        return;
    if (target.id === 'clipboard') {
        await vscode_1.env.clipboard.writeText((0, node_crypto_1.randomBytes)(32).toString('hex'));
        void vscode_1.window.showInformationMessage('A new secret key is on the clipboard.');
        return;
    }
    // Only the clipboard needs no folder, and the .env choice is offered only with one.
    if (!folder)
        return;
    const configured = vscode_1.workspace.getConfiguration('sessionlint', folder.uri).get('secretEnvVar') ?? 'FLASK_SECRET_KEY';
    const variable = preset.variable ??
        (await vscode_1.window.showInputBox({
            title: 'Generate a secret key',
            prompt: 'Environment variable name',
            value: configured,
            validateInput: (v) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(v) ? undefined : 'Letters, digits and _ only'),
        }));
    if (!variable || !holder.client)
        return;
    const result = await holder.client.sendRequest('sessionlint/generateSecret', { folderUri: folder.uri.toString(), variable });
    if (!result)
        return;
    if (result.existed || !result.edit) {
        void vscode_1.window.showWarningMessage(`${result.variable} is already set in .env; it was left unchanged.`);
        return;
    }
    const edit = await holder.client.protocol2CodeConverter.asWorkspaceEdit(result.edit);
    await vscode_1.workspace.applyEdit(edit);
    // Save what the edit touched (.env, .gitignore, .env.example), and nothing else.
    for (const [uri] of edit.entries())
        await (await vscode_1.workspace.openTextDocument(uri)).save();
    void vscode_1.window.showInformationMessage(`A new ${result.variable} was added to .env.`);
}
/** "Session Lint: Explain rule": the rule's documentation page, rendered. */
async function explainRule(holder, ruleId) {
    let id = ruleId;
    if (!id) {
        const rules = (await holder.client?.sendRequest('sessionlint/rules')) ?? [];
        id = (await vscode_1.window.showQuickPick(rules.map((r) => ({ label: r.id, description: r.name, detail: r.summary })), { title: 'Explain rule' }))?.label;
    }
    if (!id || !/^SL\d{3}$/.test(id))
        return;
    const page = vscode_1.Uri.joinPath(holder.context.extensionUri, 'docs', 'rules', `${id}.md`);
    await vscode_1.commands.executeCommand('markdown.showPreview', page);
}
/**
 * Runs after a fix that also changed other files (the move-to-env fix writes `.env`,
 * `.gitignore`, `.env.example`): says which, and what the app needs now, with "Open .env".
 */
async function fixApplied(notice) {
    const what = notice.effect ? ` Note: ${notice.effect}, in its tests too.` : '';
    const open = notice.dotenv ? 'Open .env' : undefined;
    const choice = await vscode_1.window.showInformationMessage(`Session Lint also changed ${notice.files.join(', ')}.${what}`, ...(open ? [open] : []));
    if (choice === open && notice.dotenv)
        await vscode_1.window.showTextDocument(vscode_1.Uri.parse(notice.dotenv));
}
/** "Session Lint: Fix all auto-fixable problems" in the active file: the safe fixes only. */
async function fixAll() {
    await vscode_1.commands.executeCommand('editor.action.sourceAction', { kind: 'source.fixAll.sessionlint', apply: 'first' });
}
//# sourceMappingURL=commands.js.map