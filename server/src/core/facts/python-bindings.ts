import type { PyNode } from '../parse/tree-sitter';

/** A binding's value not yet made a node: its type, and how to find it in the live tree. */
export interface LazyValue {
  type: string;
  resolve(): PyNode | null | undefined;
}

/**
 * The names bound in one scope. A settings module of thousands of `NAME = value` lines binds
 * thousands of names that nothing reads; their values stay lazy until a lookup asks for one.
 */
export class Bindings {
  private readonly values = new Map<string, PyNode | LazyValue>();
  /** Names ever bound to a call, the only bindings read without a name (see calls()). */
  private readonly callNames = new Set<string>();

  /** The last assignment wins; names keep the order of their first. */
  set(name: string, value: PyNode | LazyValue): void {
    this.values.set(name, value);
    if (value.type === 'call') this.callNames.add(name);
  }

  get(name: string): PyNode | undefined {
    const value = this.values.get(name);
    if (!value || !isLazy(value)) return value;
    const node = value.resolve() ?? undefined;
    if (node) this.values.set(name, node);
    else this.values.delete(name);
    return node;
  }

  /** The bindings whose value is a call (`settings = Settings()`, `env = environ.Env()`). */
  *calls(): IterableIterator<[string, PyNode]> {
    for (const name of [...this.callNames]) {
      if (this.values.get(name)?.type !== 'call') continue;
      const node = this.get(name);
      if (node) yield [name, node];
    }
  }
}

function isLazy(value: PyNode | LazyValue): value is LazyValue {
  return 'resolve' in value;
}
