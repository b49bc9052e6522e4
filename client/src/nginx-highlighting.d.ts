import { type Disposable } from 'vscode';
/**
 * Highlighting for nginx files, only when no extension provides an `nginx` language: another
 * extension's language id and grammar are never fought over, and the file keeps its language.
 * Built from nginx's own lexical rules (the parser the rules use), as semantic tokens.
 */
export declare function registerNginxHighlighting(): Promise<Disposable | undefined>;
