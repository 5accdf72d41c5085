// The audit log's entries as lines (event, record, when, who, which fields) and whether its
// chain verifies: for the audit log screen and for a record's own history on its page.

import { h, clear } from '../dom.js';
import { t, label, message } from '../i18n.js';
import * as api from '../api.js';
import { formatInstant } from '../format.js';
import { recordHash } from '../logic.js';
import { card, items } from '../widgets/ui.js';

/** What an entry says beyond its event: the fields it changed, how many records, which file. */
function entryDetail(row) {
  const parts = [];
  if (row.fields.length) parts.push(t('audit.fields', { fields: row.fields.map(fieldName).join(', ') }));
  if (row.count !== null && row.count !== undefined) parts.push(t(`audit.count.${row.event}`, { n: row.count }));
  if (row.detail) parts.push(known(`audit.detail.${row.detail}`, row.detail));
  return parts.join(' · ');
}

/** The text of `key`, or `fallback` when no language has one (a backup's file name). */
function known(key, fallback) {
  const text = t(key);
  return text === key ? fallback : text;
}

/** A field's name as its form labels it (its JSON name when no form has it). */
const fieldName = (name) => known(`f.${name}`, name);

/** The record an entry names: a link while it exists, its kind and "deleted" once it is gone. */
function recordOf(row) {
  const r = row.record;
  if (!r) return null;
  if (r.title === null) return h('span', { class: 'muted' }, t('audit.gone', { kind: label('kind', r.kind) }));
  return h('a', { href: recordHash(r.kind, r.id) }, r.title || t('none'));
}

/**
 * An entry as a line of a list. With `onErase(row)`, a person deleted and not yet erased for
 * good gets a button to erase her from the backups (a cancellation asked for after the delete).
 */
export function entryLine(row, { withRecord = true, onErase = null } = {}) {
  const erasable = onErase && row.event === 'deleted' && row.record?.kind === 'contact' && row.record.title === null && !row.erased;
  return [
    h('div', { class: 'item-main' },
      h('strong', {}, label('auditEvent', row.event)), withRecord && row.record ? [' · ', recordOf(row)] : null,
      h('div', { class: 'item-meta' }, [formatInstant(row.at), row.who || t('audit.nobody'), entryDetail(row)].filter(Boolean).join(' · '))),
    h('div', { class: 'item-side muted' },
      erasable ? h('button', { type: 'button', class: 'danger', onclick: () => onErase(row) }, t('erase.fromBackups')) : null,
      ` #${row.n}`),
  ];
}

/** Whether the chain holds, said plainly (an alert when it does not). */
export function verdict(v) {
  return v.intact
    ? h('p', { class: 'chain ok', 'data-chain': 'intact' }, t('audit.intact', { n: v.entries }))
    : h('p', { class: 'chain broken', role: 'alert', 'data-chain': 'broken' }, t('audit.broken', { n: v.brokenAt }));
}

/**
 * A record's own history, newest first, for its page. Drawn at once and filled when the audit
 * log answers: a long log (it is read whole) does not hold the page back.
 */
export function historyCard(id) {
  const body = h('div', { 'aria-busy': 'true' }, h('p', { class: 'empty' }, t('audit.loading')));
  api.auditLog({ record: id, events: [], from: null, to: null }).then((view) => {
    const shown = view.rows.slice(0, 10);
    clear(body).append(
      items(shown, (row) => entryLine(row, { withRecord: false }), t('audit.none')),
      view.matched ? h('p', {}, h('a', { href: `#/audit/${encodeURIComponent(id)}` }, t('audit.seeAll', { n: view.matched }))) : '');
  }, (err) => {
    clear(body).append(h('p', { class: 'empty' }, message(err.code, err.params)));
  }).finally(() => body.removeAttribute('aria-busy'));
  return card(t('section.history'), body);
}
