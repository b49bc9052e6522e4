"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.StatusItem = void 0;
const vscode_1 = require("vscode");
const node_1 = require("vscode-languageclient/node");
/**
 * A language status item, as the Python and TypeScript extensions show theirs: named, next to
 * the language in the status bar, and only while a file Session Lint reads is active, so a
 * Python workspace without Flask is not given a badge. While a scan runs it shows no count:
 * a figure from a half-read project would be wrong.
 */
class StatusItem {
    item;
    subscriptions = [];
    constructor(selector) {
        this.item = vscode_1.languages.createLanguageStatusItem('sessionlint.status', selector);
        this.item.name = 'Session Lint';
        this.show('Session Lint', 'starting', true);
    }
    watch(client) {
        this.subscriptions.push(client.onDidChangeState((e) => {
            if (e.newState === node_1.State.Stopped)
                this.show('Session Lint: stopped', 'run "Session Lint: Restart server"', false, vscode_1.LanguageStatusSeverity.Error, 'sessionlint.restartServer', 'Restart');
            if (e.newState === node_1.State.Starting)
                this.show('Session Lint', 'starting', true);
        }), client.onNotification('sessionlint/status', (p) => {
            if (p.state === 'scanning')
                this.show('Session Lint', 'scanning the workspace', true);
            else
                this.show(`Session Lint: ${p.findings} problem${p.findings === 1 ? '' : 's'}`, `${p.files} file${p.files === 1 ? '' : 's'} read`, false, vscode_1.LanguageStatusSeverity.Information, 'workbench.actions.view.problems', 'Show problems');
        }));
    }
    /** The item's text, detail and state; a command link when there is something to do. */
    show(text, detail, busy, severity = vscode_1.LanguageStatusSeverity.Information, command, title) {
        this.item.text = text;
        this.item.detail = detail;
        this.item.busy = busy;
        this.item.severity = severity;
        this.item.command = command && title ? { command, title } : undefined;
    }
    dispose() {
        this.item.dispose();
        for (const s of this.subscriptions)
            s.dispose();
    }
}
exports.StatusItem = StatusItem;
//# sourceMappingURL=status.js.map