import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, formatCount, formatDate, formatInstant, formatMeetingWhen, formatDays, fold, countryName, languageName, officeDay } from '../../ui/format.js';
import { setLanguage } from '../../ui/i18n.js';
import { toAppError, AppError } from '../../ui/api.js';
import { setOffice } from '../../ui/office.js';
import { coreOffice } from './sources.mjs';

setOffice(coreOffice());

test('dates read as the office writes them', () => {
  assert.equal(formatDate('2026-11-24', 'es'), '24 nov 2026');
  assert.equal(formatDate('2026-01-05', 'en'), '5 Jan 2026');
  assert.equal(formatDate(null), '');
  assert.equal(formatInstant('2026-11-25T05:30:00Z', 'es'), '24 nov 2026, 23:30', 'in Mexico City');
  assert.equal(formatMeetingWhen({ date: '2026-12-06', time: '17:00', timeZone: 'Europe/Stockholm' }, 'es'), '6 dic 2026, 17:00 (Europe/Stockholm)');
  assert.equal(formatMeetingWhen({ date: '2026-11-30', time: '11:30', timeZone: 'America/Mexico_City' }, 'es'), '30 nov 2026, 11:30');
  setLanguage('es');
  assert.equal(
    formatMeetingWhen({ date: '2026-12-06', time: '17:00', timeZone: 'Europe/Stockholm', startsAt: '2026-12-06T16:00:00Z' }, 'es'),
    '6 dic 2026, 17:00 (Europe/Stockholm) · 6 dic 2026, 10:00 en Ciudad de México',
  );
  assert.equal(countryName('MX', 'es'), 'México');
  assert.equal(countryName('SE', 'en'), 'Sweden');
  assert.equal(countryName('', 'es'), '');
  assert.equal(languageName('en', 'es'), 'inglés');
});

test("the office's day is its calendar's, whatever the computer's zone", () => {
  // 05:30 UTC on the 25th is still the 24th in Mexico City.
  const late = new Date('2026-11-25T05:30:00Z');
  assert.equal(officeDay(0, late), '2026-11-24');
  assert.equal(officeDay(90, late), '2027-02-22');
  assert.equal(officeDay(-24, late), '2026-10-31');
});

test('counts are grouped by thousands, as in Mexico', () => {
  assert.equal(formatCount(24587, 'es'), '24,587');
  assert.equal(formatCount(735878, 'en'), '735,878');
  assert.equal(formatCount(950, 'es'), '950');
});

test('day counts', () => {
  setLanguage('es');
  assert.equal(formatDays(-3), 'venció hace 3 d');
  assert.equal(formatDays(0), 'vence hoy');
  assert.equal(formatDays(45), 'faltan 45 d');
  assert.equal(formatDays(-1, { ended: true }), 'concluyó hace 1 d');
  assert.equal(formatDays(null), '');
  assert.equal(fold('Niñez ÁRBOL'), 'ninez arbol');
});

test('IPC failures become AppErrors the UI can show', () => {
  const e = toAppError({ kind: 'invalid', code: 'invalidEmail', field: 'emails[0].value', params: {}, violations: [] });
  assert.ok(e instanceof AppError);
  assert.equal(e.violations[0].field, 'emails[0].value', 'a single field error becomes a violation');
  const tauri = toAppError('invalid args `record` for command `save_contact`: missing field `fullName`');
  assert.equal(tauri.kind, 'invalid');
  assert.equal(tauri.code, 'badInput');
  assert.equal(toAppError(new Error('boom')).kind, 'internal');
});

test('a file size reads in the unit that suits it', () => {
  assert.equal(formatBytes(850, 'es'), '850 B');
  assert.equal(formatBytes(348_160, 'es'), '340 KB');
  assert.equal(formatBytes(2_516_582, 'en'), '2.4 MB');
  assert.equal(formatBytes(25 * 1024 * 1024, 'es'), '25 MB');
});
