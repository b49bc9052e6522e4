import {
  EventEmitter,
  languages,
  MarkdownString,
  Range,
  ThemeColor,
  ThemeIcon,
  TreeItem,
  TreeItemCollapsibleState,
  Uri,
  window,
  type Disposable,
  type Event,
  type TreeDataProvider,
  type TreeView,
  l10n,
} from 'vscode';
import type { LspChains, LspLocation } from '../../server/src/lsp/chain';
import type { ClientHolder } from './extension';

type App = LspChains['apps'][number];
type Hop = App['hops'][number];
type HopFinding = Hop['findings'][number];

/** A row of the tree: an app, one of its hops, or a line under a hop. */
export type ChainNode =
  | { type: 'app'; app: App }
  | { type: 'hop'; hop: Hop }
  /** What the hop does with TLS and the headers (or the session's key and cookie), folded. */
  | { type: 'details'; hop: Hop }
  | { type: 'detail'; label: string; value: string }
  | { type: 'finding'; finding: HopFinding };

/** Codicons for each kind of hop: the activity bar's icon font, in every theme. */
const ICONS: Record<string, string> = {
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
export class ChainView implements TreeDataProvider<ChainNode>, Disposable {
  private readonly changed = new EventEmitter<ChainNode | undefined>();
  readonly onDidChangeTreeData: Event<ChainNode | undefined> = this.changed.event;
  private apps: App[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly view: TreeView<ChainNode>;
  private readonly subscriptions: Disposable[];

  constructor(private readonly holder: ClientHolder) {
    this.view = window.createTreeView('sessionlint.chain', { treeDataProvider: this, showCollapseAll: true });
    this.subscriptions = [
      this.view,
      this.changed,
      languages.onDidChangeDiagnostics(() => this.schedule()),
      this.view.onDidChangeVisibility((e) => e.visible && this.schedule()),
    ];
  }

  /** The apps as last drawn: what the view shows (for tests and the command that reveals it). */
  get current(): readonly App[] {
    return this.apps;
  }

  /** Asks the server for the chains now and redraws. */
  async refresh(): Promise<void> {
    const client = this.holder.client;
    if (!client?.isRunning()) return;
    this.apps = (await client.sendRequest<LspChains>('sessionlint/chain')).apps;
    this.view.message =
      this.apps.length === 0
        ? l10n.t('No Flask, Django, Starlette or Express app found in this workspace.')
        : undefined;
    this.changed.fire(undefined);
  }

  private schedule(): void {
    if (!this.view.visible) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh().catch(() => undefined), REFRESH_DELAY_MS);
  }

  getChildren(node?: ChainNode): ChainNode[] {
    if (!node) return this.apps.map((app) => ({ type: 'app', app }));
    if (node.type === 'app') return node.app.hops.map((hop) => ({ type: 'hop', hop }));
    if (node.type === 'hop')
      return [
        ...node.hop.findings.map((finding): ChainNode => ({ type: 'finding', finding })),
        ...(node.hop.details.length > 0 ? [{ type: 'details', hop: node.hop } as const] : []),
      ];
    if (node.type === 'details') return node.hop.details.map((d): ChainNode => ({ type: 'detail', ...d }));
    return [];
  }

  getTreeItem(node: ChainNode): TreeItem {
    switch (node.type) {
      case 'app': {
        const item = new TreeItem(node.app.name, TreeItemCollapsibleState.Expanded);
        const broken = node.app.hops.filter((h) => h.findings.length > 0).length;
        item.description = broken > 0 ? l10n.t('{0}, {1} broken', node.app.framework, broken) : node.app.framework;
        item.iconPath = new ThemeIcon('type-hierarchy-sub');
        return item;
      }
      case 'hop': {
        const { hop } = node;
        const broken = hop.findings.length > 0;
        const item = new TreeItem(
          hop.name,
          broken ? TreeItemCollapsibleState.Expanded : TreeItemCollapsibleState.Collapsed,
        );
        item.description = hop.summary;
        item.iconPath = broken
          ? new ThemeIcon('error', new ThemeColor('list.errorForeground'))
          : new ThemeIcon(ICONS[hop.kind] ?? 'circle-outline');
        item.tooltip = tooltipOf(hop);
        item.contextValue = broken ? 'hop.broken' : 'hop';
        if (hop.location) item.command = openCommand(hop.location, l10n.t('Open {0}', hop.name));
        return item;
      }
      case 'finding': {
        const item = new TreeItem(node.finding.ruleId, TreeItemCollapsibleState.None);
        item.description = node.finding.message;
        item.tooltip = node.finding.message;
        item.iconPath = new ThemeIcon('warning', new ThemeColor('list.warningForeground'));
        item.command = openCommand(node.finding.location, l10n.t('Open {0}', node.finding.ruleId));
        return item;
      }
      case 'details': {
        const item = new TreeItem(l10n.t('What it does'), TreeItemCollapsibleState.Collapsed);
        item.iconPath = new ThemeIcon('info');
        return item;
      }
      case 'detail': {
        const item = new TreeItem(node.label, TreeItemCollapsibleState.None);
        item.description = node.value;
        return item;
      }
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
  }
}

function tooltipOf(hop: Hop): MarkdownString {
  const md = new MarkdownString();
  md.appendMarkdown(`**${escapeMd(hop.name)}**: ${escapeMd(hop.summary)}\n\n`);
  for (const d of hop.details) md.appendMarkdown(`- ${escapeMd(d.label)}: ${escapeMd(d.value)}\n`);
  for (const f of hop.findings) md.appendMarkdown(`\n$(error) **${f.ruleId}** ${escapeMd(f.message)}\n`);
  md.supportThemeIcons = true;
  return md;
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

function openCommand(location: LspLocation, title: string) {
  const { start, end } = location.range;
  return {
    command: 'vscode.open',
    title,
    arguments: [
      Uri.parse(location.uri),
      { selection: new Range(start.line, start.character, end.line, end.character), preview: true },
    ],
  };
}
