// Small shared pieces: toasts, dialogs, links to records, badges, page headings.

import { h, clear } from '../dom.js';
import { t, label, message } from '../i18n.js';
import { recordHash, isExternalHref } from '../logic.js';
import { formatDays } from '../format.js';

let toastTimer = null;

/** A short message in the corner, read out by screen readers. */
export function toast(text) {
  const el = document.getElementById('toast');
  el.textContent = text;
  el.classList.add('show');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => el.classList.remove('show'), 3500);
}

/** Opens the shared dialog with `content` and buttons; resolves with the chosen value. */
export function openDialog({ title, content = [], buttons }) {
  const dialog = document.getElementById('dialog');
  clear(dialog);
  return new Promise((resolve) => {
    const close = (value) => {
      dialog.close();
      resolve(value);
    };
    const headingId = 'dialog-title';
    dialog.setAttribute('aria-labelledby', headingId);
    dialog.append(
      h('h2', { id: headingId }, title),
      ...content,
      h('div', { class: 'actions' }, buttons.map((b) => h('button', {
        type: 'button', class: b.class || '', onclick: () => close(b.value === undefined ? b.onValue?.() : b.value),
      }, b.label))),
    );
    dialog.addEventListener('cancel', () => resolve(null), { once: true });
    dialog.showModal();
    // A field first; else the safe button of a destructive choice; else the main action.
    const field = dialog.querySelector('textarea, select, input');
    const destructive = dialog.querySelector('button.danger');
    (field || (destructive ? dialog.querySelector('button') : dialog.querySelector('button.primary')))?.focus();
  });
}

/** Yes/no confirmation; resolves true when confirmed. */
export async function confirmDialog(text, { confirmLabel = t('action.confirm'), danger = false, extra = [] } = {}) {
  const chosen = await openDialog({
    title: t('confirm.title'),
    content: [h('p', {}, text), ...extra],
    buttons: [
      { label: t('action.cancel'), value: false },
      { label: confirmLabel, value: true, class: danger ? 'danger primary' : 'primary' },
    ],
  });
  return chosen === true;
}

/** Shows an error that belongs to no field. */
export function showError(err) {
  toast(message(err?.code || 'internal', err?.params || {}));
}

export function recordLink(ref) {
  if (!ref) return t('none');
  return h('a', { href: recordHash(ref.kind, ref.id) }, ref.title || t('none'));
}

/**
 * A link that leaves the app (a website, an e-mail, a phone) when `href` is one the system may
 * open; otherwise just the text. The document's click guard in main.js hands it to the system.
 */
export function externalLink(href, text = href) {
  return href && isExternalHref(href) ? h('a', { href, class: 'external' }, text) : text;
}

export function joinLinks(refs) {
  const out = [];
  (refs || []).forEach((r, i) => {
    if (i) out.push(', ');
    out.push(recordLink(r));
  });
  return out.length ? out : [t('none')];
}

/**
 * Makes option `index` of a listbox the chosen one of the combobox `input` that controls it
 * (aria-selected, aria-activedescendant) and scrolls it into view.
 */
export function markActive(input, list, index) {
  [...list.children].forEach((li, n) => li.setAttribute('aria-selected', String(n === index)));
  const current = list.children[index];
  if (current) {
    input.setAttribute('aria-activedescendant', current.id);
    current.scrollIntoView({ block: 'nearest' });
  } else {
    input.removeAttribute('aria-activedescendant');
  }
}

export function badge(text, tone = '') {
  return h('span', { class: `badge ${tone}`.trim() }, text);
}

export function statusBadge(group, value) {
  const tone = {
    'commitmentStatus.done': 'ok', 'commitmentStatus.cancelled': 'muted', 'commitmentStatus.inProgress': 'warn',
    'agreementStatus.inForce': 'ok', 'agreementStatus.signed': 'ok', 'agreementStatus.concluded': 'muted',
    'agreementStatus.rescinded': 'muted', 'relationship.activeCollaboration': 'ok', 'relationship.inactive': 'muted',
  }[`${group}.${value}`] || '';
  return badge(label(group, value), tone);
}

/** The day-count badge of a commitment or agreement. */
export function daysBadge(days, { ended = false, warnWithin = 14 } = {}) {
  if (days === null || days === undefined) return null;
  const tone = days < 0 ? 'danger' : days <= warnWithin ? 'warn' : 'muted';
  return badge(formatDays(days, { ended }), tone);
}

export function pageHead(title, subtitle, actions = []) {
  return h('div', { class: 'page-head' },
    h('div', {}, h('h1', {}, title), subtitle ? h('p', { class: 'subtitle' }, subtitle) : null),
    h('div', { class: 'actions' }, actions));
}

export function card(title, ...body) {
  return h('section', { class: 'card', 'aria-label': title }, h('h2', {}, title), ...body);
}

export function items(list, render, emptyText = t('home.emptySection')) {
  if (!list || !list.length) return h('p', { class: 'empty' }, emptyText);
  return h('ul', { class: 'items' }, list.map((item) => h('li', {}, render(item))));
}
