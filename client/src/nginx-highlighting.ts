import {
  languages,
  Range,
  SemanticTokensBuilder,
  SemanticTokensLegend,
  type Disposable,
  type DocumentSemanticTokensProvider,
} from 'vscode';
import { nginxHighlights, type NginxHighlightKind } from '../../server/src/core/parse/nginx';

const TYPES: Record<NginxHighlightKind, string> = {
  comment: 'comment',
  directive: 'keyword',
  string: 'string',
  variable: 'variable',
  number: 'number',
  punctuation: 'operator',
};
const LEGEND = new SemanticTokensLegend([...new Set(Object.values(TYPES))]);

/**
 * nginx configuration as VS Code opens it without an nginx language: plain text, or `.conf` as
 * its built-in `properties` language. The provider answers only for text that looks like nginx.
 */
const PATTERN = '**/{*.conf,*.nginx,nginx.conf,sites-available/*,sites-enabled/*,conf.d/*,nginx/*}';
const SELECTOR = ['plaintext', 'properties'].map((language) => ({ language, scheme: 'file', pattern: PATTERN }));

/**
 * Highlighting for nginx files, only when no extension provides an `nginx` language: another
 * extension's language id and grammar are never fought over, and the file keeps its language.
 * Built from nginx's own lexical rules (the parser the rules use), as semantic tokens.
 */
export async function registerNginxHighlighting(): Promise<Disposable | undefined> {
  if ((await languages.getLanguages()).includes('nginx')) return undefined;
  const provider: DocumentSemanticTokensProvider = {
    provideDocumentSemanticTokens(document) {
      const builder = new SemanticTokensBuilder(LEGEND);
      const text = document.getText();
      if (!/\bserver\b|\blocation\b|\bproxy_pass\b|\bhttp\s*\{/.test(text)) return builder.build();
      for (const h of nginxHighlights(text)) {
        const start = document.positionAt(h.span.start);
        const end = document.positionAt(h.span.end);
        // Semantic tokens cannot span lines; a multi-line string is highlighted on its first line.
        builder.push(
          new Range(start, start.line === end.line ? end : document.lineAt(start.line).range.end),
          TYPES[h.kind],
        );
      }
      return builder.build();
    },
  };
  return languages.registerDocumentSemanticTokensProvider(SELECTOR, provider, LEGEND);
}
