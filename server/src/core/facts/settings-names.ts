/**
 * What a settings module's name says it is for, as projects name them (`settings/test.py`,
 * `config/settings/local.py`, `bakerydemo.settings.dev`): one rule for the settings files the
 * Django model reads and for the `DJANGO_SETTINGS_MODULE` a deployment file names.
 */

/** A settings module for tests and CI: never a finding. */
export const TEST_SETTINGS_NAME = /(^|_)(tests?|testing|ci)($|_)/;
/** A settings module for development: findings one severity lower. */
export const DEVELOPMENT_SETTINGS_NAME = /(^|_)(local|dev|develop|development)($|_)/;

/** Whether a dotted module path (`shop.settings.dev`) names development or test settings. */
export function namesNonProductionSettings(modulePath: string): boolean {
  const last = (modulePath.split('.').pop() ?? '').toLowerCase();
  return TEST_SETTINGS_NAME.test(last) || DEVELOPMENT_SETTINGS_NAME.test(last);
}
