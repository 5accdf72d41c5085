// "Esta semana": what needs the office now.

import { h } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { formatCount, formatDate, formatInstant, formatMeetingWhen } from '../format.js';
import { pageHead, card, items, joinLinks, recordLink, daysBadge, statusBadge, toast, showError, confirmDialog } from './ui.js';
import { commitmentLine } from './commitments.js';
import { restoreOffer } from './backups.js';

export async function renderHome(main, refresh) {
  const [view, status] = await Promise.all([api.home(), api.storeStatus()]);
  const empty = status.records === 0;
  const sampleButton = empty
    ? h('button', { type: 'button', class: 'primary', onclick: () => loadSample(refresh) }, t('home.loadSample'))
    : null;
  main.append(pageHead(t('home.title'), t('home.today', { date: formatDate(view.today) }), [sampleButton]));
  if (empty) {
    main.append(h('section', { class: 'card' }, h('h2', {}, t('home.emptyStore')), h('p', {}, t('home.emptyStoreHint'))));
    // Backups on disk and nothing here: maybe the data was lost, so say so.
    const offer = await restoreOffer(refresh);
    if (offer) main.append(offer);
    return;
  }
  const agreementLine = (a) => [
    h('div', { class: 'item-main' }, h('a', { href: `#/agreement/${encodeURIComponent(a.id)}` }, a.title),
      h('div', { class: 'item-meta' }, [a.folio ? `${a.folio} · ` : '', joinLinks(a.counterparts),
        a.validUntil ? ` · ${t('f.validUntil')}: ${formatDate(a.validUntil)}` : ''])),
    h('div', { class: 'item-side' }, daysBadge(a.daysLeft, { ended: true, warnWithin: a.noticeDays }), statusBadge('agreementStatus', a.status)),
  ];
  // A section shows its most pressing items; when there are more, it says how many and links
  // to the list that holds them all.
  const more = (shown, total, kind) => (total > shown.length
    ? h('p', { class: 'more' }, t('home.more', { shown: formatCount(shown.length), total: formatCount(total) }), ' ',
      h('a', { href: `#/list/${kind}` }, t('home.seeAll')))
    : null);
  const totals = view.totals;
  main.append(
    h('div', { class: 'grid-2' },
      card(t('home.overdue'), items(view.overdueCommitments, (c) => commitmentLine(c, refresh)),
        more(view.overdueCommitments, totals.overdueCommitments, 'commitment')),
      card(t('home.meetings'), items(view.upcomingMeetings, (m) => [
        h('div', { class: 'item-main' }, h('a', { href: `#/meeting/${encodeURIComponent(m.id)}` }, m.title),
          h('div', { class: 'item-meta' }, [formatMeetingWhen(m), ' · ', label('modality', m.modality), ' · ', joinLinks(m.organizations)])),
      ]), more(view.upcomingMeetings, totals.upcomingMeetings, 'meeting')),
      card(t('home.dueSoon'), items(view.dueSoonCommitments, (c) => commitmentLine(c, refresh)),
        more(view.dueSoonCommitments, totals.dueSoonCommitments, 'commitment')),
      card(t('home.expiring'), items(view.expiringAgreements, agreementLine),
        more(view.expiringAgreements, totals.expiringAgreements, 'agreement')),
      view.expiredAgreements.length ? card(t('home.expired'), items(view.expiredAgreements, agreementLine),
        more(view.expiredAgreements, totals.expiredAgreements, 'agreement')) : null,
      card(t('home.recent'), items(view.recentChanges, (c) => [
        h('div', { class: 'item-main' }, recordLink(c), h('div', { class: 'item-meta' }, label('kind', c.kind))),
        h('div', { class: 'item-side item-meta' }, formatInstant(c.updatedAt)),
      ])),
    ),
  );
}

export async function loadSample(refresh) {
  try {
    const n = await api.loadSample();
    toast(t('home.sampleLoaded', { n }));
    refresh();
  } catch (err) {
    showError(err);
  }
}

export async function removeSample(refresh) {
  if (!(await confirmDialog(t('home.confirmRemoveSample'), { danger: true, confirmLabel: t('home.removeSample') }))) return;
  try {
    const report = await api.removeSample();
    toast(t('home.sampleRemoved', { n: report.deleted.length }));
    refresh();
  } catch (err) {
    showError(err);
  }
}
