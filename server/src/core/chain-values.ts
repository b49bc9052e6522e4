import type { JsValue } from './facts/js/model';
import type { SettingValue } from './facts/python-model';
import type { Project, ProjectFile } from './project';

/** Values longer than this are cut in the chain: it is a picture, not a listing. */
const MAX_SHOWN = 60;

/**
 * Where a session key comes from, never what it is: `from the environment (SECRET_KEY)`,
 * `hardcoded in shop/config.py`, `generated at start-up (os.urandom())`.
 */
export function describeSecret(project: Project, file: ProjectFile, value: SettingValue): string {
  switch (value.kind) {
    case 'literal':
      return value.empty ? 'an empty string' : `hardcoded in ${project.relative(file.path)}`;
    case 'env': {
      const fallback = value.fallback ? `, else ${describeSecret(project, file, value.fallback)}` : '';
      return `from the environment (${value.variable})${value.required ? ', required' : fallback}`;
    }
    case 'generated':
      return `generated at start-up (${value.generator}): one key per process`;
    case 'none':
      return 'None';
    case 'list':
      return value.items.map((v) => describeSecret(project, file, v)).join(' or ');
    default:
      return 'computed in code';
  }
}

/** A non-secret setting as written (`True`, `"Lax"`, `$SESSION_DOMAIN`). */
export function describeSetting(value: SettingValue): string {
  switch (value.kind) {
    case 'boolean':
      return value.value ? 'True' : 'False';
    case 'literal':
      return value.value === undefined ? 'a string' : shown(JSON.stringify(value.value));
    case 'env':
      return `from the environment (${value.variable})`;
    case 'none':
      return 'None';
    case 'list':
      return shown(`(${value.items.map(describeSetting).join(', ')})`);
    default:
      return 'computed in code';
  }
}

/** A JavaScript option's value; with `secret`, a string is only said to be hardcoded. */
export function jsDescribe(value: JsValue, secret = false): string {
  switch (value.kind) {
    case 'string':
      return secret ? 'hardcoded' : shown(JSON.stringify(value.value));
    case 'number':
    case 'boolean':
      return String(value.value);
    case 'undefined':
      return 'undefined';
    case 'env': {
      const fallback = value.fallback ? `, else ${jsDescribe(value.fallback, secret)}` : '';
      return `from the environment (${value.variable})${fallback}`;
    }
    case 'generated':
      return `generated at start-up (${value.generator}): one key per process`;
    case 'production':
      return value.negated ? 'false in production' : 'true in production only';
    case 'array':
      return shown(`[${value.items.map((v) => jsDescribe(v, secret)).join(', ')}]`);
    case 'either':
      return value.options.map((v) => jsDescribe(v, secret)).join(' or ');
    default:
      return 'computed in code';
  }
}

function shown(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}
