// The passphrase forms: a form that sends secrets and shows errors at their fields, the
// recovery key shown once, and the settings' security card (encrypt a store from before,
// change the passphrase, lock now).

import { h, clear } from '../dom.js';
import { t, message } from '../i18n.js';
import * as api from '../api.js';
import { card, confirmDialog, pageHead, toast } from '../widgets/ui.js';
import { secretForm } from '../widgets/form.js';
export const NEW_PASSPHRASE = [
  { name: 'passphrase', type: 'password', autocomplete: 'new-password', required: true, full: true, hint: 'security.passphraseHint' },
  { name: 'confirmation', type: 'password', autocomplete: 'new-password', required: true, full: true },
];


/** The recovery key, shown once, with what to do with it; `next` continues. */
export function showRecoveryKey(target, key, next) {
  const noted = h('input', { type: 'checkbox', id: 'recovery-noted' });
  const go = h('button', { type: 'button', class: 'primary', id: 'recovery-continue', disabled: true, onclick: next }, t('action.continue'));
  noted.addEventListener('change', () => { go.disabled = !noted.checked; });
  clear(target).append(
    pageHead(t('security.recoveryTitle')),
    h('section', { class: 'card recovery-key' },
      h('p', {}, t('security.recoveryBody')),
      h('p', { class: 'key', id: 'recovery-key', translate: 'no' }, key),
      h('p', {}, t('security.recoveryOnce')),
      h('div', { class: 'actions' },
        h('button', { type: 'button', onclick: () => window.print() }, t('security.print')),
        h('label', { class: 'check', for: 'recovery-noted' }, noted, t('security.noted')),
        go)));
  go.focus();
}

/** The settings' security card: encrypt a plain store, or change the passphrase and lock. */
export function securityCard(status, refresh, lock) {
  if (status.protection === 'plain') {
    const body = h('div', {});
    body.append(h('p', {}, t('security.plainBody')), secretForm(NEW_PASSPHRASE, {
      id: 'protect-form',
      label: t('security.protect'),
      submit: t('security.protect'),
      before: () => confirmDialog(t('security.confirmProtect', { n: status.records }), { confirmLabel: t('security.protect') }),
      send: (v) => {
        toast(t('security.protecting', { n: status.records }));
        return api.setPassphrase(v.passphrase, v.confirmation);
      },
      done: (r) => showRecoveryKey(clear(body), r.recoveryKey, refresh),
    }));
    return Object.assign(card(t('security.title'), body), { id: 'security' });
  }
  const change = secretForm([
    { name: 'current', type: 'password', required: true, full: true },
    { name: 'newPassphrase', type: 'password', autocomplete: 'new-password', required: true, full: true, hint: 'security.passphraseHint' },
    { name: 'confirmation', type: 'password', autocomplete: 'new-password', required: true, full: true },
  ], {
    id: 'change-passphrase-form',
    label: t('security.change'),
    submit: t('security.change'),
    send: (v) => api.changePassphrase(v.current, v.newPassphrase, v.confirmation),
    done: () => {
      toast(t('security.changed'));
      refresh();
    },
  });
  return Object.assign(card(t('security.title'),
    h('p', {}, t('security.encryptedBody')),
    h('div', { class: 'actions' }, h('button', { type: 'button', id: 'lock-now', onclick: lock }, t('security.lockNow'))),
    h('h3', {}, t('security.change')),
    change), { id: 'security' });
}
