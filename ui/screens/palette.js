// The global search palette: Ctrl+K, type, arrows to choose, Enter to open, Esc to close.

import { h, clear } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { recordHash } from '../logic.js';
import { formatCount } from '../format.js';
import { markActive, showModal } from '../widgets/ui.js';

/** The label of each field a search hit can match in (every `SearchField` of the core). */
export const FIELD_LABELS = {
  acronymEs: 'f.acronymEs', acronymEn: 'f.acronymEn', nameEs: 'f.nameEs', nameEn: 'f.nameEn', fullName: 'f.fullName',
  title: 'f.title', folio: 'f.folio', emails: 'f.emails', post: 'f.post', description: 'f.description', phones: 'f.phones',
  tags: 'f.tags', city: 'f.city', place: 'f.place', purpose: 'f.purpose', objective: 'f.objective', agenda: 'f.agenda',
  minutes: 'f.minutes', talkingPoints: 'f.talkingPoints', notes: 'f.notes', evidence: 'f.evidence', iecmArea: 'f.iecmArea', products: 'f.products',
};

export function openPalette() {
  const dialog = document.getElementById('palette');
  clear(dialog);
  const input = h('input', { type: 'search', id: 'palette-input', role: 'combobox', 'aria-expanded': 'true',
    'aria-controls': 'palette-results', 'aria-autocomplete': 'list', placeholder: t('search.placeholder'), autocomplete: 'off' });
  const list = h('ul', { id: 'palette-results', role: 'listbox', 'aria-label': t('search.label') });
  const status = h('p', { class: 'hint', 'aria-live': 'polite' }, t('search.hint'));
  dialog.setAttribute('aria-label', t('search.label'));
  dialog.append(h('label', { for: 'palette-input', class: 'visually-hidden' }, t('search.label')), input, list, status);
  let hits = [];
  let selected = 0;
  let seq = 0;

  const select = (i) => {
    selected = Math.max(0, Math.min(hits.length - 1, i));
    markActive(input, list, selected);
  };
  const open = (hit) => {
    dialog.close();
    location.hash = recordHash(hit.kind, hit.id);
  };
  const run = async () => {
    const query = input.value;
    const mine = ++seq;
    if (!query.trim()) {
      hits = [];
      clear(list);
      input.removeAttribute('aria-activedescendant');
      status.textContent = t('search.hint');
      return;
    }
    try {
      const results = await api.search(query, 20);
      if (mine !== seq) return;
      hits = results.hits;
      clear(list);
      hits.forEach((hit, i) => list.append(h('li', { id: `hit-${i}`, role: 'option', 'aria-selected': 'false',
        onclick: () => open(hit) },
        h('span', {}, hit.title),
        h('span', { class: 'item-meta' }, `${label('kind', hit.kind)} · ${t('search.matched', { field: t(FIELD_LABELS[hit.matchedField] || 'f.notes').toLowerCase() })}`))));
      status.textContent = hits.length
        ? (results.total > hits.length ? t('search.more', { shown: formatCount(hits.length), total: formatCount(results.total) }) : t('search.hint'))
        : t('search.none', { q: query });
      select(0);
    } catch {
      status.textContent = t('err.internal');
    }
  };
  input.addEventListener('input', run);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') { e.preventDefault(); select(selected + 1); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); select(selected - 1); }
    else if (e.key === 'Enter') { e.preventDefault(); if (hits[selected]) open(hits[selected]); }
    // A search field may keep Esc for itself (WebKit clears it): Esc closes the palette.
    else if (e.key === 'Escape') { e.preventDefault(); dialog.close(); }
  });
  showModal(dialog);
  input.focus();
}
