// The list screen of each record kind: text filter, filters by status or type, sorting.

import { h, clear } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { formatBytes, formatCount, formatDate, formatDateRange, formatInstant, formatMeetingWhen, countryName } from '../format.js';
import { filterItems, sortItems, recordHash, HOME_SECTIONS, KINDS } from '../logic.js';
import { ENUMS } from '../enums.js';
import { pageHead, joinLinks, recordLink, daysBadge, statusBadge, badge } from '../widgets/ui.js';
import { commitmentRow } from '../flows/commitments.js';
import { vcardButton } from '../flows/files.js';

const PAGE = 200;

/** Columns, filters and sorts of each kind. */
export const LISTS = {
  organization: {
    text: (o) => `${o.title} ${o.acronym} ${o.country}`,
    filters: [
      { name: 'kind', group: 'orgKind', values: ENUMS.orgKind },
      { name: 'relationship', group: 'relationship', values: ENUMS.relationship },
    ],
    sorts: { title: (o) => o.title, updated: (o) => o.updatedAt },
    descending: { updated: true },
    columns: [
      ['col.acronym', (o) => o.acronym],
      ['col.name', (o) => o.title, true],
      ['f.kind', (o) => label('orgKind', o.kind)],
      ['f.relationship', (o) => statusBadge('relationship', o.relationship)],
      ['f.country', (o) => countryName(o.country)],
    ],
  },
  contact: {
    text: (c) => `${c.title} ${c.post} ${c.email} ${c.organization?.title ?? ''}`,
    filters: [{ name: 'organizationId', refs: (c) => (c.organization ? [c.organization] : []) }],
    sorts: { title: (c) => c.title, updated: (c) => c.updatedAt },
    descending: { updated: true },
    columns: [
      ['f.fullName', (c) => c.title, true],
      ['f.post', (c) => c.post],
      ['f.organizationId', (c) => (c.organization ? recordLink(c.organization) : '')],
      ['f.emails', (c) => c.email],
    ],
  },
  meeting: {
    text: (m) => `${m.title} ${m.organizations.map((o) => o.title).join(' ')}`,
    filters: [
      { name: 'organizationIds', refs: (m) => m.organizations },
      { name: 'modality', group: 'modality', values: ENUMS.modality },
    ],
    sorts: { date: (m) => m.startsAt, title: (m) => m.title },
    columns: [
      ['f.date', (m) => formatMeetingWhen(m)],
      ['f.title', (m) => m.title, true],
      ['f.organizationIds', (m) => joinLinks(m.organizations)],
      ['f.modality', (m) => label('modality', m.modality)],
    ],
  },
  agreement: {
    text: (a) => `${a.title} ${a.folio} ${a.counterparts.map((o) => o.title).join(' ')}`,
    filters: [
      { name: 'status', group: 'agreementStatus', values: ENUMS.agreementStatus },
      { name: 'kind', group: 'agreementKind', values: ENUMS.agreementKind },
    ],
    sorts: { title: (a) => a.title, validUntil: (a) => a.validUntil },
    columns: [
      ['f.folio', (a) => a.folio],
      ['f.title', (a) => a.title, true],
      ['f.counterpartIds', (a) => joinLinks(a.counterparts)],
      ['f.status', (a) => [statusBadge('agreementStatus', a.status), a.expiring ? [' ', badge(t('agreementStatus.expiring'), 'warn')] : null]],
      ['f.validUntil', (a) => [a.validUntil ? formatDate(a.validUntil) : '', ' ', a.expiring || a.expired ? daysBadge(a.daysLeft, { ended: true, warnWithin: a.noticeDays }) : null]],
    ],
  },
  activity: {
    text: (a) => `${a.title} ${a.partners.map((o) => o.title).join(' ')} ${a.agreement?.title ?? ''}`,
    filters: [
      { name: 'status', group: 'activityStatus', values: ENUMS.activityStatus },
      { name: 'kind', group: 'activityKind', values: ENUMS.activityKind },
      { name: 'partnerIds', refs: (a) => a.partners },
    ],
    sorts: { date: (a) => a.startsOn, title: (a) => a.title },
    descending: { date: true },
    columns: [
      ['col.dates', (a) => formatDateRange(a.startsOn, a.endsOn)],
      ['f.title', (a) => a.title, true],
      ['f.kind', (a) => label('activityKind', a.kind)],
      ['f.partnerIds', (a) => joinLinks(a.partners)],
      ['f.status', (a) => statusBadge('activityStatus', a.status)],
    ],
  },
  document: {
    text: (d) => `${d.title} ${d.record?.title ?? ''}`,
    filters: [{ name: 'recordKind', group: 'kind', values: KINDS.filter((k) => k !== 'document'), of: (d) => d.record?.kind }],
    sorts: { added: (d) => d.attachedAt, title: (d) => d.title },
    descending: { added: true },
    columns: [
      ['f.name', (d) => d.title, true],
      ['f.recordId', (d) => recordLink(d.record)],
      ['f.size', (d) => formatBytes(d.size)],
      ['f.attachedAt', (d) => formatInstant(d.attachedAt)],
    ],
  },
  commitment: {
    text: (c) => `${c.title} ${c.owner?.title ?? ''} ${c.organizations.map((o) => o.title).join(' ')}`,
    filters: [
      { name: 'status', group: 'commitmentStatus', values: ENUMS.commitmentStatus },
      { name: 'party', group: 'party', values: ENUMS.party },
    ],
    sorts: { due: (c) => c.dueOn, title: (c) => c.title },
    lines: true,
  },
};

/** The list of every record of `kind`; or, with a home `section`, of every item of that section. */
export async function renderList(main, kind, section = null) {
  const config = LISTS[kind];
  const fetch = () => (section ? api.homeSection(section) : api.listRecords(kind));
  let all = (await fetch()).items;
  // `rows`: what the filters let through, in the order shown (what a list's export takes).
  const state = { query: '', filters: {}, sort: Object.keys(config.sorts)[0], shown: PAGE, rows: [] };
  const body = h('div', {});
  const count = h('p', { class: 'count', 'aria-live': 'polite' });

  // After "mark done", reload the items but keep the filters, sort and page the user set.
  const reload = async () => {
    all = (await fetch()).items;
    draw();
  };
  const draw = () => {
    let rows = filterItems(all, state.query, config.text);
    for (const f of config.filters) {
      const value = state.filters[f.name];
      if (!value) continue;
      rows = f.refs ? rows.filter((r) => f.refs(r).some((ref) => ref.id === value)) : rows.filter((r) => (f.of ? f.of(r) : r[f.name]) === value);
    }
    // The core sends each list in its default order; re-sort only for another choice.
    if (state.sort !== Object.keys(config.sorts)[0]) {
      rows = sortItems(rows, config.sorts[state.sort], Boolean(config.descending?.[state.sort]));
    }
    state.rows = rows;
    count.textContent = t('list.count', { n: formatCount(rows.length) });
    clear(body);
    if (!rows.length) {
      body.append(h('p', { class: 'empty' }, t('list.empty')));
      return;
    }
    const page = rows.slice(0, state.shown);
    if (config.lines) {
      body.append(h('div', { class: 'card' }, h('ul', { class: 'items' }, page.map((c) => h('li', {}, commitmentRow(c, reload))))));
    } else {
      body.append(table(kind, config, page));
    }
    if (rows.length > state.shown) {
      body.append(h('button', { type: 'button', onclick: () => { state.shown += PAGE; draw(); } }, t('list.showMore')));
    }
  };

  const search = h('input', { type: 'search', id: 'list-filter', placeholder: t('list.filterPlaceholder'),
    oninput: (e) => { state.query = e.target.value; state.shown = PAGE; draw(); } });
  const filterControls = config.filters.map((f) => {
    const id = `filter-${f.name}`;
    return h('label', { for: id }, t(`f.${f.name}`),
      h('select', { id, onchange: (e) => { state.filters[f.name] = e.target.value; draw(); } },
        h('option', { value: '' }, t('list.all')),
        f.refs ? refOptions(all, f.refs) : f.values.map((v) => h('option', { value: v }, label(f.group, v)))));
  });
  const sortControl = h('label', { for: 'list-sort' }, t('list.sort'),
    h('select', { id: 'list-sort', onchange: (e) => { state.sort = e.target.value; draw(); } },
      Object.keys(config.sorts).map((s) => h('option', { value: s }, t(`sort.${s}`)))));

  // Commitments are made with their meeting, agreement or activity; documents on a record's page.
  const newButton = kind === 'commitment' || kind === 'document' ? null : h('a', { class: 'button primary', href: `#/${kind}/new` }, t(`new.${kind}`));
  // People go out as vCard (those the filters show); meetings come in from invitations.
  const extra = {
    contact: () => vcardButton(() => state.rows.map((r) => r.id), t('files.vcardList')),
    meeting: () => h('a', { class: 'button', href: '#/invitation', id: 'list-import-invitation' }, t('files.importInvitation')),
  }[kind]?.() ?? null;
  main.append(
    pageHead(t(section ? HOME_SECTIONS[section].title : `nav.${kind}`), null, [extra, newButton]),
    h('div', { class: 'toolbar' },
      h('label', { for: 'list-filter' }, t('list.filter'), search), filterControls, sortControl),
    count, body,
  );
  draw();
}

/** The records a list refers to (its organizations), as options sorted by name. */
function refOptions(rows, refsOf) {
  const byId = new Map();
  rows.forEach((r) => refsOf(r).forEach((ref) => byId.set(ref.id, ref.title)));
  return sortItems([...byId], ([, title]) => title).map(([id, title]) => h('option', { value: id }, title));
}

function table(kind, config, rows) {
  return h('table', { class: 'list' },
    h('thead', {}, h('tr', {}, config.columns.map(([key]) => h('th', { scope: 'col' }, t(key))))),
    h('tbody', {}, rows.map((row) => {
      const open = () => { location.hash = recordHash(kind, row.id); };
      return h('tr', {
        onclick: (e) => { if (!e.target.closest('a')) open(); },
      }, config.columns.map(([, cell, isLink]) => h('td', {}, isLink
        ? h('a', { href: recordHash(kind, row.id) }, cell(row) || t('none'))
        : cell(row))));
    })));
}

