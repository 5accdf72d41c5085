// An activity as one line wherever it shows (an organization's page, the home view, the
// report, a person's training): its title, kind and days, and its status.

import { h } from '../dom.js';
import { label } from '../i18n.js';
import { formatDateRange } from '../format.js';
import { recordHash } from '../logic.js';
import { joinLinks, statusBadge } from './ui.js';

/**
 * One line for an ActivityItem: `withPartners` names its partners too; `side`, when given, is
 * shown instead of its status (a person's hours, the people it reached).
 */
export function activityLine(a, { withPartners = false, side = null } = {}) {
  const meta = [
    label('activityKind', a.kind),
    a.startsOn ? ` · ${formatDateRange(a.startsOn, a.endsOn)}` : '',
    withPartners && a.partners.length ? [' · ', joinLinks(a.partners)] : null,
  ];
  return [
    h('div', { class: 'item-main' }, h('a', { href: recordHash('activity', a.id) }, a.title), h('div', { class: 'item-meta' }, meta)),
    h('div', { class: 'item-side' }, side ?? statusBadge('activityStatus', a.status)),
  ];
}
