// Documents attached to a record: the card on its page (open, attach, remove) and opening one
// in the system's program for it. Rust asks for the file, keeps it and opens it.

import { h } from '../dom.js';
import { t, message } from '../i18n.js';
import * as api from '../api.js';
import { formatBytes, formatInstant } from '../format.js';
import { recordHash } from '../logic.js';
import { card, items, toast, showError, confirmDialog } from '../widgets/ui.js';

/** Opens document `id` in the system's viewer; says so when the system has no program for it. */
export async function openDocument(id) {
  try {
    const opened = await api.openDocument(id);
    toast(t(opened.openFailed ? 'documents.noViewer' : 'documents.opened'));
  } catch (err) {
    showError(err);
  }
}

/** "2.4 MB · 24 nov 2026, 14:05 · a note": what a document's line says under its name. */
export function documentMeta(d, note = '') {
  return [formatBytes(d.size), formatInstant(d.attachedAt), note].filter(Boolean).join(' · ');
}

/** One document: its name opens it; its page, and removing it, beside. */
function documentLine(d, remove) {
  return [
    h('div', { class: 'item-main' },
      h('button', { type: 'button', class: 'link', 'data-document': d.id, onclick: () => openDocument(d.id) }, d.title),
      h('div', { class: 'item-meta' }, documentMeta(d))),
    h('div', { class: 'item-side' },
      h('a', { href: recordHash('document', d.id), 'aria-label': t('documents.details', { name: d.title }) }, t('documents.detailsShort')),
      h('button', { type: 'button', class: 'danger', 'aria-label': t('documents.remove', { name: d.title }), onclick: () => remove(d) }, t('action.remove'))),
  ];
}

/** The documents of record `id` on its page, with the button that attaches another. */
export async function documentsCard(id, refresh) {
  const list = await api.documents(id);
  const error = h('p', { class: 'form-error', role: 'alert', id: 'document-error' });
  const remove = async (d) => {
    if (!(await confirmDialog(t('documents.confirmRemove', { name: d.title }), { danger: true, confirmLabel: t('action.remove') }))) return;
    try {
      await api.deleteDocument(d.id, d.revision);
      toast(t('documents.removed'));
    } catch (err) {
      showError(err);
    }
    refresh();
  };
  const attach = h('button', { type: 'button', id: 'attach-document' }, t('documents.attach'));
  attach.addEventListener('click', async () => {
    error.textContent = '';
    attach.disabled = true;
    try {
      const attached = await api.attachDocument(id, t('documents.dialog'));
      if (attached) {
        toast(t('documents.attached', { name: attached.name }));
        refresh();
      }
    } catch (err) {
      // A file over the limit, or one the disk would not give: said here, beside the button.
      error.textContent = message(err.code, err.params);
    } finally {
      attach.disabled = false;
    }
  });
  return card(t('section.documents'),
    items(list, (d) => documentLine(d, remove), t('documents.none')),
    h('p', { class: 'hint' }, t('documents.limit')),
    h('div', { class: 'actions' }, attach),
    error);
}
