import { promises as fs } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { applyEdits, LineIndex } from '../../server/src/core/text';

/** Applies a WorkspaceEdit to the disk the way an editor would; returns the files it touched. */
export async function applyWorkspaceEdit(edit: WorkspaceEdit): Promise<string[]> {
  const touched: string[] = [];
  const editFile = async (uri: string, edits: TextEdit[]) => {
    const file = fileURLToPath(uri);
    const text = await fs.readFile(file, 'utf8');
    const index = new LineIndex(text);
    const offsets = edits.map((e) => ({
      start: index.offsetAt(e.range.start),
      end: index.offsetAt(e.range.end),
      newText: e.newText,
    }));
    await fs.writeFile(file, applyEdits(text, offsets));
    touched.push(file);
  };
  for (const change of edit.documentChanges ?? []) {
    if ('kind' in change) {
      if (change.kind !== 'create') throw new Error(`unexpected resource operation ${change.kind}`);
      const file = fileURLToPath(change.uri);
      try {
        await fs.writeFile(file, '', { flag: 'wx' });
      } catch (e) {
        if (!change.options?.ignoreIfExists) throw e;
      }
    } else await editFile(change.textDocument.uri, change.edits as TextEdit[]);
  }
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) await editFile(uri, edits);
  return touched;
}
