import type { SettingsField, SettingsReference, SettingValue, StarletteSession } from '../../facts/python-model';
import type { Project, ProjectFile } from '../../project';

/** Where a SessionMiddleware's key comes from: the call itself, or a settings field elsewhere. */
export interface SecretSource {
  file: ProjectFile;
  value: SettingValue;
  /** The pydantic-settings field (`Settings.SECRET_KEY`) the key is read from, if it is. */
  field?: { className: string; field: SettingsField };
  /** The module-level name the key is imported as, if it is (`from app.config import SECRET_KEY`). */
  constant?: string;
}

/**
 * The key of `session`, following `secret_key=settings.SECRET_KEY` into a pydantic-settings class
 * and `from app.config import SECRET_KEY` into the module that defines it.
 */
export function secretSource(project: Project, file: ProjectFile, session: StarletteSession): SecretSource | undefined {
  const reference = session.references.secret_key;
  const resolved = reference ? settingsField(project, file, reference) : undefined;
  if (resolved) return { file: resolved.file, value: resolved.field.value, field: resolved };
  const imported = session.imported.secret_key;
  const module = imported?.name ? project.findModule(imported.module) : undefined;
  const constant = imported?.name ? module?.python?.secretConstants[imported.name] : undefined;
  if (module && constant) return { file: module, value: constant, constant: imported?.name };
  const value = session.options.secret_key;
  return value ? { file, value } : undefined;
}

/**
 * A settings object's field: the object defined in `file` or imported into it (`from
 * app.core.config import settings`), then its class, defined beside the object or imported there.
 */
function settingsField(
  project: Project,
  file: ProjectFile,
  reference: SettingsReference,
): { file: ProjectFile; className: string; field: SettingsField } | undefined {
  const object = followImport(project, file, reference.object);
  const className = object?.file.python?.settingsObjects[object.name];
  if (!object || !className) return undefined;
  const cls = followImport(project, object.file, className);
  // A factory imported from the class's module (`settings = get_settings()`): what it returns there.
  const name = cls && (cls.file.python?.settingsObjects[`${cls.name}()`] ?? cls.name);
  const definition = cls?.file.python?.settingsClasses.find((c) => c.name === name);
  const field = definition?.fields[reference.attribute];
  return cls && name && field ? { file: cls.file, className: name, field } : undefined;
}

/**
 * The file that defines a name used in `file` and its name there: the file itself, or the
 * module it is imported from (`get_settings()` follows `get_settings`). One hop, as Python
 * projects write it.
 */
function followImport(
  project: Project,
  file: ProjectFile,
  written: string,
): { file: ProjectFile; name: string } | undefined {
  const called = written.endsWith('()');
  const bare = called ? written.slice(0, -2) : written;
  const binding = file.python?.imports[bare];
  if (!binding?.name) return { file, name: written };
  const target = project.findModule(binding.module);
  return target?.python ? { file: target, name: called ? `${binding.name}()` : binding.name } : undefined;
}
