/**
 * Whether a JavaScript or TypeScript statement that begins with `character` may, in a whole
 * parse, continue the statement above it: after a line without a semicolon, automatic semicolon
 * insertion does not end that statement before `(`, `[`, a template, `+`, `-`, `/` or `<`
 * (`f\n(x)` is a call of f). Each of these also begins a statement that parses on its own, so an
 * open document's chunk starting with one is parsed with the chunk above (chunked-tree.ts). Other
 * continuations (`.then()`, `, b`, `? a : b`) do not parse on their own and are joined anyway.
 */
export function continuesJsStatement(character: string): boolean {
  return character.length === 1 && '([`+-/<'.includes(character);
}
