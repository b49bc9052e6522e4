import type { Span } from '../types';

/** One Dockerfile instruction, continuation lines joined. */
export interface DockerInstruction {
  keyword: string;
  /** The arguments' text and where it starts in the file (continuations stay in the text). */
  args: string;
  argsStart: number;
  span: Span;
}

/** Splits a Dockerfile into instructions: comments skipped, `\` continuations followed. */
export function parseDockerfile(text: string): DockerInstruction[] {
  const out: DockerInstruction[] = [];
  const lineRe = /[^\n]*\n?/g;
  let current: DockerInstruction | undefined;
  for (const m of text.matchAll(lineRe)) {
    if (m[0] === '') break;
    const start = m.index;
    const line = m[0].replace(/\r?\n$/, '');
    if (current) {
      current.span.end = start + line.length;
      current.args = text.slice(current.argsStart, current.span.end);
      if (!/\\\s*$/.test(line)) current = undefined;
      continue;
    }
    const inst = /^\s*([A-Za-z]+)(\s+|$)/.exec(line);
    if (!inst || line.trimStart().startsWith('#')) continue;
    const argsStart = start + inst[0].length;
    const instruction: DockerInstruction = {
      keyword: inst[1].toUpperCase(),
      args: line.slice(inst[0].length),
      argsStart,
      span: { start: start + inst.index, end: start + line.length },
    };
    out.push(instruction);
    if (/\\\s*$/.test(line)) current = instruction;
  }
  return out;
}
