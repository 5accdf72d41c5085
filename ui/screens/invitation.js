// Importing a calendar invitation (an .ics from Outlook, Google Calendar, Thunderbird): choose
// the file, see each meeting it becomes — new, or the one it updates — with its attendees
// found in the directory by e-mail and those who are not, then import. Rust reads the file,
// plans and imports (core: exchange/calendar.rs).

import { h, clear } from '../dom.js';
import { t, message } from '../i18n.js';
import * as api from '../api.js';
import { formatMeetingWhen } from '../format.js';
import { pageHead, card, toast, showError, badge, joinLinks, recordLink, skippedList } from '../widgets/ui.js';
import { recordHash } from '../logic.js';

const ACTION_TONE = { create: 'ok', merge: 'warn', unchanged: 'muted', refuse: 'danger' };

export async function renderInvitation(main) {
  const step = h('div', {});
  const choose = h('button', { type: 'button', class: 'primary', id: 'invitation-choose' }, t('table.choose'));
  choose.addEventListener('click', async () => {
    choose.disabled = true;
    try {
      const file = await api.invitationOpen(t('invitation.dialogTitle'));
      if (file) showPlan(step, file);
    } catch (err) {
      clear(step).append(h('p', { class: 'form-error', role: 'alert', id: 'invitation-file-error' }, message(err.code, err.params)));
    } finally {
      choose.disabled = false;
    }
  });
  main.append(
    pageHead(t('invitation.title'), t('invitation.subtitle')),
    card(t('table.fileTitle'), h('p', {}, t('invitation.fileHint')), h('p', {}, choose)),
    step,
  );
}

/** One event of the file: when, what happens to it, and who comes. */
function eventRow(row) {
  const people = [
    row.counterparts.length ? h('div', {}, `${t('f.counterpartAttendees')}: `, joinLinks(row.counterparts)) : null,
    row.delegation.length ? h('div', {}, `${t('f.iecmDelegation')}: `, joinLinks(row.delegation)) : null,
    row.unknown.length ? h('div', { class: 'muted' }, t('invitation.unknown', { names: row.unknown.join(', ') })) : null,
  ];
  const notes = [
    row.existing ? h('div', {}, t('invitation.updates'), ' ', recordLink(row.existing), row.fields.length ? ` ${t('table.fields', { fields: row.fields.map((f) => t(`f.${f}`)).join(', ') })}` : '') : null,
    row.recurring ? h('div', {}, t('invitation.recurring')) : null,
    ...row.violations.map((v) => h('div', { class: 'form-error' }, `${t(`f.${v.field}`)}: ${message(v.code, v.params)}`)),
  ];
  return h('tr', { 'data-action': row.action },
    h('td', {}, String(row.n)),
    h('td', {}, h('strong', {}, row.title), h('div', { class: 'item-meta' }, formatMeetingWhen(row))),
    h('td', {}, badge(t(`invitation.action.${row.action}`), ACTION_TONE[row.action])),
    h('td', {}, people, notes));
}

/** The review of an invitation read, and the import button. */
function showPlan(step, file) {
  const { plan } = file;
  const go = h('button', { type: 'button', class: 'primary', id: 'invitation-import', disabled: plan.written === 0 },
    t('invitation.import', { n: plan.written }));
  go.addEventListener('click', async () => {
    go.disabled = true;
    try {
      const done = await api.invitationImport();
      toast(t('invitation.done', { n: done.written, file: file.fileName }));
      // One meeting: its page; several: the list.
      const written = done.rows.filter((r) => r.action === 'create' || r.action === 'merge');
      location.hash = written.length === 1 ? recordHash('meeting', written[0].id) : '#/list/meeting';
    } catch (err) {
      go.disabled = false;
      showError(err);
    }
  });
  clear(step).append(card(t('invitation.planTitle', { file: file.fileName }),
    skippedList(plan.skipped),
    plan.rows.length ? h('div', { class: 'table-scroll' }, h('table', { class: 'list plan', id: 'invitation-plan' },
      h('thead', {}, h('tr', {}, [t('invitation.event'), t('invitation.meeting'), t('table.action'), t('table.detail')].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, plan.rows.map(eventRow)))) : null,
    h('p', { class: 'muted' }, t('invitation.matchHint')),
    h('div', { class: 'actions start' }, go,
      h('button', { type: 'button', id: 'invitation-cancel', onclick: () => { api.importCancel().catch(() => {}); location.hash = '#/list/meeting'; } }, t('action.cancel')))));
  go.focus();
}
