import path from 'node:path';
import ignore from 'ignore';
import { lintProject } from '../core/lint';
import { randomSecret } from '../core/fixes/random';
import type { Parsers } from '../core/parse/parsers';
import { Project } from '../core/project';
import { RULES } from '../core/rules/index';
import { resolveSettings, type EditorSettings, type LintSettings } from '../core/settings';
import type { Finding } from '../core/types';
import { loadProjectConfig, type LoadedConfig } from '../node/config';
import { loadProject, type SkippedFile } from '../node/load-project';
import { toFsPath } from '../node/paths';
import { DEFAULT_MAX_FILE_SIZE } from '../node/read';

export const DEFAULT_EDITOR_SETTINGS: EditorSettings = { enable: true, rules: {}, run: 'onType' };

/** One workspace folder: its project model, its config, its settings, its latest findings. */
export class Workspace {
  project: Project;
  config: LoadedConfig = { config: { ignore: [], exclude: [], severity: {} }, errors: [] };
  editor: EditorSettings = DEFAULT_EDITOR_SETTINGS;
  settings!: LintSettings;
  skipped: SkippedFile[] = [];
  findings = new Map<string, Finding[]>();
  /** A rescan waiting for a burst of configuration changes to end (see Session.scheduleReload). */
  pendingReload?: Promise<void>;
  /** Configuration problems already shown to the user; cleared once they are all fixed. */
  readonly warned = new Set<string>();

  constructor(
    /** Core path of the folder. */
    readonly root: string,
    private readonly parsers: Parsers,
    /** A folder opened for a single file outside any workspace folder: only that file is read. */
    readonly adHoc = false,
  ) {
    this.project = new Project(root, parsers);
    this.applySettings();
  }

  /** (Re)reads config and every file from disk. Open documents are re-applied by the caller. */
  async load(): Promise<void> {
    this.config = await loadProjectConfig(toFsPath(this.root), this.parsers.toml, this.editor.configuration);
    this.project.dispose();
    if (this.adHoc) {
      this.project = new Project(this.root, this.parsers);
      this.skipped = [];
    } else {
      const loaded = await loadProject(toFsPath(this.root), this.parsers, this.config, {
        respectIgnores: true,
        maxFileSize: DEFAULT_MAX_FILE_SIZE,
      });
      this.project = loaded.project;
      this.skipped = loaded.skipped;
    }
    this.applySettings();
  }

  /** Applies the folder's editor settings; true when they name another configuration file,
   * which takes a reload from disk. */
  setEditorSettings(editor: EditorSettings): boolean {
    const reload = editor.configuration !== this.editor.configuration;
    this.editor = editor;
    this.applySettings();
    return reload;
  }

  private applySettings(): void {
    this.settings = resolveSettings(RULES, this.config.config, this.editor);
    const current = new Set([...this.config.errors, ...this.settings.errors]);
    for (const w of [...this.warned]) if (!current.has(w)) this.warned.delete(w);
  }

  contains(corePath: string): boolean {
    return corePath.startsWith(this.root.endsWith('/') ? this.root : `${this.root}/`);
  }

  /** Whether the project config excludes the file (it is then never analysed). */
  isExcluded(corePath: string): boolean {
    return (
      this.config.config.exclude.length > 0 &&
      excludes(this.config.config.exclude, path.posix.relative(this.root, corePath))
    );
  }

  /** Lints the project; a failing rule is logged and the others still report. */
  lint(log: (message: string) => void): Map<string, Finding[]> {
    const onRuleError = (rule: { id: string }, e: unknown) =>
      log(`Rule ${rule.id} failed: ${(e as Error)?.stack ?? String(e)}`);
    this.findings = this.editor.enable
      ? lintProject(this.project, this.settings, randomSecret, onRuleError)
      : new Map();
    return this.findings;
  }

  dispose(): void {
    this.project.dispose();
  }
}

function excludes(patterns: readonly string[], relative: string): boolean {
  // Same semantics as the walker: gitignore-style globs relative to the root.
  return ignore()
    .add([...patterns])
    .ignores(relative);
}
