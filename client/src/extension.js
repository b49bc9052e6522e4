"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.activate = activate;
exports.deactivate = deactivate;
const path = __importStar(require("node:path"));
const vscode_1 = require("vscode");
const node_1 = require("vscode-languageclient/node");
const files_1 = require("../../server/src/core/files");
const node_flags_1 = require("../../server/src/lsp/node-flags");
const chain_view_1 = require("./chain-view");
const commands_1 = require("./commands");
const nginx_highlighting_1 = require("./nginx-highlighting");
const status_1 = require("./status");
/** Files the server's project model reads: synced when open, watched when not. */
const WATCHED = `{${files_1.PROJECT_FILE_GLOBS.join(',')}}`;
/** The documents the server lints: every file kind the project model reads. */
const SELECTOR = [
    { scheme: 'file', language: 'python' },
    { scheme: 'file', language: 'dotenv' },
    { scheme: 'file', pattern: WATCHED },
];
// The thin client: start the bundled server, forward file events, a status item, commands and the chain view.
async function activate(context) {
    const output = vscode_1.window.createOutputChannel('Session Lint', { log: true });
    const status = new status_1.StatusItem(SELECTOR);
    const holder = { context };
    const start = async () => {
        holder.client = createClient(context, output);
        status.watch(holder.client);
        await holder.client.start();
    };
    context.subscriptions.push(output, status, vscode_1.commands.registerCommand('sessionlint.restartServer', async () => {
        await holder.client?.stop();
        await start();
    }), vscode_1.commands.registerCommand('sessionlint.showOutput', () => output.show(true)), vscode_1.commands.registerCommand('sessionlint.scanWorkspace', () => (0, commands_1.scanWorkspace)(holder)), vscode_1.commands.registerCommand('sessionlint.generateSecretKey', (preset) => (0, commands_1.generateSecretKey)(holder, preset)), vscode_1.commands.registerCommand('sessionlint.explainRule', (ruleId) => (0, commands_1.explainRule)(holder, ruleId)), vscode_1.commands.registerCommand('sessionlint.fixAll', commands_1.fixAll), vscode_1.commands.registerCommand('sessionlint.fixApplied', (notice) => (0, commands_1.fixApplied)(notice)), { dispose: () => void holder.client?.stop() });
    await start();
    const chainView = new chain_view_1.ChainView(holder);
    context.subscriptions.push(chainView, vscode_1.commands.registerCommand('sessionlint.showChain', async () => {
        await vscode_1.commands.executeCommand('sessionlint.chain.focus');
        await chainView.refresh();
    }), vscode_1.commands.registerCommand('sessionlint.refreshChain', () => chainView.refresh()));
    const nginx = await (0, nginx_highlighting_1.registerNginxHighlighting)();
    if (nginx)
        context.subscriptions.push(nginx);
    return { chainView };
}
async function deactivate() {
    // The subscription above stops the client.
}
/**
 * The server links each diagnostic to its rule's page shipped as Markdown; opened as a file
 * it would be an editable source tab. In VS Code the link runs "Explain rule", which renders
 * it, from Problems and from hover alike.
 */
function renderedDocsLink(diagnostic) {
    const code = diagnostic.code;
    if (typeof code !== 'object' || code.target.scheme !== 'file' || !/^SL\d{3}$/.test(String(code.value)))
        return diagnostic;
    diagnostic.code = {
        value: code.value,
        target: vscode_1.Uri.parse(`command:sessionlint.explainRule?${encodeURIComponent(JSON.stringify([code.value]))}`),
    };
    return diagnostic;
}
function createClient(context, output) {
    const module = context.asAbsolutePath(path.join('dist', 'server.js'));
    const serverOptions = {
        run: { module, transport: node_1.TransportKind.ipc, options: { execArgv: [...node_flags_1.SERVER_NODE_FLAGS] } },
        debug: {
            module,
            transport: node_1.TransportKind.ipc,
            options: { execArgv: [...node_flags_1.SERVER_NODE_FLAGS, '--nolazy', '--inspect=6009'] },
        },
    };
    const clientOptions = {
        documentSelector: SELECTOR,
        synchronize: { fileEvents: vscode_1.workspace.createFileSystemWatcher(WATCHED) },
        initializationOptions: { explainCommand: true },
        outputChannel: output,
        middleware: { handleDiagnostics: (uri, diagnostics, next) => next(uri, diagnostics.map(renderedDocsLink)) },
    };
    return new node_1.LanguageClient('sessionlint', 'Session Lint', serverOptions, clientOptions);
}
//# sourceMappingURL=extension.js.map