// An instrument as one line (the home view, the report's instruments signed): its title, folio,
// counterparts and end, and its status.

import { h } from '../dom.js';
import { t } from '../i18n.js';
import { formatDate } from '../format.js';
import { recordHash } from '../logic.js';
import { joinLinks, statusBadge, daysBadge } from './ui.js';

/** One line for an AgreementItem; `withDays` puts the days to its end beside its status. */
export function agreementLine(a, { withDays = false } = {}) {
  return [
    h('div', { class: 'item-main' }, h('a', { href: recordHash('agreement', a.id) }, a.title),
      h('div', { class: 'item-meta' }, [a.folio ? `${a.folio} · ` : '', joinLinks(a.counterparts),
        a.validUntil ? ` · ${t('f.validUntil')}: ${formatDate(a.validUntil)}` : ''])),
    h('div', { class: 'item-side' }, withDays ? daysBadge(a.daysLeft, { ended: true, warnWithin: a.noticeDays }) : null,
      statusBadge('agreementStatus', a.status)),
  ];
}
