import { Project } from '../core/project';
import type { PythonParser } from '../core/parse/python';
import type { LoadedConfig } from './config';
import { toCorePath, toFsPath } from './paths';
import { readSourceFile } from './read';
import { walk, type ReadDir } from './walk';

/** A file left out of the analysis, and why; reported once. */
export interface SkippedFile {
  path: string;
  reason: string;
}

export interface LoadOptions {
  respectIgnores: boolean;
  maxFileSize: number;
  readDir?: ReadDir;
}

export interface LoadedProject {
  project: Project;
  skipped: SkippedFile[];
  /** How each file was decoded, so fixes write it back unchanged. */
  encodings: Map<string, 'utf8' | 'latin1'>;
}

const READ_CONCURRENCY = 32;

/** Walks a folder and reads every file the model needs into a new project. */
export async function loadProject(root: string, parser: PythonParser, config: LoadedConfig, options: LoadOptions): Promise<LoadedProject> {
  const project = new Project(toCorePath(root), parser);
  const walked = await walk(root, { respectIgnores: options.respectIgnores, exclude: config.config.exclude }, options.readDir);
  const skipped: SkippedFile[] = walked.unreadable.map((u) => ({ path: u.path, reason: `folder cannot be read (${u.reason})` }));
  const encodings = new Map<string, 'utf8' | 'latin1'>();
  const reads = new Array<Awaited<ReturnType<typeof readSourceFile>>>(walked.files.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < walked.files.length; i = next++) reads[i] = await readSourceFile(toFsPath(walked.files[i]), options.maxFileSize);
  };
  await Promise.all(Array.from({ length: READ_CONCURRENCY }, worker));
  // Files enter the model in path order, so every run sees the same project.
  walked.files.forEach((path, i) => {
    const read = reads[i];
    if ('skipped' in read) {
      skipped.push({ path, reason: read.skipped });
      return;
    }
    encodings.set(path, read.encoding);
    try {
      project.setFile(path, read.text);
    } catch (e) {
      skipped.push({ path, reason: `could not be analysed (${(e as Error).message})` });
    }
  });
  skipped.sort((a, b) => a.path.localeCompare(b.path));
  return { project, skipped, encodings };
}
