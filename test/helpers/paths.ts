import path from 'node:path';

/** The repository root, from out/test/helpers/ (compiled) . */
export const REPO = path.resolve(__dirname, '..', '..', '..');
export const FIXTURES = path.join(REPO, 'test', 'fixtures');
export const DIST = path.join(REPO, 'dist');
export const EXAMPLES = path.join(REPO, 'examples');
