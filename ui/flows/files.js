// The office's files out: people as vCard (4.0, or 3.0 for Outlook), a meeting or a period's
// meetings and deadlines as iCalendar, the signed instruments in the transparency format; and
// the settings card that leads to each, and to importing contacts and invitations. Rust makes
// every file, asks where to save it and writes it.

import { h } from '../dom.js';
import { t } from '../i18n.js';
import { officeDay } from '../format.js';
import * as api from '../api.js';
import { card, toast, showError, askUntilTaken } from '../widgets/ui.js';
import { Form } from '../widgets/form.js';

const VCARD = [{ name: 'vcardVersion', type: 'select', group: 'vcardVersion', values: ['4.0', '3.0'], full: true, hint: 'files.vcardVersionHint' }];

/** Exports the people `ids` as one vCard file, in the version the user picks. */
export async function exportVcards(ids) {
  const form = new Form(VCARD, { vcardVersion: '4.0' }, {});
  const done = await askUntilTaken({
    title: t('files.vcardTitle'),
    intro: t(ids.length === 1 ? 'files.vcardIntroOne' : 'files.vcardIntro', { n: ids.length }),
    form,
    submit: t('files.export'),
    send: (v) => api.exportVcards(ids, v.vcardVersion, t('files.vcardTitle')),
  });
  if (done) toast(t('files.vcardDone', { n: done.count, file: done.fileName }));
}

/** A button that exports the people `idsOf()` names as vCard. */
export function vcardButton(idsOf, label = t('files.vcardButton')) {
  return h('button', { type: 'button', id: 'export-vcard', onclick: async () => {
    try {
      const ids = await idsOf();
      if (ids.length) await exportVcards(ids);
    } catch (err) {
      showError(err);
    }
  } }, label);
}

/** A button that exports meeting `id` as an iCalendar file. */
export function meetingCalendarButton(id) {
  const button = h('button', { type: 'button', id: 'export-ics' }, t('files.icsButton'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const done = await api.exportMeetingCalendar(id, t('files.icsTitle'));
      if (done) toast(t('files.icsDone', { file: done.fileName }));
    } catch (err) {
      showError(err);
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

const CALENDAR = [
  { name: 'from', type: 'date', required: true },
  { name: 'until', type: 'date', required: true },
  { name: 'kinds', type: 'checks', group: 'calendarKind', values: ['meetings', 'commitments', 'agreements'], full: true },
];

/** The meetings and deadlines of a period the user picks, as one iCalendar file. */
async function exportCalendar() {
  const form = new Form(CALENDAR, { from: officeDay(0), until: officeDay(90), kinds: ['meetings', 'commitments', 'agreements'] }, {});
  const done = await askUntilTaken({
    title: t('files.calendarTitle'),
    intro: t('files.calendarIntro'),
    form,
    submit: t('files.export'),
    send: (v) => api.exportCalendar({
      from: v.from ?? '', until: v.until ?? '',
      meetings: v.kinds.includes('meetings'), commitments: v.kinds.includes('commitments'), agreements: v.kinds.includes('agreements'),
    }, t('files.calendarTitle')),
  });
  if (done) toast(t('files.calendarDone', { n: done.count, file: done.fileName }));
}

const TRANSPARENCY = [
  { name: 'year', type: 'number', required: true },
  { name: 'quarter', type: 'select', group: 'quarter', values: ['all', '1', '2', '3', '4'] },
  { name: 'fileFormat', type: 'select', group: 'fileFormat', values: ['xlsx', 'csv'] },
];

/** The instruments signed in a year or a quarter, in the transparency format. */
async function exportTransparency() {
  const form = new Form(TRANSPARENCY, { year: Number(officeDay().slice(0, 4)), quarter: 'all', fileFormat: 'xlsx' }, {});
  const done = await askUntilTaken({
    title: t('files.transparencyTitle'),
    intro: t('files.transparencyIntro'),
    form,
    submit: t('files.export'),
    send: (v) => api.exportTransparency(
      { year: v.year ?? 0, quarter: v.quarter === 'all' ? null : Number(v.quarter) }, v.fileFormat, t('files.transparencyTitle')),
  });
  if (done) toast(t('files.transparencyDone', { n: done.count, file: done.fileName }));
}

/** The settings card of the office's files: contacts and invitations in, calendars and the transparency report out. */
export function filesCard() {
  const action = (id, text, run) => h('button', { type: 'button', id, onclick: () => run().catch(showError) }, text);
  return card(t('files.title'),
    h('p', {}, t('files.inHint')),
    h('div', { class: 'actions start' },
      h('a', { href: '#/import/vcard', class: 'button', id: 'import-vcard' }, t('files.importVcard')),
      h('a', { href: '#/invitation', class: 'button', id: 'import-invitation' }, t('files.importInvitation'))),
    h('p', {}, t('files.outHint')),
    h('div', { class: 'actions start' },
      action('export-calendar', t('files.calendarButton'), exportCalendar),
      action('export-transparency', t('files.transparencyButton'), exportTransparency)));
}
