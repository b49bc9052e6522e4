import type { Span } from '../types';

/** One shell word after quote removal, with the span it was written in. */
export interface Word {
  text: string;
  span: Span;
}

/** A simple command: leading `NAME=value` assignments, then its words. */
export interface SimpleCommand {
  assignments: Word[];
  words: Word[];
  span: Span;
}

/**
 * Splits shell text into simple commands and words, as `sh` would for plain command lines:
 * single and double quotes, backslash escapes and line continuations, `#` comments, and the
 * separators `;`, `&&`, `||`, `|`, `&` and newlines. Expansions are kept as written. This is
 * what Procfiles, Dockerfile shell forms, compose `command:` strings, systemd `ExecStart=` and
 * start-up scripts need; `offset` places the spans in the enclosing file.
 */
export function splitCommands(text: string, offset = 0): SimpleCommand[] {
  const commands: SimpleCommand[] = [];
  let words: Word[] = [];
  let word: string | undefined;
  let wordStart = 0;
  const endWord = (at: number) => {
    if (word !== undefined) words.push({ text: word, span: { start: offset + wordStart, end: offset + at } });
    word = undefined;
  };
  const endCommand = () => {
    if (words.length === 0) return;
    let i = 0;
    while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i].text)) i++;
    commands.push({
      assignments: words.slice(0, i),
      words: words.slice(i),
      span: { start: words[0].span.start, end: words[words.length - 1].span.end },
    });
    words = [];
  };
  const begin = (at: number) => {
    if (word === undefined) {
      word = '';
      wordStart = at;
    }
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      if (text[i + 1] === '\n') {
        i++;
        continue;
      }
      if (text[i + 1] === '\r' && text[i + 2] === '\n') {
        i += 2;
        continue;
      }
      begin(i);
      word += text[i + 1] ?? '';
      i++;
    } else if (c === "'") {
      begin(i);
      const close = text.indexOf("'", i + 1);
      const stop = close === -1 ? text.length : close;
      word += text.slice(i + 1, stop);
      i = stop;
    } else if (c === '"') {
      begin(i);
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && '"\\$`\n'.includes(text[j + 1] ?? '')) j++;
        word += text[j];
      }
      i = j;
    } else if (c === '#' && word === undefined) {
      const nl = text.indexOf('\n', i);
      i = (nl === -1 ? text.length : nl) - 1;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      endWord(i);
    } else if (c === '\n' || c === ';' || c === '&' || c === '|') {
      endWord(i);
      endCommand();
      if ((c === '&' || c === '|') && text[i + 1] === c) i++;
    } else {
      begin(i);
      word += c;
    }
  }
  endWord(text.length);
  endCommand();
  return commands;
}

/** Removes the leading `NAME=value` words (a command's environment) from `words` and returns them. */
export function spliceAssignments(words: Word[]): Word[] {
  const n = words.findIndex((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w.text));
  return words.splice(0, n < 0 ? words.length : n);
}
