// One office, many laptops: the settings' card of the office's shared folder (create it, join
// it with a colleague's code, invite a laptop, the laptops and what came from them, remove
// one) and, on a record's page, the conflicts and deletes a colleague's changes left to settle.

import { h } from '../dom.js';
import { t, message } from '../i18n.js';
import * as api from '../api.js';
import { formatCount, formatInstant } from '../format.js';
import { kindOfId, recordHash } from '../logic.js';
import { badge, card, confirmDialog, items, openDialog, recordLink, showError, toast } from '../widgets/ui.js';
import { secretForm } from '../widgets/form.js';

const LAPTOP_NAME = { name: 'name', label: 'sharing.laptopName', required: true, full: true, hint: 'sharing.laptopNameHint' };
const CODE = { name: 'code', label: 'sharing.code', required: true, full: true, hint: 'sharing.codeHint', autocomplete: 'off' };

/** "Laura (Laptop de Laura), 6 dic 2026 14:05": who made a change, from where, when. */
export function authorText(a) {
  return t('sharing.author', { who: a.who || a.laptop, laptop: a.laptop, at: formatInstant(a.at) });
}

/** A field's value as a line of text. */
function valueText(v) {
  if (v === null || v === undefined || v === '') return t('sharing.empty');
  if (Array.isArray(v)) return v.length ? v.map(valueText).join(', ') : t('sharing.empty');
  if (typeof v === 'boolean') return t(v ? 'yes' : 'no');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** A field's name as its form labels it (its JSON name when no form has it). */
function fieldName(name) {
  const text = t(`f.${name}`);
  return text === `f.${name}` ? name : text;
}

/** The settings' card of the office's shared folder. */
export async function sharingCard(refresh) {
  const view = await api.officeStatus();
  return view ? officeCard(view, refresh) : setUpCard(refresh);
}

function setUpCard(refresh) {
  const created = (status) => {
    if (!status) return;
    toast(t('sharing.created'));
    refresh();
  };
  const create = secretForm([LAPTOP_NAME], {
    id: 'office-create', label: t('sharing.createTitle'), submit: t('sharing.create'),
    send: (v) => api.createOffice(v.name, t('sharing.folderDialog')), done: created,
  });
  const join = secretForm([CODE, LAPTOP_NAME], {
    id: 'office-join', label: t('sharing.joinTitle'), submit: t('sharing.join'),
    send: (v) => api.joinOffice(v.code, v.name, t('sharing.folderDialog')),
    done: (status) => {
      if (!status) return;
      toast(t('sharing.joined'));
      refresh();
    },
  });
  return card(t('sharing.title'),
    h('p', {}, t('sharing.intro')),
    h('h3', {}, t('sharing.createTitle')), h('p', { class: 'hint' }, t('sharing.createHint')), create,
    h('h3', {}, t('sharing.joinTitle')), h('p', { class: 'hint' }, t('sharing.joinHint')), join);
}

function laptopLine(l, remove) {
  const applied = l.this ? t('sharing.made', { n: formatCount(l.applied) }) : t('sharing.applied', { n: formatCount(l.applied) });
  const last = l.lastChange ? t('sharing.lastChange', { at: formatInstant(l.lastChange) }) : t('sharing.noChange');
  const synced = l.synced ? t('sharing.synced', { at: formatInstant(l.synced) }) : t('sharing.neverSynced');
  return [
    h('div', { class: 'item-main' },
      h('strong', {}, l.name), ' ', l.this ? badge(t('sharing.thisLaptop'), 'muted') : null,
      l.removed ? badge(t('sharing.removed'), 'danger') : null,
      h('div', { class: 'item-meta' }, [l.who, synced, applied, last].filter(Boolean).join(' · '))),
    h('div', { class: 'item-side' },
      l.this || l.removed ? null
        : h('button', { type: 'button', class: 'danger', 'aria-label': t('sharing.removeLaptop', { name: l.name }), onclick: () => remove(l) }, t('action.remove'))),
  ];
}

function officeCard(view, refresh) {
  const remove = async (l) => {
    if (!(await confirmDialog(t('sharing.confirmRemove', { name: l.name }), { danger: true, confirmLabel: t('action.remove') }))) return;
    try {
      await api.removeLaptop(l.laptop);
      toast(t('sharing.laptopRemoved', { name: l.name }));
    } catch (err) {
      showError(err);
    }
    refresh();
  };
  const invite = async () => {
    try {
      const code = await api.inviteLaptop();
      await openDialog({
        title: t('sharing.inviteTitle'),
        content: [h('p', {}, t('sharing.inviteIntro')), h('p', { class: 'invite-code', id: 'invite-code' }, code), h('p', { class: 'hint' }, t('sharing.inviteHint'))],
        buttons: [{ label: t('action.close'), value: true, class: 'primary' }],
      });
    } catch (err) {
      showError(err);
    }
  };
  const syncNow = async () => {
    try {
      const report = await api.syncNow();
      toast(t('sharing.passDone', { sent: formatCount(report.sent), applied: formatCount(report.applied) }));
    } catch (err) {
      showError(err);
    }
    refresh();
  };
  const problems = [
    view.error ? h('p', { class: 'form-error', role: 'alert' }, message(view.error.code, view.error.params)) : null,
    view.missingKey ? h('p', { class: 'form-error' }, t('sharing.missingKey')) : null,
    view.damaged.length ? h('p', { class: 'form-error' }, t('sharing.damaged', { files: view.damaged.join(', ') })) : null,
    view.conflictCopies.length ? h('p', { class: 'form-error' }, t('sharing.conflictCopies', { files: view.conflictCopies.join(', ') })) : null,
    view.refused ? h('p', {}, t('sharing.refused', { n: formatCount(view.refused) })) : null,
  ];
  const pass = view.lastPass ? t('sharing.lastPass', { at: formatInstant(view.lastPass) }) : t('sharing.noPass');
  return h('section', { class: 'card', id: 'office', 'aria-label': t('sharing.title'), 'data-laptops': String(view.laptops.length) },
    h('h2', {}, t('sharing.title')),
    h('p', {}, t('sharing.sharingAs', { name: view.name }), ' ', h('code', {}, view.folder)),
    h('p', { class: 'item-meta', id: 'office-pass' }, [pass,
      view.waiting ? t('sharing.waitingOut', { n: formatCount(view.waiting) }) : t('sharing.allSent'),
      view.waitingIn ? t('sharing.waitingIn', { n: formatCount(view.waitingIn) }) : null].filter(Boolean).join(' · ')),
    ...problems,
    h('h3', {}, t('sharing.laptops')),
    items(view.laptops, (l) => laptopLine(l, remove)),
    h('h3', {}, t('sharing.toSettle')),
    items(view.conflicts, (r) => [h('div', { class: 'item-main' }, recordLink(r))], t('sharing.nothingToSettle')),
    h('h3', {}, t('sharing.cameIn')),
    items(view.recent, (i) => [h('div', { class: 'item-main' },
      i.deleted || !i.title ? h('span', {}, i.title || t('sharing.deletedRecord')) : h('a', { href: recordHash(kindOfId(i.id), i.id) }, i.title),
      h('div', { class: 'item-meta' }, t(i.deleted ? 'sharing.deletedBy' : 'sharing.changedBy', { who: i.who, at: formatInstant(i.at) })))],
    t('sharing.nothingCame')),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', id: 'invite-laptop', onclick: invite }, t('sharing.invite')),
      h('button', { type: 'button', class: 'primary', id: 'sync-now', onclick: syncNow }, t('sharing.syncNow'))));
}

/**
 * What a colleague's changes left to settle on a record's page: each conflict, with the
 * value kept and the other, and a delete made without having seen every change. `onDelete`
 * is the page's own delete; `null` when there is nothing to settle.
 */
export async function recordSharingCard(record, { refresh, onDelete }) {
  const sharing = await api.recordSharing(record.id);
  if (!sharing.conflicts.length && !sharing.deletedBy) return null;
  const settle = async (c, revert) => {
    try {
      await api.settleConflict(record.id, record.revision, c.field, revert ? c.by.hlc : null);
      toast(t('sharing.settled'));
    } catch (err) {
      showError(err);
    }
    refresh();
  };
  const keep = async () => {
    try {
      await api.keepRecord(record.id);
      toast(t('sharing.kept'));
    } catch (err) {
      showError(err);
    }
    refresh();
  };
  const deleted = sharing.deletedBy
    ? h('div', { class: 'conflict', id: 'delete-pending' },
      h('p', {}, t('sharing.deletePending', { author: authorText(sharing.deletedBy) })),
      h('div', { class: 'form-actions' },
        h('button', { type: 'button', id: 'keep-record', onclick: keep }, t('sharing.keepRecord')),
        h('button', { type: 'button', class: 'danger', id: 'confirm-delete', onclick: onDelete }, t('sharing.confirmDelete'))))
    : null;
  return card(t('sharing.conflictsTitle'),
    deleted,
    items(sharing.conflicts, (c) => [
      h('div', { class: 'item-main', 'data-conflict': c.field },
        h('strong', {}, fieldName(c.field)),
        h('div', {}, t('sharing.currentValue', { value: valueText(record[c.field]), author: authorText(c.current) })),
        h('div', {}, t('sharing.otherValue', { value: valueText(c.value), author: authorText(c.by) }))),
      h('div', { class: 'item-side' },
        h('button', { type: 'button', 'data-keep': c.field, onclick: () => settle(c, false) }, t('sharing.keepCurrent')),
        h('button', { type: 'button', 'data-revert': c.field, onclick: () => settle(c, true) }, t('sharing.useOther'))),
    ]));
}
