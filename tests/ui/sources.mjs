// What the UI tests read: the UI's modules, and the Rust sources the UI must agree with.

import { readFileSync, readdirSync, statSync } from 'node:fs';

export const UI = new URL('../../ui/', import.meta.url);
export const CORE = new URL('../../core/src/', import.meta.url);

/** Every `.js` file under `ui/`, as paths relative to it (`screens/home.js`). */
export function uiModules(dir = UI, prefix = '') {
  return readdirSync(dir).sort().flatMap((name) => {
    const url = new URL(name, dir);
    if (statSync(url).isDirectory()) return uiModules(new URL(`${name}/`, dir), `${prefix}${name}/`);
    return name.endsWith('.js') ? [`${prefix}${name}`] : [];
  });
}

export function read(url) {
  return readFileSync(url, 'utf8');
}

/** The value of `pub const NAME: T = value;` in a core source file. */
export function rustConst(file, name) {
  const m = new RegExp(`pub const ${name}: [^=]+= ([^;]+);`).exec(read(new URL(file, CORE)));
  if (!m) throw new Error(`${name} not found in ${file}`);
  return m[1].startsWith('"') ? JSON.parse(m[1]) : Number(m[1]);
}

/** The office's rules as the core owns them, as `app_info` sends them. */
export function coreOffice() {
  return {
    timeZone: rustConst('model/meeting.rs', 'DEFAULT_TIME_ZONE'),
    horizonDays: rustConst('views/home.rs', 'HORIZON_DAYS'),
    defaultNoticeDays: rustConst('model/agreement.rs', 'DEFAULT_NOTICE_DAYS'),
  };
}

/**
 * The variants of `pub enum NAME` in a core source file (or in any file of a folder named with
 * a trailing `/`), as serde spells them (camelCase).
 */
export function rustVariants(file, name) {
  const files = file.endsWith('/') ? readdirSync(new URL(file, CORE)).map((f) => `${file}${f}`) : [file];
  const text = files.map((f) => read(new URL(f, CORE))).find((t) => t.includes(`pub enum ${name} {`));
  if (!text) throw new Error(`enum ${name} not found in ${file}`);
  const at = text.indexOf(`pub enum ${name} {`);
  const body = text.slice(at, text.indexOf('\n}', at));
  return [...body.matchAll(/^    ([A-Z]\w*)(?: \{[^}]*\})?,$/gm)].map((m) => m[1][0].toLowerCase() + m[1].slice(1));
}

/** The names of the fields a spreadsheet's columns can fill (`FIELDS` in `exchange/table/fields.rs`). */
export function tableFields() {
  const text = read(new URL('exchange/table/fields.rs', CORE));
  return [...new Set([...text.matchAll(/\bf\(\s*[OCA],\s*"(\w+)"/g)].map((m) => m[1]))];
}

/** The fields of `pub struct NAME` in a core source file, as serde spells them (camelCase). */
export function rustFields(file, name) {
  const text = read(new URL(file, CORE));
  const at = text.indexOf(`pub struct ${name} {`);
  if (at < 0) throw new Error(`struct ${name} not found in ${file}`);
  const body = text.slice(at, text.indexOf('\n}', at));
  return [...body.matchAll(/^    pub (\w+):/gm)].map((m) => m[1].replace(/_(\w)/g, (_, c) => c.toUpperCase()));
}
