import { TreeItem, type Disposable, type Event, type TreeDataProvider } from 'vscode';
import type { LspChains } from '../../server/src/lsp/chain';
import type { ClientHolder } from './extension';
type App = LspChains['apps'][number];
type Hop = App['hops'][number];
type HopFinding = Hop['findings'][number];
/** A row of the tree: an app, one of its hops, or a line under a hop. */
export type ChainNode =
  | {
      type: 'app';
      app: App;
    }
  | {
      type: 'hop';
      hop: Hop;
    }
  | {
      type: 'detail';
      label: string;
      value: string;
    }
  | {
      type: 'finding';
      finding: HopFinding;
    };
/**
 * The *Session chain* view: for each app, the request path from the browser to the session as
 * the server reads the project, hops that break it in the theme's error colour, each hop
 * opening the file and line that configure it. It follows edits: every new set of diagnostics
 * asks the server again, while the view is visible.
 */
export declare class ChainView implements TreeDataProvider<ChainNode>, Disposable {
  private readonly holder;
  private readonly changed;
  readonly onDidChangeTreeData: Event<ChainNode | undefined>;
  private apps;
  private timer;
  private readonly view;
  private readonly subscriptions;
  constructor(holder: ClientHolder);
  /** The apps as last drawn: what the view shows (for tests and the command that reveals it). */
  get current(): readonly App[];
  /** Asks the server for the chains now and redraws. */
  refresh(): Promise<void>;
  private schedule;
  getChildren(node?: ChainNode): ChainNode[];
  getTreeItem(node: ChainNode): TreeItem;
  dispose(): void;
}
