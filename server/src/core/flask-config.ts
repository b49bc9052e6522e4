import type { AppCreation, ConfigRef, ConfigSite, SessionUse, SettingValue } from './facts/python-model';
import { isDjangoSettings } from './django';
import { basename, dirname, joinPath } from './paths';
import type { Project, ProjectFile } from './project';

/** Which deployment a piece of configuration is for, judged by names as real projects write them. */
export type ConfigEnv = 'production' | 'development' | 'test';

/** A secret assignment with the configurations that actually reach it. */
export interface ReachedSite {
  file: ProjectFile;
  site: ConfigSite;
  envs: Set<ConfigEnv>;
  /** Loaded config classes that reach it, for messages (`ProductionConfig`). */
  via: string[];
}

/** What the project does with Flask session secrets, across all its files. */
export interface FlaskConfig {
  /** Sites that some non-test configuration reaches. */
  sites: ReachedSite[];
  /** A key is configured on some path (or a loader we cannot see into might configure one). */
  keyConfigured: boolean;
  /** Files that load configuration the project does not contain (`from_pyfile("config.py")` of an instance folder, `from_envvar`). */
  unseenLoads: Set<ProjectFile>;
  apps: { file: ProjectFile; app: AppCreation }[];
  sessionUses: { file: ProjectFile; use: SessionUse }[];
  /** Where the project already reads the key from the environment, production first. */
  envReads: { path: string; variable: string }[];
  /** `*SECRET_KEY` names declared in dotenv files (`.env`, `.env.example`). */
  declaredEnvNames: string[];
}

type Target = { kind: 'class'; file: ProjectFile; name: string } | { kind: 'module'; file: ProjectFile };

/** `UnitTestConfig` -> unit, test, config; `settings_dev.py` -> settings, dev, py. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Which deployment a config class or module is for, by the words of its name (not `LatestConfig`). */
export function classEnv(name: string): ConfigEnv {
  const w = words(name);
  if (w.some((x) => x === 'test' || x === 'tests' || x === 'testing')) return 'test';
  if (w.some((x) => x === 'dev' || x === 'development' || x === 'local' || x === 'debug')) return 'development';
  return 'production';
}

function fileEnv(file: ProjectFile): ConfigEnv {
  if (file.isTest) return 'test';
  return classEnv(basename(file.path)) === 'development' ? 'development' : 'production';
}

export function flaskConfig(project: Project): FlaskConfig {
  return project.memo('flask-config', () => new Analysis(project).run());
}

class Analysis {
  private readonly reach = new Map<ConfigSite, { envs: Set<ConfigEnv>; via: Set<string> }>();
  private unresolvedLoad = false;
  private readonly unseenLoads = new Set<ProjectFile>();

  constructor(private readonly project: Project) {}

  run(): FlaskConfig {
    const python = [...this.project.all()].filter((f) => f.python);
    for (const file of python) {
      for (const load of file.python?.loads ?? []) this.load(file, load.refs);
    }
    for (const file of python) {
      for (const site of file.python?.sites ?? []) {
        if (site.owner.kind === 'app') this.mark(site, site.devBranch && !file.isTest ? 'development' : fileEnv(file));
      }
    }
    if (this.unresolvedLoad) this.assumeConfigFilesLoaded(python);
    const sites: ReachedSite[] = [];
    for (const file of [...python, ...[...this.project.all()].filter((f) => f.dataSettings)]) {
      for (const site of sitesOf(file)) {
        const r = this.reach.get(site);
        if (!r || file.isTest) continue;
        r.envs.delete('test');
        if (r.envs.size > 0) sites.push({ file, site, envs: r.envs, via: [...r.via] });
      }
    }
    const nonTest = python.filter((f) => !f.isTest);
    return {
      sites,
      keyConfigured:
        this.unresolvedLoad ||
        sites.some((s) => s.site.key === 'SECRET_KEY' && configuresKey(s.site)) ||
        this.prefixedEnv(nonTest),
      unseenLoads: this.unseenLoads,
      apps: nonTest.flatMap((file) => (file.python?.apps ?? []).map((app) => ({ file, app }))),
      sessionUses: nonTest.flatMap((file) => (file.python?.sessionUses ?? []).map((use) => ({ file, use }))),
      envReads: this.envReads(sites),
      declaredEnvNames: this.declaredEnvNames(),
    };
  }

  private prefixedEnv(files: ProjectFile[]): boolean {
    return files.some((f) => f.python?.loads.some((l) => l.refs.some((r) => r.kind === 'prefixed-env')));
  }

  private load(file: ProjectFile, refs: ConfigRef[]): void {
    const targets: Target[] = [];
    for (const ref of refs) {
      if (ref.kind === 'prefixed-env') return;
      if (ref.kind === 'unknown') continue;
      if (ref.kind === 'self') targets.push({ kind: 'module', file });
      else if (ref.kind === 'name') targets.push(...this.resolveName(file, ref.name, 0));
      else if (ref.kind === 'dotted') targets.push(...this.resolveDotted(file, ref.path, 0));
      else if (ref.kind === 'file') {
        const name = basename(ref.file);
        for (const f of this.project.all())
          if ((f.python || f.dataSettings) && basename(f.path) === name && withinReach(file, f))
            targets.push({ kind: 'module', file: f });
      }
    }
    // A module beside the loader that sets nothing a rule reads (OAuth client ids): seen, and empty.
    const inert = refs.some(
      (r) => r.kind === 'dotted' && modulePaths(file, r.path.split('.')).some((p) => this.project.holdsNothing(p)),
    );
    if (targets.length === 0 && inert) return;
    if (targets.length === 0) {
      // from_envvar, from_file, a computed name: the key may come from anywhere we cannot see.
      this.unresolvedLoad = true;
      this.unseenLoads.add(file);
      return;
    }
    const loaderIsTest = file.isTest;
    for (const target of targets) {
      if (target.kind === 'module') {
        for (const site of sitesOf(target.file))
          if (site.owner.kind === 'module') this.mark(site, loaderIsTest ? 'test' : fileEnv(target.file));
      } else {
        this.loadClass(target, loaderIsTest || target.file.isTest ? 'test' : classEnv(target.name));
      }
    }
  }

  /** Marks the sites a loaded class takes through its bases, nearest definition first. */
  private loadClass(leaf: Target & { kind: 'class' }, env: ConfigEnv): void {
    const seenKeys = new Set<string>();
    for (const cls of this.mro(leaf, new Set())) {
      const defined = new Set<string>();
      for (const site of cls.file.python?.sites ?? []) {
        if (site.owner.kind !== 'class' || site.owner.className !== cls.name || seenKeys.has(site.key)) continue;
        this.mark(site, env, leaf.name);
        defined.add(site.key);
      }
      for (const key of defined) seenKeys.add(key);
    }
  }

  private mro(cls: Target & { kind: 'class' }, seen: Set<string>): (Target & { kind: 'class' })[] {
    const key = `${cls.file.path}#${cls.name}`;
    if (seen.has(key)) return [];
    seen.add(key);
    const def = cls.file.python?.classes.find((c) => c.name === cls.name);
    const result = [cls];
    for (const base of def?.bases ?? []) {
      for (const t of this.resolveDotted(cls.file, base, 0)) if (t.kind === 'class') result.push(...this.mro(t, seen));
    }
    return result;
  }

  private resolveName(file: ProjectFile, name: string, depth: number): Target[] {
    const facts = file.python;
    if (!facts || depth > 6) return [];
    if (facts.classes.some((c) => c.name === name)) return [{ kind: 'class', file, name }];
    const dict = facts.dicts[name];
    if (dict) return dict.flatMap((value) => this.resolveDotted(file, value, depth + 1));
    const binding = facts.imports[name];
    if (!binding) return [];
    if (binding.name) {
      const module = this.project.findModule(binding.module);
      const inModule = module ? this.resolveName(module, binding.name, depth + 1) : [];
      if (inModule.length > 0) return inModule;
      const submodule = this.project.findModule(`${binding.module}.${binding.name}`);
      return submodule ? [{ kind: 'module', file: submodule }] : [];
    }
    const module = this.project.findModule(binding.module);
    return module ? [{ kind: 'module', file: module }] : [];
  }

  private resolveDotted(file: ProjectFile, path: string, depth: number): Target[] {
    const parts = path.split('.');
    if (parts.length === 1) {
      const local = this.resolveName(file, path, depth);
      if (local.length > 0) return local;
      // `from_object("config")` imports a module: the loader's own folder is first on sys.path.
      const module = this.besideLoader(file, parts) ?? this.project.findModule(path);
      return module ? [{ kind: 'module', file: module }] : [];
    }
    // `config.ProductionConfig` through a local name, then the path as an absolute module.
    const head = this.resolveName(file, parts[0], depth + 1);
    if (head.length === 1 && head[0].kind === 'module') {
      const rest = this.resolveDotted(head[0].file, parts.slice(1).join('.'), depth + 1);
      if (rest.length > 0) return rest;
    }
    const module = this.besideLoader(file, parts) ?? this.project.findModule(path);
    if (module) return [{ kind: 'module', file: module }];
    const parent = this.project.findModule(parts.slice(0, -1).join('.'));
    return parent ? this.resolveName(parent, parts[parts.length - 1], depth + 1) : [];
  }

  /**
   * The module a dotted path names from the loader's folder (`config.py`, `config/__init__.py`):
   * in a repository of several apps, each one's own `config.py` rather than the first found.
   */
  private besideLoader(file: ProjectFile, parts: string[]): ProjectFile | undefined {
    return modulePaths(file, parts)
      .map((p) => this.project.get(p))
      .find((f) => f?.python);
  }

  /**
   * With a loader we cannot resolve, config classes and config modules count as loaded; a
   * Django settings module in the same repository is Django's, not a Flask configuration.
   */
  private assumeConfigFilesLoaded(python: ProjectFile[]): void {
    for (const file of python) {
      const configish = /config|settings/i.test(basename(file.path)) && !isDjangoSettings(this.project, file);
      for (const site of file.python?.sites ?? []) {
        if (site.owner.kind === 'class')
          this.mark(site, file.isTest ? 'test' : classEnv(site.owner.className), site.owner.className);
        else if (site.owner.kind === 'module' && configish) this.mark(site, fileEnv(file));
      }
    }
  }

  private mark(site: ConfigSite, env: ConfigEnv, via?: string): void {
    let r = this.reach.get(site);
    if (!r) {
      r = { envs: new Set(), via: new Set() };
      this.reach.set(site, r);
    }
    r.envs.add(env);
    if (via && env !== 'test') r.via.add(via);
  }

  private envReads(sites: ReachedSite[]): { path: string; variable: string }[] {
    const ordered = [...sites].sort((a, b) => Number(b.envs.has('production')) - Number(a.envs.has('production')));
    return ordered.flatMap(({ file, site }) =>
      site.value.kind === 'env' && site.key === 'SECRET_KEY'
        ? [{ path: file.path, variable: site.value.variable }]
        : [],
    );
  }

  private declaredEnvNames(): string[] {
    const names = new Set<string>();
    for (const file of this.project.all())
      for (const e of file.dotenv?.entries ?? []) if (/SECRET_KEY$/.test(e.name)) names.add(e.name);
    return [...names];
  }
}

/**
 * The variable a fix in `path` should read: one the same file already reads for the key, else
 * one read in the same folder (the same app's config), else one declared in a dotenv file,
 * else `configured`. Another app's variable (an admin app's key) is never borrowed.
 */
export function keyVariableFor(secrets: FlaskConfig, path: string, configured: string): string {
  const sameFile = secrets.envReads.find((r) => r.path === path);
  if (sameFile) return sameFile.variable;
  const appFiles = [...new Set(secrets.apps.map((a) => a.file.path))].sort();
  if (appFiles.length <= 1) {
    const sameFolder = secrets.envReads.find((r) => dirname(r.path) === dirname(path));
    return sameFolder?.variable ?? secrets.declaredEnvNames[0] ?? configured;
  }
  // Several apps: each keeps its own key. Names other files read belong to their apps; the
  // first app file in path order gets the configured name, any other file one of its own.
  const taken = new Set(secrets.envReads.filter((r) => r.path !== path).map((r) => r.variable));
  const stem = basename(path)
    .replace(/\.py$/, '')
    .replace(/^__init__$/, basename(dirname(path)))
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_');
  let name = path === appFiles[0] || !appFiles.includes(path) ? configured : `${stem}_${configured}`;
  for (let n = 2; taken.has(name); n++) name = `${stem}_${configured}${n === 2 ? '' : `_${n}`}`;
  return name;
}

/** The settings a file holds: a Python module's sites, or a TOML/JSON config's keys. */
export function sitesOf(file: ProjectFile): ConfigSite[] {
  return file.python?.sites ?? file.dataSettings ?? [];
}

/** Whether a site really sets a key (not None, not an empty string). */
export function configuresKey(site: ConfigSite): boolean {
  const v = site.value;
  return !(v.kind === 'none' || (v.kind === 'literal' && v.empty));
}

/** Lower the severity when no production configuration reaches the site. */
export function developmentOnly(r: ReachedSite): boolean {
  return !r.envs.has('production');
}

/** The non-empty string literals a setting holds (itself, or the entries of a list). */
export function literalsOf(value: SettingValue): Extract<SettingValue, { kind: 'literal' }>[] {
  if (value.kind === 'literal') return value.empty ? [] : [value];
  if (value.kind === 'list') return value.items.flatMap(literalsOf);
  return [];
}

/** Where a dotted module path leads from the loader's folder: a module file or a package. */
function modulePaths(loader: ProjectFile, parts: string[]): string[] {
  const base = joinPath(dirname(loader.path), parts.join('/'));
  return [`${base}.py`, `${base}/__init__.py`];
}

/**
 * Whether `from_pyfile`/`from_file` in `loader` can name `file`: Flask reads a relative name from
 * the app's root path or its instance folder, so the file lies in the loader's folder or one
 * above it, or in an `instance` folder there; not in another app of the same repository (nor
 * Flask's own `src/flask/config.py`).
 */
function withinReach(loader: ProjectFile, file: ProjectFile): boolean {
  const folder = dirname(file.path);
  const home = folder.endsWith('/instance') ? dirname(folder) : folder;
  const from = dirname(loader.path);
  return from === home || from.startsWith(`${home}/`);
}
