/** The package version, replaced at bundle time; `dev` when running compiled sources. */
declare const SESSIONLINT_VERSION: string | undefined;
export const VERSION: string = typeof SESSIONLINT_VERSION === 'string' ? SESSIONLINT_VERSION : 'dev';
