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

/**
 * One line for a CommitmentItem (home, lists, overviews). On its meeting's or agreement's own
 * page, `withSource: false` leaves out what the page already says.
 */
export function commitmentLine(item, onChanged, { withSource = true } = {}) {
  const meta = [
    label('party', item.party),
    item.owner ? [' · ', recordLink(item.owner)] : null,
    item.dueOn ? ` · ${formatDate(item.dueOn)}` : null,
    withSource && item.source ? [' · ', recordLink(item.source)] : null,
    withSource && item.organizations?.length ? [' · ', joinLinks(item.organizations)] : null,
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
