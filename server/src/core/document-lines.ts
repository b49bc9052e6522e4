import { parseSuppressions, type Suppressions } from './facts/suppressions';
import { type Content, LineIndex, lineStartsOf } from './text';

/** Line starts (from 0) and suppression comments of one chunk's text. */
interface ChunkLines {
  starts: number[];
  suppressions: Suppressions;
}

/** Found once per chunk: a chunk's text never changes (an edit makes a new chunk). */
const found = new WeakMap<object, ChunkLines>();

function linesOf(chunk: { text: string }): ChunkLines {
  let lines = found.get(chunk);
  if (!lines) {
    lines = { starts: lineStartsOf(chunk.text), suppressions: parseSuppressions(chunk.text) };
    found.set(chunk, lines);
  }
  return lines;
}

/**
 * The lines of one version of an open document, from its chunks (see ChunkedTree): a finding in
 * a large file then costs neither joining its text nor scanning all of it on each keystroke, only
 * the chunk the keystroke changed. Chunks end at a line feed, so no line break spans two.
 */
export class DocumentLines {
  private readonly parts: { start: number; lines: ChunkLines }[];

  constructor(
    chunks: readonly { start: number; text: string }[],
    /** The same version's text, read only for a line's end (fixes, hover). */
    private readonly content: Content,
  ) {
    this.parts = chunks.map((chunk) => ({ start: chunk.start, lines: linesOf(chunk) }));
  }

  index(): LineIndex {
    const starts = [0];
    for (const { start, lines } of this.parts)
      for (let i = 1; i < lines.starts.length; i++) starts.push(start + lines.starts[i]);
    const content = this.content;
    return new LineIndex({ length: content.length, slice: (from, to) => content.toString().slice(from, to) }, starts);
  }

  suppressions(): Suppressions {
    const result: Suppressions = { lines: new Map(), file: [] };
    let line = 0;
    for (const { lines } of this.parts) {
      result.file.push(...lines.suppressions.file);
      for (const [local, codes] of lines.suppressions.lines)
        result.lines.set(line + local, [...(result.lines.get(line + local) ?? []), ...codes]);
      line += lines.starts.length - 1;
    }
    return result;
  }
}
