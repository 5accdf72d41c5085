// The interface's words: `t(key, params)` looks a key up in the current language (Spanish by
// default, `i18n/es.js`; English in `i18n/en.js`, with the same keys); `{name}` placeholders
// take values from params, and those named after one of the office's rules ({horizonDays},
// {defaultNoticeDays}, {officeZone}) take the rule the core sent (see OFFICE_WORDS).

import es from './i18n/es.js';
import en from './i18n/en.js';
import { office } from './office.js';

export const LANGUAGES = { es, en };
let current = 'es';

export function setLanguage(lang) {
  current = LANGUAGES[lang] ? lang : 'es';
  if (typeof document !== 'undefined') document.documentElement.lang = current;
}

export function language() {
  return current;
}

/** The text of `key` in the current language, else in Spanish; `undefined` when neither has it. */
function lookup(key) {
  return LANGUAGES[current][key] ?? es[key];
}

/** The string for `key` in the current language (Spanish when English lacks it). */
export function t(key, params = {}) {
  const template = lookup(key) ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name) => {
    if (name in params) return String(params[name]);
    const rule = OFFICE_WORDS[name]?.(office());
    return rule === undefined ? `{${name}}` : String(rule);
  });
}

/**
 * Placeholders any text may use for the office's rules, filled from the core's values:
 * `{horizonDays}`, `{defaultNoticeDays}`, and `{officeZone}` (the zone's name in the current
 * language, `zone.<IANA id>`, or the id itself when no language names it).
 */
const OFFICE_WORDS = {
  horizonDays: (rules) => rules.horizonDays,
  defaultNoticeDays: (rules) => rules.defaultNoticeDays,
  officeZone: (rules) => lookup(`zone.${rules.timeZone}`) ?? rules.timeZone,
};

/** The label of an enum value: `label('orgKind', 'unAgency')`. */
export function label(group, value) {
  return t(`${group}.${value}`);
}

/** The message for one violation or error code, with its params. */
export function message(code, params = {}) {
  if (code === 'tooLong' && params.unit === 'bytes') {
    return t('err.tooLongBytes', { ...params, kb: Math.round(params.max / 1024) });
  }
  if (code === 'fileTooLarge') return t('err.fileTooLarge', { mb: Math.round(params.max / 1024 / 1024) });
  const key = `err.${code}`;
  return key in es ? t(key, params) : t('err.internal');
}
