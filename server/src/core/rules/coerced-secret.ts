/**
 * A secret read through `str()` (Python) or `String()` (JavaScript) never fails when its variable
 * is unset: it becomes the word "None" or "undefined", a key anyone can guess, and the app runs.
 */
export function coercedSecretMessage(subject: string, variable: string, language: 'python' | 'javascript'): string {
  const [word, wrapper] = language === 'python' ? ['None', 'str(...)'] : ['undefined', 'String(...)'];
  return `${subject} turns an unset ${variable} into the string "${word}" (${wrapper}), a key anyone can guess`;
}
