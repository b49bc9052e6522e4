import { effectiveKind, fileKindOf, isServerScriptPath, mightMatter } from '../core/files';
import { isNodeScript, Project } from '../core/project';
import { ensureNodeParsers } from './parser';
import type { Parsers } from '../core/parse/parsers';
import type { LoadedConfig } from './config';
import { toCorePath, toFsPath } from './paths';
import { readGitContext } from './git';
import { readSourceFile, type Encoding } from './read';
import { walk, type ReadDir } from './walk';

/** A file left out of the analysis, and why; reported once. */
export interface SkippedFile {
  path: string;
  reason: string;
}

export interface LoadOptions {
  respectIgnores: boolean;
  /** Paths given explicitly: read even where ignore files would leave them out. */
  force?: readonly string[];
  maxFileSize: number;
  readDir?: ReadDir;
}

export interface LoadedProject {
  project: Project;
  skipped: SkippedFile[];
  /** How each file was decoded, so fixes write it back unchanged. */
  encodings: Map<string, Encoding>;
  /** Files read, including those the model then leaves out as irrelevant. */
  read: number;
  /** What left files out of the walk, with counts. */
  hidden: Map<string, number>;
}

/** Files read between two yields to the event loop, so a server keeps answering. */
const FILES_PER_TURN = 128;

/** Walks a folder and reads every file the model needs into a new project. */
export async function loadProject(
  root: string,
  parsers: Parsers,
  config: LoadedConfig,
  options: LoadOptions,
): Promise<LoadedProject> {
  const project = new Project(toCorePath(root), parsers);
  project.git = readGitContext(root);
  const walked = await walk(
    root,
    { respectIgnores: options.respectIgnores, exclude: config.config.exclude, force: options.force },
    options.readDir,
  );
  const skipped: SkippedFile[] = walked.unreadable.map((u) => ({
    path: u.path,
    reason: `folder cannot be read (${u.reason})`,
  }));
  const encodings = new Map<string, Encoding>();
  let readCount = 0;
  // Files enter the model in path order, so every run sees the same project.
  for (let i = 0; i < walked.files.length; i++) {
    if (i > 0 && i % FILES_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
    const path = walked.files[i];
    const kind = fileKindOf(path);
    // The walk keeps only files with a kind; this narrows the type.
    if (!kind) continue;
    // Browser scripts and build output (`static/`, `dist/`) are never read: nor do they load
    // the JavaScript grammars into a Python project that merely ships some.
    if (isNodeScript(kind) && !isServerScriptPath(project.relative(path))) continue;
    const read = readSourceFile(toFsPath(path), options.maxFileSize, (bytes) => mightMatter(kind, bytes, path));
    if ('unwanted' in read) {
      readCount++;
      if (kind === 'python') project.markInert(path);
      continue;
    }
    if ('skipped' in read) {
      skipped.push({ path, reason: read.skipped });
      continue;
    }
    encodings.set(path, read.encoding);
    // .gitignore files are read for what they ignore; alone they are nothing linted.
    if (kind !== 'gitignore') readCount++;
    try {
      if (isNodeScript(effectiveKind(path, read.text))) await ensureNodeParsers(parsers);
      project.setFile(path, read.text);
      const problem = project.get(path)?.problem;
      if (problem) skipped.push({ path, reason: `not analysed: ${problem}` });
    } catch (e) {
      skipped.push({ path, reason: `could not be analysed (${(e as Error).message})` });
    }
  }
  skipped.sort((a, b) => a.path.localeCompare(b.path));
  return { project, skipped, encodings, read: readCount, hidden: walked.hidden };
}
