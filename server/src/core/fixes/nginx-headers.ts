import type { ProxyBlock } from '../facts/deploy-model';
import type { ProjectFile } from '../project';
import { detectEol } from '../text';
import type { FileChange, Span } from '../types';

/** How the headers are usually written; nginx matches names case-insensitively. */
export const HEADER_NAMES: Record<string, string> = {
  host: 'Host',
  'x-forwarded-for': 'X-Forwarded-For',
  'x-forwarded-proto': 'X-Forwarded-Proto',
  'x-forwarded-host': 'X-Forwarded-Host',
  'x-forwarded-port': 'X-Forwarded-Port',
  'x-real-ip': 'X-Real-IP',
};

/** The value a TLS-terminating or plain proxy should send for each header. */
export const HEADER_VALUES: Record<string, string> = {
  host: '$host',
  'x-forwarded-for': '$proxy_add_x_forwarded_for',
  'x-forwarded-proto': '$scheme',
  'x-forwarded-host': '$host',
  'x-forwarded-port': '$server_port',
};

/** Adds `proxy_set_header` lines to a block, after its `proxy_pass` or last header. */
export function addNginxHeaders(
  file: ProjectFile,
  block: ProxyBlock,
  headers: { name: string; value: string }[],
): FileChange {
  const eol = detectEol(file.text);
  const lines = headers
    .map((h) => `${eol}${block.indent}proxy_set_header ${HEADER_NAMES[h.name] ?? h.name} ${h.value};`)
    .join('');
  return { path: file.path, edits: [{ start: block.insertAt, end: block.insertAt, newText: lines }] };
}

/** Rewrites one `proxy_set_header` directive. */
export function replaceNginxHeader(file: ProjectFile, span: Span, name: string, value: string): FileChange {
  return { path: file.path, edits: [{ ...span, newText: `proxy_set_header ${HEADER_NAMES[name] ?? name} ${value};` }] };
}
