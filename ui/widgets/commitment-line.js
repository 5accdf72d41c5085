// A commitment as one line wherever it shows, with a "mark done" button when it is open.

import { h } from '../dom.js';
import { t, label } from '../i18n.js';
import { formatDate } from '../format.js';
import { recordLink, joinLinks, daysBadge, statusBadge } from './ui.js';

const OPEN = new Set(['pending', 'inProgress']);

/** Whether a commitment in `status` is still to be done. */
export function isOpen(status) {
  return OPEN.has(status);
}

/**
 * One line for a CommitmentItem (home, lists, overviews); `onMarkDone(id)` when its button is
 * pressed. On its meeting's or agreement's own page, `withSource: false` leaves out what the
 * page already says.
 */
export function commitmentLine(item, onMarkDone, { withSource = true } = {}) {
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
      isOpen(item.status) ? daysBadge(item.daysLeft) : null,
      statusBadge('commitmentStatus', item.status),
      isOpen(item.status)
        ? h('button', { type: 'button', class: 'small', onclick: () => onMarkDone(item.id),
            'aria-label': `${t('action.markDone')}: ${item.title}` }, t('action.markDone'))
        : null),
  ];
}
