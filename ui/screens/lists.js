// The list screen of each record kind: text filter, filters by status, type or organization,
// sorting; the core answers each with one page of rows and their count.

import { h } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { formatBytes, formatCount, formatDate, formatDateRange, formatInstant, formatMeetingWhen, countryName } from '../format.js';
import { recordHash, HOME_SECTIONS, KINDS } from '../logic.js';
import { ENUMS } from '../enums.js';
import { pageHead, joinLinks, recordLink, daysBadge, statusBadge, badge, showError } from '../widgets/ui.js';
import { combobox } from '../widgets/picker.js';
import { finder } from '../flows/records.js';
import { commitmentRow } from '../flows/commitments.js';
import { vcardButton } from '../flows/files.js';

// Rows asked of the core at a time, and rows drawn beyond each edge of the window: the screen
// holds about a hundred rows whatever the list's length.
const PAGE = 100;
const SPARE = 30;

/** Columns, filters and sorts of each kind. */
export const LISTS = {
  organization: {
    filters: [
      { name: 'kind', group: 'orgKind', values: ENUMS.orgKind },
      { name: 'relationship', group: 'relationship', values: ENUMS.relationship },
    ],
    sorts: ['title', 'updated'],
    columns: [
      ['col.acronym', (o) => o.acronym],
      ['col.name', (o) => o.title, true],
      ['f.kind', (o) => label('orgKind', o.kind)],
      ['f.relationship', (o) => statusBadge('relationship', o.relationship)],
      ['f.country', (o) => countryName(o.country)],
    ],
  },
  contact: {
    filters: [{ name: 'organizationId', pick: 'organization' }],
    sorts: ['title', 'updated'],
    columns: [
      ['f.fullName', (c) => c.title, true],
      ['f.post', (c) => c.post],
      ['f.organizationId', (c) => (c.organization ? recordLink(c.organization) : '')],
      ['f.emails', (c) => c.email],
    ],
  },
  meeting: {
    filters: [
      { name: 'organizationIds', pick: 'organization' },
      { name: 'modality', group: 'modality', values: ENUMS.modality },
    ],
    sorts: ['date', 'title'],
    columns: [
      ['f.date', (m) => formatMeetingWhen(m)],
      ['f.title', (m) => m.title, true],
      ['f.organizationIds', (m) => joinLinks(m.organizations)],
      ['f.modality', (m) => label('modality', m.modality)],
    ],
  },
  agreement: {
    filters: [
      { name: 'status', group: 'agreementStatus', values: ENUMS.agreementStatus },
      { name: 'kind', group: 'agreementKind', values: ENUMS.agreementKind },
    ],
    sorts: ['title', 'validUntil'],
    columns: [
      ['f.folio', (a) => a.folio],
      ['f.title', (a) => a.title, true],
      ['f.counterpartIds', (a) => joinLinks(a.counterparts)],
      ['f.status', (a) => [statusBadge('agreementStatus', a.status), a.expiring ? [' ', badge(t('agreementStatus.expiring'), 'warn')] : null]],
      ['f.validUntil', (a) => [a.validUntil ? formatDate(a.validUntil) : '', ' ', a.expiring || a.expired ? daysBadge(a.daysLeft, { ended: true, warnWithin: a.noticeDays }) : null]],
    ],
  },
  activity: {
    filters: [
      { name: 'status', group: 'activityStatus', values: ENUMS.activityStatus },
      { name: 'kind', group: 'activityKind', values: ENUMS.activityKind },
      { name: 'partnerIds', pick: 'organization' },
    ],
    sorts: ['date', 'title'],
    columns: [
      ['col.dates', (a) => formatDateRange(a.startsOn, a.endsOn)],
      ['f.title', (a) => a.title, true],
      ['f.kind', (a) => label('activityKind', a.kind)],
      ['f.partnerIds', (a) => joinLinks(a.partners)],
      ['f.status', (a) => statusBadge('activityStatus', a.status)],
    ],
  },
  document: {
    filters: [{ name: 'recordKind', group: 'kind', values: KINDS.filter((k) => k !== 'document') }],
    sorts: ['added', 'title'],
    columns: [
      ['f.name', (d) => d.title, true],
      ['f.recordId', (d) => recordLink(d.record)],
      ['f.size', (d) => formatBytes(d.size)],
      ['f.attachedAt', (d) => formatInstant(d.attachedAt)],
    ],
  },
  commitment: {
    filters: [
      { name: 'status', group: 'commitmentStatus', values: ENUMS.commitmentStatus },
      { name: 'party', group: 'party', values: ENUMS.party },
    ],
    sorts: ['due', 'title'],
    lines: true,
  },
};

/**
 * The list of every record of `kind`; or, with a home `section`, of every item of that
 * section. The core filters, sorts and counts; the screen asks for the rows it shows, a page
 * at a time, and draws only those near the window (with spacers for the rest), so it holds
 * about the same whether the list has ten rows or a hundred thousand.
 */
export async function renderList(main, kind, section = null) {
  const config = LISTS[kind];
  const state = { text: '', filters: {}, sort: config.sorts[0] };
  const query = () => ({ kind, section, text: state.text, filters: state.filters, sort: state.sort });
  // The pages received for the current query, by number; those asked and not answered yet.
  let pages = new Map();
  let asked = new Set();
  let generation = 0;
  let total = 0;
  const count = h('p', { class: 'count', 'aria-live': 'polite' });
  const body = h('div', {});
  const rows = new Map();
  const top = h(config.lines ? 'li' : 'tr', { class: 'spacer', 'aria-hidden': 'true' });
  const bottom = h(config.lines ? 'li' : 'tr', { class: 'spacer', 'aria-hidden': 'true' });
  if (!config.lines) {
    top.append(h('td', { colspan: config.columns.length }));
    bottom.append(h('td', { colspan: config.columns.length }));
  }
  const rowsEl = config.lines ? h('ul', { class: 'items virtual' }) : h('tbody', {});
  const container = config.lines
    ? h('div', { class: 'card' }, rowsEl)
    : h('table', { class: 'list virtual' },
      h('thead', {}, h('tr', { 'aria-rowindex': 1 }, config.columns.map(([key]) => h('th', { scope: 'col' }, t(key))))),
      rowsEl);
  let rowHeight = 0;
  const itemAt = (i) => pages.get(Math.floor(i / PAGE))?.[i % PAGE];

  const fetchPage = async (n) => {
    if (asked.has(n)) return;
    asked.add(n);
    const mine = generation;
    try {
      const page = await api.listPage({ ...query(), offset: n * PAGE, limit: PAGE });
      if (mine !== generation) return;
      pages.set(n, page.items);
      setTotal(page.total);
      draw();
    } catch (err) {
      if (mine !== generation) return;
      // Asked again when the rows are drawn next.
      asked.delete(n);
      showError(err);
    }
  };
  const setTotal = (n) => {
    const said = t('list.count', { n: formatCount(n) });
    // Said again (aloud, to a screen reader) only when it changes.
    if (count.textContent !== said) count.textContent = said;
    total = n;
    if (!config.lines) container.setAttribute('aria-rowcount', String(n + 1));
  };
  const makeRow = (i, item) => {
    const el = item
      ? (config.lines ? h('li', {}, commitmentRow(item, restart)) : tableRow(kind, config, item))
      : h(config.lines ? 'li' : 'tr', { class: 'loading', 'aria-busy': 'true' }, config.lines ? t('list.loading') : h('td', { colspan: config.columns.length }, t('list.loading')));
    if (!config.lines) el.setAttribute('aria-rowindex', String(i + 2));
    el.dataset.row = String(i);
    el.dataset.loaded = item ? String(generation) : '';
    return el;
  };
  // The rows from `first` to `last` (excluded) drawn; those that stay are left in place, so
  // the focus and the reader's place in them are kept.
  const draw = () => {
    if (!total) {
      rows.forEach((el) => el.remove());
      rows.clear();
      body.replaceChildren(h('p', { class: 'empty' }, pages.has(0) ? t('list.empty') : t('list.loading')));
      return;
    }
    if (body.firstChild !== container) body.replaceChildren(container);
    if (!rowsEl.contains(top)) rowsEl.replaceChildren(top, bottom);
    const height = rowHeight || 40;
    const offset = rowsEl.getBoundingClientRect().top;
    const from = Math.max(0, Math.floor(-offset / height));
    const to = Math.ceil((window.innerHeight - offset) / height);
    const first = Math.max(0, Math.min(total, from - SPARE));
    const last = Math.max(first, Math.min(total, to + SPARE));
    for (const [i, el] of rows) {
      if (i < first || i >= last) {
        el.remove();
        rows.delete(i);
      }
    }
    // A row of an earlier answer stays until this one's comes (no flicker while typing), and
    // a row redrawn keeps the focus it held, on the same control.
    let previous = top;
    for (let i = first; i < last; i += 1) {
      const item = itemAt(i);
      let el = rows.get(i);
      if (!el || (item && el.dataset.loaded !== String(generation))) {
        const made = makeRow(i, item);
        if (el) {
          const focusable = [...el.querySelectorAll('a, button')];
          const held = focusable.indexOf(document.activeElement);
          el.replaceWith(made);
          if (held >= 0) (made.querySelectorAll('a, button')[held] ?? made.querySelector('a, button'))?.focus();
        } else {
          previous.after(made);
        }
        el = made;
        rows.set(i, el);
      }
      previous = el;
    }
    top.style.height = `${first * height}px`;
    bottom.style.height = `${(total - last) * height}px`;
    // Rows are first placed at a guessed height; once one is measured, the rows are placed
    // again at theirs, and the page scrolled so that the same row stays at the top.
    const measured = [...rows.values()].find((el) => el.dataset.loaded)?.getBoundingClientRect().height;
    if (measured && Math.abs(measured - height) > 0.5) {
      rowHeight = measured;
      top.style.height = `${first * measured}px`;
      bottom.style.height = `${(total - last) * measured}px`;
      if (offset < 0) window.scrollBy(0, (-offset / height) * (measured - height));
      requestAnimationFrame(draw);
    }
    // The pages around the window are kept, the others let go: scrolled end to end, the
    // screen still holds a few hundred rows.
    const [low, high] = [Math.floor(first / PAGE), Math.floor(Math.max(first, last - 1) / PAGE)];
    for (const n of pages.keys()) {
      if (n < low - 1 || n > high + 1) {
        pages.delete(n);
        asked.delete(n);
      }
    }
    for (let n = low; n <= high; n += 1) {
      if (!pages.has(n)) fetchPage(n);
    }
  };
  // A new question (text, filter, order), or the same after "mark done" (the row may leave
  // the list): the rows asked again.
  const restart = async () => {
    generation += 1;
    pages = new Map();
    asked = new Set();
    await fetchPage(0);
  };
  // Drawn again on the next frame when the window scrolls or resizes, and when the screen is
  // laid out (it is drawn before it is placed: the window's listeners wait for that, so a
  // screen replaced before it was shown leaves none); no longer once the screen is left.
  let scheduled = false;
  let placed = false;
  const schedule = () => {
    if (placed && !body.isConnected) {
      window.removeEventListener('scroll', schedule);
      window.removeEventListener('resize', schedule);
      resized.disconnect();
      return;
    }
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      draw();
    });
  };
  const resized = new ResizeObserver(() => {
    if (!placed && body.isConnected) {
      placed = true;
      window.addEventListener('scroll', schedule, { passive: true });
      window.addEventListener('resize', schedule);
    }
    schedule();
  });
  resized.observe(body);

  const search = h('input', { type: 'search', id: 'list-filter', placeholder: t('list.filterPlaceholder'),
    oninput: (e) => { state.text = e.target.value; restart(); } });
  const filterControls = config.filters.map((f) => {
    const id = `filter-${f.name}`;
    const set = (value) => {
      state.filters = { ...state.filters, [f.name]: value };
      restart();
    };
    if (f.pick) {
      // An organization found by typing; emptying the field filters nothing.
      const box = combobox({ id, name: id, find: finder(f.pick), onChoose: (c) => { box.input.value = c.title; set(c.id); } });
      box.input.placeholder = t('list.all');
      box.input.addEventListener('change', () => { if (!box.input.value.trim()) set(''); });
      box.input.addEventListener('input', () => { if (!box.input.value.trim() && state.filters[f.name]) set(''); });
      return h('label', { for: id }, t(`f.${f.name}`), box.el);
    }
    return h('label', { for: id }, t(`f.${f.name}`),
      h('select', { id, onchange: (e) => set(e.target.value) },
        h('option', { value: '' }, t('list.all')),
        f.values.map((v) => h('option', { value: v }, label(f.group, v)))));
  });
  const sortControl = h('label', { for: 'list-sort' }, t('list.sort'),
    h('select', { id: 'list-sort', onchange: (e) => { state.sort = e.target.value; restart(); } },
      config.sorts.map((s) => h('option', { value: s }, t(`sort.${s}`)))));

  // Commitments are made with their meeting, agreement or activity; documents on a record's page.
  const newButton = kind === 'commitment' || kind === 'document' ? null : h('a', { class: 'button primary', href: `#/${kind}/new` }, t(`new.${kind}`));
  // People go out as vCard (every one the filters let through); meetings come in from invitations.
  const extra = {
    contact: () => vcardButton(() => api.listIds(query()), t('files.vcardList')),
    meeting: () => h('a', { class: 'button', href: '#/invitation', id: 'list-import-invitation' }, t('files.importInvitation')),
  }[kind]?.() ?? null;
  main.append(
    pageHead(t(section ? HOME_SECTIONS[section].title : `nav.${kind}`), null, [extra, newButton]),
    h('div', { class: 'toolbar' },
      h('label', { for: 'list-filter' }, t('list.filter'), search), filterControls, sortControl),
    count, body,
  );
  await restart();
}

function tableRow(kind, config, row) {
  const open = () => { location.hash = recordHash(kind, row.id); };
  return h('tr', {
    onclick: (e) => { if (!e.target.closest('a')) open(); },
  }, config.columns.map(([, cell, isLink]) => {
    if (!isLink) return h('td', {}, cell(row));
    // Names of two lines at most: the whole name in the link's tooltip.
    const name = cell(row) || t('none');
    return h('td', { class: 'name' }, h('div', {}, h('a', { href: recordHash(kind, row.id), title: name }, name)));
  }));
}
