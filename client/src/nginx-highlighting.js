"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.registerNginxHighlighting = registerNginxHighlighting;
const vscode_1 = require("vscode");
const nginx_1 = require("../../server/src/core/parse/nginx");
const TYPES = {
    comment: 'comment',
    directive: 'keyword',
    string: 'string',
    variable: 'variable',
    number: 'number',
    punctuation: 'operator',
};
const LEGEND = new vscode_1.SemanticTokensLegend([...new Set(Object.values(TYPES))]);
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
async function registerNginxHighlighting() {
    if ((await vscode_1.languages.getLanguages()).includes('nginx'))
        return undefined;
    const provider = {
        provideDocumentSemanticTokens(document) {
            const builder = new vscode_1.SemanticTokensBuilder(LEGEND);
            const text = document.getText();
            if (!/\bserver\b|\blocation\b|\bproxy_pass\b|\bhttp\s*\{/.test(text))
                return builder.build();
            for (const h of (0, nginx_1.nginxHighlights)(text)) {
                const start = document.positionAt(h.span.start);
                const end = document.positionAt(h.span.end);
                // Semantic tokens cannot span lines; a multi-line string is highlighted on its first line.
                builder.push(new vscode_1.Range(start, start.line === end.line ? end : document.lineAt(start.line).range.end), TYPES[h.kind]);
            }
            return builder.build();
        },
    };
    return vscode_1.languages.registerDocumentSemanticTokensProvider(SELECTOR, provider, LEGEND);
}
//# sourceMappingURL=nginx-highlighting.js.map