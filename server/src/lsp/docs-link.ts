import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

let docsDir: string | null | undefined;

/** `file:` URI of a rule's docs page shipped beside the server, or undefined if not shipped. */
export function ruleDocsUri(ruleId: string): string | undefined {
  if (docsDir === undefined) {
    docsDir = null;
    // dist/server.js (bundle, extension) or out/server/src/lsp/*.js (compiled tests).
    for (let dir = __dirname, i = 0; i < 5; i++, dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'docs', 'rules');
      if (existsSync(candidate)) {
        docsDir = candidate;
        break;
      }
    }
  }
  return docsDir ? pathToFileURL(path.join(docsDir, `${ruleId}.md`)).href : undefined;
}
