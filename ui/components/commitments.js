// A commitment as one line wherever it shows, with "mark done" when it is open.

import { h } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { formatDate } from '../format.js';
import { recordLink, joinLinks, daysBadge, statusBadge, toast, showError, openDialog } from './ui.js';

const OPEN = new Set(['pending', 'inProgress']);

/** Asks for the evidence note, marks the commitment done and calls `onChanged`. */
export async function markDone(id, onChanged) {
  try {
    const current = await api.getCommitment(id);
    const evidence = h('textarea', { id: 'evidence-input' });
    evidence.value = current.evidence || '';
    const chosen = await openDialog({
      title: t('action.markDone'),
      content: [h('p', {}, current.description), h('div', { class: 'field' }, h('label', { for: 'evidence-input' }, t('f.evidence')), evidence)],
      buttons: [
        { label: t('action.cancel'), value: null },
        { label: t('action.markDone'), class: 'primary', onValue: () => evidence.value },
      ],
    });
    if (chosen === null || chosen === undefined) return;
    await api.saveCommitment({ ...current, status: 'done', evidence: chosen });
    toast(t('saved'));
    onChanged?.();
  } catch (err) {
    showError(err);
    onChanged?.();
  }
}

/** One line for a CommitmentItem (home, lists, overviews). */
export function commitmentLine(item, onChanged) {
  const meta = [
    label('party', item.party),
    item.owner ? [' · ', recordLink(item.owner)] : null,
    item.dueOn ? ` · ${formatDate(item.dueOn)}` : null,
    item.source ? [' · ', recordLink(item.source)] : null,
    item.organizations?.length ? [' · ', joinLinks(item.organizations)] : null,
  ];
  return [
    h('div', { class: 'item-main' },
      h('a', { href: `#/commitment/${encodeURIComponent(item.id)}` }, item.title),
      h('div', { class: 'item-meta' }, meta)),
    h('div', { class: 'item-side' },
      OPEN.has(item.status) ? daysBadge(item.daysLeft) : null,
      statusBadge('commitmentStatus', item.status),
      OPEN.has(item.status)
        ? h('button', { type: 'button', class: 'small', onclick: () => markDone(item.id, onChanged),
            'aria-label': `${t('action.markDone')}: ${item.title}` }, t('action.markDone'))
        : null),
  ];
}

/** A full commitment record (meeting or agreement detail) as a line. */
export function commitmentRecordLine(c, people, onChanged) {
  const owner = people.get(c.ownerId);
  return commitmentLine({
    id: c.id, title: c.description, status: c.status, party: c.party, dueOn: c.dueOn,
    daysLeft: daysFromToday(c.dueOn), owner: owner ? { kind: 'contact', id: c.ownerId, title: owner } : null,
  }, onChanged);
}

/** Whole days from the office's today to `iso` (a date), or null. */
export function daysFromToday(iso, now = new Date()) {
  if (!iso) return null;
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone: 'America/Mexico_City', year: 'numeric', month: '2-digit', day: '2-digit',
  }).formatToParts(now).map((p) => [p.type, p.value]));
  const today = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day));
  const [y, m, d] = iso.split('-').map(Number);
  return Math.round((Date.UTC(y, m - 1, d) - today) / 86400000);
}
