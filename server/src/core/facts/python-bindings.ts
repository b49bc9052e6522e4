import type { PyNode } from '../parse/tree-sitter';

/** A binding's value not yet made a node: its type, and how to find it in the live tree. */
export interface LazyValue {
  type: string;
  resolve(): PyNode | null | undefined;
}

/**
 * The module-level `NAME = value` bindings of one part of a module (an open document's chunk),
 * found once when the part is parsed. `at` is the value's offset from the part's start: parts
 * after an edit shift, their layers stay.
 */
export interface BindingLayer {
  /** Each name's values in the part, in source order (a lookup mid-part takes the last above it). */
  values: Map<string, { value: LazyValue; at: number }[]>;
  /** Names bound to a call, in the order of their first such binding. */
  calls: string[];
}

/** Builds a layer from a part's bindings in source order. */
export function bindingLayer(bindings: readonly { name: string; value: LazyValue; at: number }[]): BindingLayer {
  const layer: BindingLayer = { values: new Map(), calls: [] };
  for (const { name, value, at } of bindings) {
    const values = layer.values.get(name);
    if (values) values.push({ value, at });
    else layer.values.set(name, [{ value, at }]);
    if (value.type === 'call' && !layer.calls.includes(name)) layer.calls.push(name);
  }
  return layer;
}

/**
 * The names bound in one scope; the last assignment in source order wins. A settings module of
 * thousands of `NAME = value` lines binds thousands of names that nothing reads: at module
 * level they come in layers, one per part, found once and looked through only when a name is
 * asked for, and their values stay lazy until then. Values met while walking are set directly.
 */
export class Bindings {
  private readonly values = new Map<string, PyNode>();
  private readonly layers: { layer: BindingLayer; start: number }[] = [];
  /** Lazy values resolved (or found gone) in this extraction: the nodes are this run's. */
  private readonly resolved = new Map<LazyValue, PyNode | undefined>();
  /** Names ever bound to a call, the only bindings read without a name (see calls()). */
  private readonly callNames = new Set<string>();
  /**
   * While a statement is walked, the offset it starts at: a lookup then sees the bindings above
   * it, not those of the same part further down (added with the part's layer before its walk).
   */
  until = Number.POSITIVE_INFINITY;

  set(name: string, value: PyNode): void {
    this.values.set(name, value);
    if (value.type === 'call') this.callNames.add(name);
  }

  /** Adds a part's layer; `start` is the part's offset in the text. Parts come in order. */
  addLayer(layer: BindingLayer, start: number): void {
    this.layers.push({ layer, start });
  }

  get(name: string): PyNode | undefined {
    const direct = this.values.get(name);
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const { layer, start } = this.layers[i];
      const entry = lastAbove(layer.values.get(name), start, this.until);
      if (!entry) continue;
      // Values set directly are met in source order too: the later of the two wins.
      if (direct && direct.startIndex > start + entry.at) return direct;
      return this.resolve(entry.value);
    }
    return direct;
  }

  /** The bindings whose value is a call (`settings = Settings()`, `env = environ.Env()`). */
  *calls(): IterableIterator<[string, PyNode]> {
    const names = new Set<string>();
    for (const { layer } of this.layers) for (const name of layer.calls) names.add(name);
    for (const name of this.callNames) names.add(name);
    for (const name of names) {
      const node = this.get(name);
      if (node?.type === 'call') yield [name, node];
    }
  }

  private resolve(value: LazyValue): PyNode | undefined {
    if (!this.resolved.has(value)) this.resolved.set(value, value.resolve() ?? undefined);
    return this.resolved.get(value);
  }
}

/** The last of a name's values in a layer (starting at `start`) that comes before `until`. */
function lastAbove(
  values: readonly { value: LazyValue; at: number }[] | undefined,
  start: number,
  until: number,
): { value: LazyValue; at: number } | undefined {
  if (!values) return undefined;
  for (let i = values.length - 1; i >= 0; i--) if (start + values[i].at <= until) return values[i];
  return undefined;
}
