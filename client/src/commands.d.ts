import type { ClientHolder } from './extension';
/** "Session Lint: Scan workspace": re-read every file from disk and re-lint. */
export declare function scanWorkspace(holder: ClientHolder): Promise<void>;
/**
 * "Session Lint: Generate a secret key": 32 random bytes as hex, put where the user asks. The
 * value is never shown: `.env` gets it through the same edit as the move-to-env fix (git-ignored,
 * an existing entry never overwritten), or it goes to the clipboard.
 */
export declare function generateSecretKey(
  holder: ClientHolder,
  preset?: {
    target?: 'dotenv' | 'clipboard';
    variable?: string;
  },
): Promise<void>;
/** "Session Lint: Explain rule": the rule's documentation page, rendered. */
export declare function explainRule(holder: ClientHolder, ruleId?: string): Promise<void>;
/** What a fix that wrote other files reports, once its edit is applied. */
export interface FixApplied {
  files: string[];
  effect?: string;
  dotenv?: string;
}
/**
 * Runs after a fix that also changed other files (the move-to-env fix writes `.env`,
 * `.gitignore`, `.env.example`): says which, and what the app needs now, with "Open .env".
 */
export declare function fixApplied(notice: FixApplied): Promise<void>;
/** "Session Lint: Fix all auto-fixable problems" in the active file: the safe fixes only. */
export declare function fixAll(): Promise<void>;
