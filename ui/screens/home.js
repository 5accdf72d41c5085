// "Esta semana": what needs the office now.

import { h } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { formatCount, formatDate, formatInstant, formatMeetingWhen } from '../format.js';
import { pageHead, card, items, joinLinks, recordLink } from '../widgets/ui.js';
import { HOME_SECTIONS } from '../logic.js';
import { commitmentRow } from '../flows/commitments.js';
import { activityLine } from '../widgets/activity-line.js';
import { agreementLine } from '../widgets/agreement-line.js';
import { restoreOffer } from '../flows/backups.js';
import { loadSample } from '../flows/sample.js';

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
  // A section shows its most pressing items; when there are more, it says how many and links
  // to the list of all of them.
  const section = (name, line) => {
    const shown = view[name];
    const total = view.totals[name];
    return card(t(HOME_SECTIONS[name].title), items(shown, line), total > shown.length
      ? h('p', { class: 'more' }, t('home.more', { shown: formatCount(shown.length), total: formatCount(total) }), ' ',
        h('a', { href: `#/list/${HOME_SECTIONS[name].kind}/${name}` }, t('home.seeAll')))
      : null);
  };
  const commitment = (c) => commitmentRow(c, refresh);
  main.append(
    h('div', { class: 'grid-2' },
      section('overdueCommitments', commitment),
      section('upcomingMeetings', (m) => [
        h('div', { class: 'item-main' }, h('a', { href: `#/meeting/${encodeURIComponent(m.id)}` }, m.title),
          h('div', { class: 'item-meta' }, [formatMeetingWhen(m), ' · ', label('modality', m.modality), ' · ', joinLinks(m.organizations)])),
      ]),
      section('dueSoonCommitments', commitment),
      section('expiringAgreements', (a) => agreementLine(a, { withDays: true })),
      section('activities', (a) => activityLine(a, { withPartners: true })),
      view.expiredAgreements.length ? section('expiredAgreements', (a) => agreementLine(a, { withDays: true })) : null,
      card(t('home.recent'), items(view.recentChanges, (c) => [
        h('div', { class: 'item-main' }, recordLink(c), h('div', { class: 'item-meta' }, label('kind', c.kind))),
        h('div', { class: 'item-side item-meta' }, formatInstant(c.updatedAt)),
      ])),
    ),
  );
}
