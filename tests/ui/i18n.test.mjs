import { test } from 'node:test';
import assert from 'node:assert/strict';
import es from '../../ui/i18n/es.js';
import en from '../../ui/i18n/en.js';
import { LANGUAGES, t, setLanguage, message, label } from '../../ui/i18n.js';
import { setOffice } from '../../ui/office.js';
import { ENUMS } from '../../ui/enums.js';
import { HOME_SECTIONS } from '../../ui/logic.js';
import { LISTS } from '../../ui/screens/lists.js';
import { SPECS } from '../../ui/screens/edit.js';
import { SETTINGS } from '../../ui/screens/settings.js';
import { FIELD_LABELS } from '../../ui/screens/palette.js';
import { NAV } from '../../ui/logic.js';
import { coreOffice, read, rustFields, rustVariants, tableFields, uiModules, UI } from './sources.mjs';

setOffice(coreOffice());

test('Spanish and English have the same keys', () => {
  assert.deepEqual(Object.keys(en).sort(), Object.keys(es).sort());
  assert.equal(LANGUAGES.es, es);
  setLanguage('es');
  assert.equal(t('nav.home'), 'Esta semana');
  setLanguage('en');
  assert.equal(t('nav.home'), 'This week');
  setLanguage('xx');
  assert.equal(t('nav.home'), 'Esta semana', 'unknown languages fall back to Spanish');
});

test('messages fill their parameters in the current language', () => {
  setLanguage('es');
  assert.equal(message('tooLong', { max: 300, unit: 'chars' }), 'Es demasiado largo: máximo 300 caracteres.');
  assert.equal(message('tooLong', { max: 102400, unit: 'bytes' }), 'Es demasiado largo: máximo 102400 bytes (unas 100 KB).');
  setLanguage('en');
  assert.equal(message('invalidEmail'), 'This does not look like a valid e-mail address.');
  assert.equal(message('someNewCode'), 'Something unexpected went wrong.');
  assert.equal(label('agreementStatus', 'inForce'), 'In force');
  setLanguage('es');
});

test("the office's rules in the words come from the core, not from copies", () => {
  const rules = coreOffice();
  setLanguage('es');
  assert.equal(t('home.dueSoon'), `Compromisos por vencer (${rules.horizonDays} días)`);
  assert.equal(t('f.noticeDaysHint'), `${rules.defaultNoticeDays} si se deja vacío`);
  assert.equal(t('time.office', { time: '10:00' }), '10:00 en Ciudad de México');
  setLanguage('en');
  assert.equal(t('time.office', { time: '10:00' }), '10:00 in Mexico City');
  setLanguage('es');
  setOffice({ ...rules, horizonDays: 21, timeZone: 'America/Bogota' });
  assert.equal(t('home.dueSoon'), 'Compromisos por vencer (21 días)');
  assert.equal(t('time.office', { time: '10:00' }), '10:00 en America/Bogota', 'a zone no language names');
  setOffice(rules);
  const zoneNames = Object.values(LANGUAGES).map((strings) => strings[`zone.${rules.timeZone}`]);
  assert.ok(zoneNames.every(Boolean), `both languages name the office's zone ${rules.timeZone}`);
  for (const [lang, strings] of Object.entries(LANGUAGES)) {
    for (const [key, text] of Object.entries(strings)) {
      assert.ok(!text.includes(`(${rules.horizonDays} `), `${lang}: ${key} copies the horizon`);
      assert.ok(!/^\d+ (si|when)/.test(text), `${lang}: ${key} copies the notice days`);
      if (!key.startsWith('zone.')) {
        for (const name of zoneNames) assert.ok(!text.includes(name), `${lang}: ${key} copies the zone's name`);
      }
    }
  }
});

test('every error code the core can send has a message in both languages', () => {
  const codes = rustVariants('error.rs', 'Code');
  assert.ok(codes.length > 15, 'codes were found');
  const shell = read(new URL('../../src-tauri/src/error.rs', import.meta.url));
  const shellCodes = [...shell.matchAll(/IpcError::new\(Kind::\w+, "(\w+)"\)/g)].map((m) => m[1]);
  for (const code of [...codes, ...shellCodes, 'badInput', 'internal']) {
    for (const lang of ['es', 'en']) assert.ok(`err.${code}` in LANGUAGES[lang], `${lang}: err.${code}`);
  }
});

test('every key the UI names as it is written exists', () => {
  for (const f of uiModules().filter((f) => !f.startsWith('i18n'))) {
    for (const m of read(new URL(f, UI)).matchAll(/\bt\('([\w.]+)'/g)) assert.ok(m[1] in es, `${f}: ${m[1]}`);
  }
});

/** The keys a form field's spec names: its label, hint, add button and its rows' fields. */
function specKeys(spec) {
  return [spec.label ?? `f.${spec.name}`, spec.hint, spec.addLabel, ...(spec.row ?? []).flatMap(specKeys)].filter(Boolean);
}

test('every key the UI builds at run time exists in both languages', () => {
  const kinds = rustVariants('model/mod.rs', 'RecordKind');
  const built = [
    // Values sent by the core, named by their kind.
    ...kinds.map((k) => `kind.${k}`),
    ...rustVariants('exchange/import.rs', 'ImportStep').map((s) => `import.progress.${s}`),
    ...rustVariants('exchange/import.rs', 'Likeness').map((l) => `import.why.${l}`),
    // The spreadsheet import: what a row becomes and does, and the fields its columns fill.
    ...rustVariants('exchange/table/fields.rs', 'TableTarget').map((x) => `table.target.${x}`),
    ...rustVariants('exchange/table/mod.rs', 'RowAction').map((a) => `table.action.${a}`),
    ...tableFields().map((f) => `f.${f}`),
    ...rustVariants('store/files.rs', 'BackupKind').map((k) => `backup.kind.${k}`),
    ...rustVariants('index/search.rs', 'SearchField').map((f) => {
      assert.ok(f in FIELD_LABELS, `the palette labels search field ${f}`);
      return FIELD_LABELS[f];
    }),
    ...Object.entries(ENUMS).flatMap(([group, values]) => values.map((v) => `${group}.${v}`)),
    // A conflict names every field of a record that differs (all but the bookkeeping).
    ...kinds.flatMap((k) => rustFields(`model/${k}.rs`, k[0].toUpperCase() + k.slice(1)))
      .filter((f) => !['id', 'revision', 'createdAt', 'updatedAt', 'sample'].includes(f)).map((f) => `f.${f}`),
    // The UI's own tables.
    ...NAV.filter(Boolean).map(([key]) => `nav.${key}`),
    ...Object.values(HOME_SECTIONS).map((s) => s.title),
    // Commitments are made with their parent; documents attached from a record's page, never blank.
    ...kinds.filter((k) => k !== 'commitment').flatMap((k) => (k === 'document' ? [`edit.${k}`] : [`new.${k}`, `edit.${k}`])),
    ...Object.values(LISTS).flatMap((l) => [...l.sorts.map((s) => `sort.${s}`), ...l.filters.map((f) => `f.${f.name}`)]),
    ...Object.values(SPECS).flat().flatMap(specKeys),
    ...SETTINGS.flatMap((spec) => [`f.${spec.name}`, ...(spec.values ?? []).map((v) => `${spec.group}.${v}`)]),
  ];
  assert.ok(built.length > 200, `${built.length} keys built`);
  for (const key of built) {
    for (const lang of ['es', 'en']) assert.ok(key in LANGUAGES[lang], `${lang}: ${key}`);
  }
});

test('no key is written twice in a language file (the later would silently win)', () => {
  for (const lang of ['es', 'en']) {
    const keys = [...read(new URL(`i18n/${lang}.js`, UI)).matchAll(/^ {2}'([^']+)':/gm)].map((m) => m[1]);
    assert.ok(keys.length > 300, `${lang}: keys were found`);
    assert.deepEqual(keys.filter((k, i) => keys.indexOf(k) !== i), [], lang);
  }
});
