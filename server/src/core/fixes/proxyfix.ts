import type { AppCreation } from '../facts/python-model';
import type { ProjectFile } from '../project';
import { detectEol } from '../text';
import type { FileChange } from '../types';
import { headerEnd } from './edits';
import { insertStatementEdit } from './environment';

/**
 * `app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, ...)` right after the app is created, with
 * its import. `counts` are the ones the proxy's headers call for; werkzeug's defaults are left
 * out only when they already match.
 */
export function insertProxyFixChange(
  file: ProjectFile,
  app: AppCreation & { target: string },
  counts: Record<string, number>,
): FileChange {
  const args = Object.entries(counts)
    .map(([k, v]) => `, ${k}=${v}`)
    .join('');
  const edits = [
    insertStatementEdit(
      file,
      app.statementEnd,
      app.indent,
      `${app.target}.wsgi_app = ProxyFix(${app.target}.wsgi_app${args})`,
    ),
  ];
  const imported = Object.values(file.python?.imports ?? {}).some((b) => b.name === 'ProxyFix');
  if (!imported) {
    const eol = detectEol(file.text);
    const at = file.python?.os.importOffset ?? 0;
    const line = 'from werkzeug.middleware.proxy_fix import ProxyFix';
    edits.push(
      at >= 0
        ? { start: at, end: at, newText: `${eol}${line}` }
        : { start: headerEnd(file.text), end: headerEnd(file.text), newText: `${line}${eol}` },
    );
  }
  return { path: file.path, edits };
}
