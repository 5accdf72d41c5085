// The screens of a window that is not open yet: the first start (protect the data before
// anything is written) and the locked window (the passphrase, or the recovery key).

import { h } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { pageHead } from '../widgets/ui.js';
import { NEW_PASSPHRASE, showRecoveryKey } from '../flows/security.js';
import { secretForm } from '../widgets/form.js';

/** The first start: no data yet; a passphrase protects what will be written. */
export function renderSetup(target, refresh) {
  target.append(
    pageHead(t('security.setupTitle')),
    h('section', { class: 'card' },
      h('p', {}, t('security.setupBody')),
      secretForm(NEW_PASSPHRASE, {
        id: 'setup-form',
        label: t('security.setupTitle'),
        submit: t('security.setupSubmit'),
        send: (v) => api.setPassphrase(v.passphrase, v.confirmation),
        done: (r) => showRecoveryKey(target, r.recoveryKey, refresh),
      })));
}

/** The locked window: the passphrase, or the recovery key. */
export function renderUnlock(target, refresh) {
  const withPassphrase = secretForm([{ name: 'passphrase', type: 'password', required: true, full: true }], {
    id: 'unlock-form',
    label: t('security.unlockTitle'),
    submit: t('security.unlock'),
    send: (v) => api.unlock({ passphrase: v.passphrase }),
    done: refresh,
    unavailable: refresh,
  });
  const withRecovery = secretForm([{ name: 'recoveryKey', full: true, required: true, hint: 'security.recoveryKeyHint' }], {
    id: 'recovery-form',
    label: t('security.useRecovery'),
    submit: t('security.unlock'),
    send: (v) => api.unlock({ recoveryKey: v.recoveryKey }),
    done: refresh,
    unavailable: refresh,
  });
  withRecovery.hidden = true;
  const toggle = h('button', { type: 'button', class: 'link', id: 'use-recovery', 'aria-expanded': 'false' }, t('security.useRecovery'));
  toggle.addEventListener('click', () => {
    const recovering = withRecovery.hidden;
    withRecovery.hidden = !recovering;
    withPassphrase.hidden = recovering;
    toggle.setAttribute('aria-expanded', String(recovering));
    toggle.textContent = t(recovering ? 'security.usePassphrase' : 'security.useRecovery');
    (recovering ? withRecovery : withPassphrase).querySelector('input')?.focus();
  });
  target.append(
    pageHead(t('security.unlockTitle')),
    h('section', { class: 'card' }, h('p', {}, t('security.unlockBody')), withPassphrase, withRecovery, toggle));
}

