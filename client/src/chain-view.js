"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ChainView = void 0;
const vscode_1 = require("vscode");
/** Codicons for each kind of hop: the activity bar's icon font, in every theme. */
const ICONS = {
    client: 'globe',
    platform: 'cloud',
    proxy: 'arrow-swap',
    server: 'server-process',
    middleware: 'filter',
    app: 'symbol-class',
    session: 'key',
};
/** Changes of diagnostics arrive in bursts while the server lints: one refresh per burst. */
const REFRESH_DELAY_MS = 300;
/**
 * The *Session chain* view: for each app, the request path from the browser to the session as
 * the server reads the project, hops that break it in the theme's error colour, each hop
 * opening the file and line that configure it. It follows edits: every new set of diagnostics
 * asks the server again, while the view is visible.
 */
class ChainView {
    holder;
    changed = new vscode_1.EventEmitter();
    onDidChangeTreeData = this.changed.event;
    apps = [];
    timer;
    view;
    subscriptions;
    constructor(holder) {
        this.holder = holder;
        this.view = vscode_1.window.createTreeView('sessionlint.chain', { treeDataProvider: this, showCollapseAll: true });
        this.subscriptions = [
            this.view,
            this.changed,
            vscode_1.languages.onDidChangeDiagnostics(() => this.schedule()),
            this.view.onDidChangeVisibility((e) => e.visible && this.schedule()),
        ];
    }
    /** The apps as last drawn: what the view shows (for tests and the command that reveals it). */
    get current() {
        return this.apps;
    }
    /** Asks the server for the chains now and redraws. */
    async refresh() {
        const client = this.holder.client;
        if (!client?.isRunning())
            return;
        this.apps = (await client.sendRequest('sessionlint/chain')).apps;
        this.view.message =
            this.apps.length === 0 ? 'No Flask, Django, Starlette or Express app found in this workspace.' : undefined;
        this.changed.fire(undefined);
    }
    schedule() {
        if (!this.view.visible)
            return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.refresh().catch(() => undefined), REFRESH_DELAY_MS);
    }
    getChildren(node) {
        if (!node)
            return this.apps.map((app) => ({ type: 'app', app }));
        if (node.type === 'app')
            return node.app.hops.map((hop) => ({ type: 'hop', hop }));
        if (node.type === 'hop')
            return [
                ...node.hop.findings.map((finding) => ({ type: 'finding', finding })),
                ...node.hop.details.map((d) => ({ type: 'detail', ...d })),
            ];
        return [];
    }
    getTreeItem(node) {
        switch (node.type) {
            case 'app': {
                const item = new vscode_1.TreeItem(node.app.name, vscode_1.TreeItemCollapsibleState.Expanded);
                const broken = node.app.hops.filter((h) => h.findings.length > 0).length;
                item.description = broken > 0 ? `${node.app.framework}, ${broken} broken` : node.app.framework;
                item.iconPath = new vscode_1.ThemeIcon('type-hierarchy-sub');
                return item;
            }
            case 'hop': {
                const { hop } = node;
                const broken = hop.findings.length > 0;
                const item = new vscode_1.TreeItem(hop.name, broken ? vscode_1.TreeItemCollapsibleState.Expanded : vscode_1.TreeItemCollapsibleState.Collapsed);
                item.description = hop.summary;
                item.iconPath = broken
                    ? new vscode_1.ThemeIcon('error', new vscode_1.ThemeColor('list.errorForeground'))
                    : new vscode_1.ThemeIcon(ICONS[hop.kind] ?? 'circle-outline');
                item.tooltip = tooltipOf(hop);
                item.contextValue = broken ? 'hop.broken' : 'hop';
                if (hop.location)
                    item.command = openCommand(hop.location, `Open ${hop.name}`);
                return item;
            }
            case 'finding': {
                const item = new vscode_1.TreeItem(node.finding.ruleId, vscode_1.TreeItemCollapsibleState.None);
                item.description = node.finding.message;
                item.tooltip = node.finding.message;
                item.iconPath = new vscode_1.ThemeIcon('warning', new vscode_1.ThemeColor('list.warningForeground'));
                item.command = openCommand(node.finding.location, `Open ${node.finding.ruleId}`);
                return item;
            }
            case 'detail': {
                const item = new vscode_1.TreeItem(node.label, vscode_1.TreeItemCollapsibleState.None);
                item.description = node.value;
                return item;
            }
        }
    }
    dispose() {
        clearTimeout(this.timer);
        for (const s of this.subscriptions)
            s.dispose();
    }
}
exports.ChainView = ChainView;
function tooltipOf(hop) {
    const md = new vscode_1.MarkdownString();
    md.appendMarkdown(`**${escapeMd(hop.name)}**: ${escapeMd(hop.summary)}\n\n`);
    for (const d of hop.details)
        md.appendMarkdown(`- ${escapeMd(d.label)}: ${escapeMd(d.value)}\n`);
    for (const f of hop.findings)
        md.appendMarkdown(`\n$(error) **${f.ruleId}** ${escapeMd(f.message)}\n`);
    md.supportThemeIcons = true;
    return md;
}
function escapeMd(text) {
    return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
function openCommand(location, title) {
    const { start, end } = location.range;
    return {
        command: 'vscode.open',
        title,
        arguments: [
            vscode_1.Uri.parse(location.uri),
            { selection: new vscode_1.Range(start.line, start.character, end.line, end.character), preview: true },
        ],
    };
}
//# sourceMappingURL=chain-view.js.map