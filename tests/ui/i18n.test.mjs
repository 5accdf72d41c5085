import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LANGUAGES, t, setLanguage, message, label } from '../../ui/i18n.js';
import { readFileSync, readdirSync } from 'node:fs';

test('Spanish is the default and English is complete', () => {
  setLanguage('es');
  assert.equal(t('nav.home'), 'Esta semana');
  const missing = Object.keys(LANGUAGES.es).filter((k) => !(k in LANGUAGES.en) && k !== 'app.name' && k !== 'none' && !k.startsWith('language.'));
  assert.deepEqual(missing, []);
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

test('every error code the core can send has a message in both languages', () => {
  const error = readFileSync(new URL('../../core/src/error.rs', import.meta.url), 'utf8');
  const block = error.slice(error.indexOf('pub enum Code'));
  const codes = [...block.slice(0, block.indexOf('\n}')).matchAll(/^    ([A-Z]\w+),$/gm)].map((m) => m[1][0].toLowerCase() + m[1].slice(1));
  assert.ok(codes.length > 15, 'codes were found');
  const shell = readFileSync(new URL('../../src-tauri/src/error.rs', import.meta.url), 'utf8');
  const shellCodes = [...shell.matchAll(/IpcError::new\(Kind::\w+, "(\w+)"\)/g)].map((m) => m[1]);
  for (const code of [...codes, ...shellCodes, 'badInput']) {
    for (const lang of ['es', 'en']) assert.ok(`err.${code}` in LANGUAGES[lang], `${lang}: err.${code}`);
  }
});

test('every t() key used by the UI exists', () => {
  const dir = new URL('../../ui/', import.meta.url);
  const files = ['main.js', ...readdirSync(new URL('components/', dir)).map((f) => `components/${f}`)];
  for (const f of files) {
    const text = readFileSync(new URL(f, dir), 'utf8');
    for (const m of text.matchAll(/\bt\('([\w.]+)'/g)) assert.ok(m[1] in LANGUAGES.es, `${f}: ${m[1]}`);
  }
});
