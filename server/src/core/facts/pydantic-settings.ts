import type { PyNode } from '../parse/tree-sitter';
import type { TextEdit } from '../types';
import type { SettingsClass, SettingsField, SettingValue } from './python-model';
import { callArguments, dotted, isGeneratorName, spanOf, stringConstant } from './python-values';

// pydantic-settings (and pydantic 1's BaseSettings): every field of a `BaseSettings` class is
// read from the environment variable of its name, case-insensitively unless `case_sensitive`,
// after an `env_prefix`; its default is used only when the variable is unset. So
// `SECRET_KEY: str = secrets.token_urlsafe(32)` is `os.environ.get("SECRET_KEY", token_urlsafe())`
// and a field without a default is a required read that fails at start-up.

/** `class Settings(BaseSettings)`, `pydantic_settings.BaseSettings`. */
export function isSettingsClass(bases: readonly string[]): boolean {
  return bases.some((b) => /(^|\.)BaseSettings$/.test(b));
}

/** The fields of a settings class body, each as an environment read. */
export function settingsClass(name: string, body: PyNode, classify: (node: PyNode) => SettingValue): SettingsClass {
  const { prefix, caseSensitive } = settingsConfig(body);
  const fields: Record<string, SettingsField> = {};
  for (const statement of body.namedChildren) {
    const assignment = statement?.type === 'expression_statement' ? statement.firstNamedChild : undefined;
    const left = assignment?.childForFieldName('left');
    const type = assignment?.childForFieldName('type');
    // Only annotated names are fields; `ClassVar`s and private names are not read.
    if (!assignment || left?.type !== 'identifier' || !type || /ClassVar/.test(type.text) || left.text.startsWith('_'))
      continue;
    if (left.text === 'model_config') continue;
    const right = assignment.childForFieldName('right');
    const { defaultNode, factory, alias, inField, required } = right
      ? fieldDefault(right, classify)
      : { defaultNode: undefined, required: true };
    const written = alias ?? prefix + left.text;
    const variable = caseSensitive ? written : written.toUpperCase();
    const fallback = factory ?? (defaultNode ? classify(defaultNode) : undefined);
    const value: SettingValue = {
      kind: 'env',
      span: spanOf(left),
      variable,
      required: !!required,
      fallback: fallback?.kind === 'none' ? undefined : fallback,
    };
    fields[left.text] = {
      name: left.text,
      value,
      requireEdit: requireEdit(type, right, inField ? defaultNode : undefined),
    };
  }
  return { name, fields };
}

/**
 * The edit that makes a field required: ` = default` removed, or inside `Field(...)` (whose
 * other arguments, an alias, must stay) the default replaced by `...`. None for an optional
 * type, which keeps None as its default in pydantic 1 even without `= None`.
 */
function requireEdit(type: PyNode, right: PyNode | null, inField: PyNode | undefined): TextEdit | undefined {
  if (!right || /Optional|\bNone\b/.test(type.text)) return undefined;
  if (inField) return { ...spanOf(inField), newText: '...' };
  if (isFieldCall(right)) return undefined;
  return { start: type.endIndex, end: right.endIndex, newText: '' };
}

/** `Field(...)`, `pydantic.Field(...)`: a default written with its options. */
function isFieldCall(node: PyNode): boolean {
  return node.type === 'call' && /(^|\.)Field$/.test(dotted(node.childForFieldName('function')) ?? '');
}

/** `model_config = SettingsConfigDict(env_prefix=...)`, or pydantic 1's inner `class Config`. */
function settingsConfig(body: PyNode): { prefix: string; caseSensitive: boolean } {
  let prefix = '';
  let caseSensitive = false;
  const read = (name: string, value: PyNode | null | undefined) => {
    if (name === 'env_prefix') prefix = stringConstant(value) ?? prefix;
    if (name === 'case_sensitive') caseSensitive = value?.type === 'true';
  };
  for (const statement of body.namedChildren) {
    if (statement?.type === 'class_definition' && statement.childForFieldName('name')?.text === 'Config') {
      for (const inner of statement.childForFieldName('body')?.namedChildren ?? []) {
        const assignment = inner?.firstNamedChild;
        const left = assignment?.childForFieldName('left');
        if (assignment?.type === 'assignment' && left) read(left.text, assignment.childForFieldName('right'));
      }
    }
    const assignment = statement?.type === 'expression_statement' ? statement.firstNamedChild : undefined;
    if (assignment?.childForFieldName('left')?.text !== 'model_config') continue;
    const call = assignment.childForFieldName('right');
    if (call?.type !== 'call') continue;
    for (const [name, value] of callArguments(call).keywords) read(name, value);
  }
  return { prefix, caseSensitive };
}

/**
 * A field's default as written: `= value`, `= Field(value)`, `= Field(default=...)`, or a
 * `default_factory` (a lambda's body, or a random generator named bare). `alias`,
 * `validation_alias` and pydantic 1's `env` name the variable instead of the field.
 */
function fieldDefault(
  right: PyNode,
  classify: (node: PyNode) => SettingValue,
): { defaultNode?: PyNode; factory?: SettingValue; alias?: string; inField?: true; required?: boolean } {
  if (!isFieldCall(right)) return { defaultNode: right };
  return { ...fieldCall(right, classify), inField: true };
}

function fieldCall(
  right: PyNode,
  classify: (node: PyNode) => SettingValue,
): { defaultNode?: PyNode; factory?: SettingValue; alias?: string; required?: boolean } {
  const { positional, keywords } = callArguments(right);
  const alias = ['validation_alias', 'alias', 'env']
    .map((k) => stringConstant(keywords.get(k)))
    .find((a) => a !== undefined);
  const explicit = keywords.get('default') ?? positional[0];
  if (explicit && explicit.type !== 'ellipsis') return { defaultNode: explicit, alias };
  const factoryNode = keywords.get('default_factory');
  const body = factoryNode?.type === 'lambda' ? factoryNode.childForFieldName('body') : undefined;
  if (body) return { factory: classify(body), alias };
  const named = dotted(factoryNode);
  if (factoryNode && named && isGeneratorName(named))
    return {
      factory: { kind: 'generated', span: spanOf(factoryNode), call: spanOf(factoryNode), generator: named },
      alias,
    };
  // `Field(...)`, `Field(default=...)`, `Field(alias=...)`: no default, so the variable is required.
  return { alias, required: !factoryNode };
}

/**
 * `settings = Settings()` at module level, or `def get_settings(): return Settings()`: the
 * object as code writes it (`settings`, `get_settings()`), to the class it is an instance of.
 */
export function settingsInstance(right: PyNode | null | undefined): string | undefined {
  if (right?.type !== 'call') return undefined;
  const fn = right.childForFieldName('function');
  const args = right.childForFieldName('arguments');
  const hasArguments = (args?.namedChildren ?? []).some((a) => a && a.type !== 'comment');
  return fn?.type === 'identifier' && !hasArguments ? fn.text : undefined;
}

/** The class a factory function returns an instance of: `return Settings()`. */
export function factoryClass(fn: PyNode): string | undefined {
  for (const ret of fn.descendantsOfType('return_statement')) {
    const value = ret?.firstNamedChild;
    const cls = settingsInstance(value);
    if (cls) return cls;
  }
  return undefined;
}
