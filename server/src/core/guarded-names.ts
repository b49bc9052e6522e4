import type { Project } from './project';

/**
 * Names that are never empty once the app has started, in the project's code (not its tests):
 * those a fail-fast check tests (`assert`, `if ...: raise`) and those an `if not NAME:` branch
 * fills. A check may live in another file than the read (`create_app` checking what config.py
 * read).
 */
export function guardedNames(project: Project): Set<string> {
  return project.memo(
    'guardedNames',
    () =>
      new Set(
        [...project.all()].flatMap((f) =>
          f.isTest ? [] : [...(f.python?.failFast ?? []), ...(f.python?.refilled ?? [])],
        ),
      ),
  );
}
