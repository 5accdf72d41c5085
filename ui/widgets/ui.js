// Small shared pieces: toasts, dialogs, links to records, badges, page headings.

import { h, clear } from '../dom.js';
import { t, label, message } from '../i18n.js';
import { recordHash, isExternalHref } from '../logic.js';
import { formatDays } from '../format.js';
import { office } from '../office.js';

let toastTimer = null;

/**
 * A short message in the corner, read out by screen readers. It fades after a few seconds but
 * its text stays in the element until the next one replaces it.
 */
export function toast(text) {
  const el = document.getElementById('toast');
  el.textContent = text;
  el.classList.add('show');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => el.classList.remove('show'), 3500);
}

// The shared dialog's caller, waiting for its answer; `null` when no dialog is open.
let answer = null;

/** Gives the caller of the open dialog its answer (once) and closes it. */
function settle(value) {
  const dialog = document.getElementById('dialog');
  const resolve = answer;
  answer = null;
  if (dialog.open) dialog.close();
  resolve?.(value);
}

/**
 * Shows `el` (a `<dialog>`) as the one modal on screen: any other modal closes first, and the
 * caller of a dialog closed so hears `null`, as if it had been cancelled.
 */
export function showModal(el) {
  for (const open of document.querySelectorAll('dialog[open]')) {
    if (open === el) continue;
    if (open.id === 'dialog') settle(null);
    else open.close();
  }
  if (!el.open) el.showModal();
}

/** Whether a modal other than `except` is on screen. */
export function modalOpen(except = null) {
  return [...document.querySelectorAll('dialog[open]')].some((d) => d !== except);
}

/**
 * Opens the shared dialog with `content` and buttons; resolves with the chosen button's value,
 * or `null` when cancelled (Esc, closed by the browser, or another dialog opened over it). The
 * dialog's listeners are added once, whatever number of dialogs is opened.
 */
export function openDialog({ title, content = [], buttons }) {
  const dialog = document.getElementById('dialog');
  if (!dialog.dataset.wired) {
    dialog.dataset.wired = 'true';
    // Esc: the browser's cancel would close it; the caller hears null.
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      settle(null);
    });
    // Closed by the browser rather than by an answer (a browser may close a modal whose
    // cancel was refused twice without a click between): the caller hears null. The event
    // comes after the close; a dialog open again by then is the next one, still waiting.
    dialog.addEventListener('close', () => {
      if (!dialog.open) settle(null);
    });
  }
  if (answer) settle(null);
  clear(dialog);
  const headingId = 'dialog-title';
  dialog.setAttribute('aria-labelledby', headingId);
  dialog.append(
    h('h2', { id: headingId }, title),
    ...content.filter((c) => c !== null && c !== undefined),
    h('div', { class: 'actions' }, buttons.map((b) => h('button', {
      type: 'button', class: b.class || '', onclick: () => settle(b.value === undefined ? b.onValue?.() : b.value),
    }, b.label))),
  );
  const answered = new Promise((resolve) => { answer = resolve; });
  showModal(dialog);
  // A field first; else the safe button of a destructive choice; else the main action.
  const field = dialog.querySelector('textarea, select, input');
  const destructive = dialog.querySelector('button.danger');
  (field || (destructive ? dialog.querySelector('button') : dialog.querySelector('button.primary')))?.focus();
  return answered;
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

/**
 * Asks in the dialog for the values of `form` until `send(values)` takes them: its field
 * errors are shown at their fields and the dialog asked again; other errors end it (shown).
 * Resolves with what `send` returned, or null when the user cancels.
 */
export async function askUntilTaken({ title, intro, form, extra = [], submit, send }) {
  const note = h('p', { class: 'form-error', role: 'alert' });
  for (;;) {
    const chosen = await openDialog({
      title,
      content: [h('p', {}, intro), ...extra, h('div', { class: 'form-fields' }, form.elements()), note],
      buttons: [{ label: t('action.cancel'), value: null }, { label: submit, class: 'primary', value: 'go' }],
    });
    if (chosen !== 'go') return null;
    form.clearErrors();
    note.textContent = '';
    try {
      return await send(form.read());
    } catch (err) {
      if (err.kind !== 'invalid') {
        showError(err);
        return null;
      }
      const rest = form.showErrors(err.violations);
      if (rest.length) note.textContent = message(rest[0].code, rest[0].params);
    }
  }
}

/** The parts of a file that could not be read, and why; nothing when all of it was. */
export function skippedList(skipped) {
  if (!skipped?.length) return null;
  return h('div', { class: 'notice', id: 'file-skipped', role: 'status' },
    h('p', {}, t('file.skipped', { n: skipped.length })),
    h('ul', {}, skipped.map((v) => h('li', {}, message(v.code, v.params), v.params?.text ? ` «${v.params.text}»` : ''))));
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
    'activityStatus.inProgress': 'warn', 'activityStatus.concluded': 'ok', 'activityStatus.cancelled': 'muted',
  }[`${group}.${value}`] || '';
  return badge(label(group, value), tone);
}

/** The day-count badge of a commitment or agreement. */
export function daysBadge(days, { ended = false, warnWithin = office().horizonDays } = {}) {
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
