import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFieldPath, splitList, splitLines, orNull, intOrNull, decimalOrNull, changedFields, parseRoute, recordHash, isExternalHref, telHref, mailtoHref, mappingErrors, reportPeriods } from '../../ui/logic.js';

test('field paths from validation errors', () => {
  assert.deepEqual(parseFieldPath('emails[1].value'), { name: 'emails', index: 1, sub: 'value' });
  assert.deepEqual(parseFieldPath('nameEs'), { name: 'nameEs', index: null, sub: null });
  assert.deepEqual(parseFieldPath('organizationIds[0]'), { name: 'organizationIds', index: 0, sub: null });
});

test('lists typed as text', () => {
  assert.deepEqual(splitList(' es, en ,, fr '), ['es', 'en', 'fr']);
  assert.deepEqual(splitLines('a\n\n b \n'), ['a', 'b']);
  assert.equal(orNull('  '), null);
  assert.equal(orNull('2026-11-24'), '2026-11-24');
  assert.equal(intOrNull(''), null);
  assert.equal(intOrNull('90'), 90);
  assert.ok(Number.isNaN(intOrNull('noventa')), 'kept as NaN so the form refuses it before sending');
  assert.equal(decimalOrNull(' '), null);
  assert.equal(decimalOrNull('7.5'), 7.5);
  assert.equal(decimalOrNull('150,000.50'), 150000.5);
  for (const bad of ['7,5', '1,50', 'ocho', '1.2.3', '-3']) assert.ok(Number.isNaN(decimalOrNull(bad)), bad);
});

test('a conflict lists the fields that differ, not bookkeeping', () => {
  const mine = { id: 'x', revision: 1, notes: 'mía', city: '', tags: [] };
  const theirs = { id: 'x', revision: 2, notes: 'suya', updatedAt: 'later', tags: [] };
  assert.deepEqual(changedFields(mine, theirs), ['notes']);
});

test('routes', () => {
  assert.deepEqual(parseRoute(''), { view: 'home' });
  assert.deepEqual(parseRoute('#/list/meeting'), { view: 'list', kind: 'meeting' });
  assert.deepEqual(parseRoute('#/import'), { view: 'import' });
  assert.deepEqual(parseRoute('#/list/commitment/overdueCommitments'), { view: 'list', kind: 'commitment', section: 'overdueCommitments' });
  assert.deepEqual(parseRoute('#/list/meeting/overdueCommitments'), { view: 'list', kind: 'meeting' }, 'a section of another kind');
  assert.deepEqual(parseRoute('#/list/meeting/toString'), { view: 'list', kind: 'meeting' });
  assert.deepEqual(parseRoute('#/organization/new'), { view: 'edit', kind: 'organization', id: null, from: null });
  assert.deepEqual(parseRoute('#/meeting/new/org_1'), { view: 'edit', kind: 'meeting', id: null, from: 'org_1' });
  assert.deepEqual(parseRoute('#/activity/new/agr_1'), { view: 'edit', kind: 'activity', id: null, from: 'agr_1' });
  assert.deepEqual(parseRoute('#/list/activity/activities'), { view: 'list', kind: 'activity', section: 'activities' });
  assert.deepEqual(parseRoute('#/contact/per_1/edit'), { view: 'edit', kind: 'contact', id: 'per_1' });
  assert.deepEqual(parseRoute('#/agreement/agr_1'), { view: 'detail', kind: 'agreement', id: 'agr_1' });
  assert.deepEqual(parseRoute('#/nonsense/x'), { view: 'home' });
  assert.equal(recordHash('contact', 'per_1'), '#/contact/per_1');
});

test('only web, e-mail and phone links may leave the app', () => {
  for (const ok of ['https://www.unwomen.org/es', 'http://ejemplo.org', 'mailto:ana@ejemplo.org', 'tel:+525554833800;ext=123']) {
    assert.ok(isExternalHref(ok), ok);
  }
  for (const bad of ['javascript:alert(1)', 'JavaScript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'file:///etc/passwd',
    'vbscript:x', 'https://', 'https:// ejemplo.org', 'mailto:nadie', 'tel:abc', '//ejemplo.org', '#/home', '', null]) {
    assert.ok(!isExternalHref(bad), String(bad));
  }
});

test('phones and e-mails as links', () => {
  assert.equal(telHref('+52 (55) 5483-3800 ext. 123'), 'tel:+525554833800;ext=123');
  assert.equal(telHref('55 5000 1234'), 'tel:5550001234');
  assert.equal(telHref('+52 55 5000 1234 extensión 7'), 'tel:+525550001234;ext=7');
  assert.equal(telHref('sin número'), null);
  assert.equal(mailtoHref(' ana@ejemplo.org '), 'mailto:ana@ejemplo.org');
  assert.equal(mailtoHref('ana en ejemplo.org'), null);
  assert.ok(mailtoHref('javascript:alert(1)//@x').startsWith('mailto:'), 'whatever the text, the scheme is mailto:');
});

test('a refused mapping is told at its columns, and the rest apart', () => {
  const { columns, rest } = mappingErrors([
    { field: 'mapping[3]', code: 'duplicateEntry' },
    { field: 'mapping', code: 'required', params: { field: 'title' } },
    { field: 'mapping[10]', code: 'invalidChoice' },
  ]);
  assert.deepEqual(columns.map(([i, v]) => [i, v.code]), [[3, 'duplicateEntry'], [10, 'invalidChoice']]);
  assert.deepEqual(rest.map((v) => v.field), ['mapping']);
});

test("a report's usual periods are whole years and quarters, last quarter crossing the year", () => {
  const at = (today) => Object.fromEntries(reportPeriods(today).map((p) => [p.key, `${p.from}/${p.until}`]));
  assert.deepEqual(at('2026-12-06'), {
    thisYear: '2026-01-01/2026-12-31', lastYear: '2025-01-01/2025-12-31',
    thisQuarter: '2026-10-01/2026-12-31', lastQuarter: '2026-07-01/2026-09-30',
  });
  assert.equal(at('2027-02-10').lastQuarter, '2026-10-01/2026-12-31');
  assert.equal(at('2028-05-01').thisQuarter, '2028-04-01/2028-06-30');
  assert.equal(at('2024-01-15').thisQuarter, '2024-01-01/2024-03-31');
});
