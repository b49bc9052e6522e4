import type { ConfigKey, ConfigSite } from './facts/python-model';
import { DEVELOPMENT_SETTINGS_NAME, TEST_SETTINGS_NAME } from './facts/settings-names';
import { basename } from './paths';
import { deployOf, type Project, type ProjectFile } from './project';

/** What a settings module is for, from its name: `production.py`, `local.py`, `test.py`. */
export type SettingsRole = 'production' | 'development' | 'test';

/** A settings module Django runs (not only one others import), with the modules it reads. */
export interface SettingsRoot {
  file: ProjectFile;
  role: SettingsRole;
  /** This module, then each module it `import *`s, nearest first: the first site of a key wins. */
  chain: ProjectFile[];
}

/** Star imports are followed this deep (base -> common -> defaults is already unusual). */
const MAX_CHAIN = 8;

/**
 * The Django settings modules of a project: those `DJANGO_SETTINGS_MODULE` names (manage.py,
 * wsgi.py, asgi.py), those that define INSTALLED_APPS or ROOT_URLCONF, and those that
 * `import *` from one of them (`production.py` over `base.py`). A module others import is a
 * base; the others are what Django runs.
 */
export function djangoSettings(project: Project): SettingsRoot[] {
  return project.memo('djangoSettings', () => {
    const settings = new Set<ProjectFile>();
    /** Modules a DJANGO_SETTINGS_MODULE names: Django runs them even when others import them. */
    const named = new Set<ProjectFile>();
    for (const file of project.all()) {
      for (const name of [
        ...(deployOf(file)?.djangoSettingsModules ?? []),
        ...(file.python?.djangoSettingsModules ?? []),
      ]) {
        const module = project.findModule(name);
        if (module?.python) named.add(module);
      }
      const facts = file.python;
      if (!facts) continue;
      if (
        facts.sites.some((s) => s.owner.kind === 'module' && (s.key === 'INSTALLED_APPS' || s.key === 'ROOT_URLCONF'))
      )
        settings.add(file);
    }
    for (const file of named) settings.add(file);
    if (settings.size === 0) return [];
    // Modules that import everything from a settings module are settings too.
    for (let changed = true, rounds = 0; changed && rounds < MAX_CHAIN; rounds++) {
      changed = false;
      for (const file of project.all()) {
        if (settings.has(file) || !file.python) continue;
        if (
          file.python.starImports.some((m) => {
            const f = project.findModule(m);
            return f !== undefined && settings.has(f);
          })
        ) {
          settings.add(file);
          changed = true;
        }
      }
    }
    const imported = new Set<ProjectFile>();
    // A module that only test settings import is still run as it is (`test_settings.py` over `settings.py`).
    for (const file of settings) {
      if (roleOf(file, project) === 'test') continue;
      for (const m of file.python?.starImports ?? []) {
        const f = project.findModule(m);
        if (f) imported.add(f);
      }
    }
    return [...settings]
      .filter((file) => !imported.has(file) || named.has(file))
      .map((file) => ({ file, role: roleOf(file, project), chain: chainOf(project, file) }));
  });
}

function chainOf(project: Project, file: ProjectFile): ProjectFile[] {
  const chain: ProjectFile[] = [];
  const visit = (f: ProjectFile, depth: number) => {
    if (chain.includes(f) || depth > MAX_CHAIN) return;
    chain.push(f);
    // Later star imports override earlier ones: they are read first.
    for (const m of [...(f.python?.starImports ?? [])].reverse()) {
      const next = project.findModule(m);
      if (next?.python) visit(next, depth + 1);
    }
  };
  visit(file, 0);
  return chain;
}

function roleOf(file: ProjectFile, project: Project): SettingsRole {
  const name = basename(file.path).replace(/\.py$/, '').toLowerCase();
  if (file.isTest || TEST_SETTINGS_NAME.test(name)) return 'test';
  if (DEVELOPMENT_SETTINGS_NAME.test(name) || /\/(local|dev|development)\//.test(project.relative(file.path)))
    return 'development';
  return 'production';
}

/** The site that sets `key` for a settings root: its own, else the nearest star-imported one. */
export function effectiveSetting(
  root: SettingsRoot,
  key: ConfigKey,
): { file: ProjectFile; site: ConfigSite } | undefined {
  for (const file of root.chain) {
    const sites = (file.python?.sites ?? []).filter((s) => s.owner.kind === 'module' && s.key === key);
    // The last assignment in a module is the one Django reads.
    if (sites.length > 0) return { file, site: sites[sites.length - 1] };
  }
  return undefined;
}

/** Whether a file is any Django settings module (a root or a base it imports). */
export function isDjangoSettings(project: Project, file: ProjectFile): boolean {
  return djangoSettings(project).some((r) => r.chain.includes(file));
}
