// Settings: language, paper and header of briefing notes, the lock, the passphrase, the
// office's shared folder, backups,
// export and import of everything, the office's files in and out, the sample data, and where
// the data lives.

import { h } from '../dom.js';
import { t, message } from '../i18n.js';
import * as api from '../api.js';
import { pageHead, toast } from '../widgets/ui.js';
import { Form } from '../widgets/form.js';
import { backupsCard, transferCard } from '../flows/backups.js';
import { loadSample, removeSample } from '../flows/sample.js';
import { securityCard } from '../flows/security.js';
import { filesCard } from '../flows/files.js';
import { sharingCard } from '../flows/sharing.js';

/** The settings form's fields. */
export const SETTINGS = [
  { name: 'language', type: 'select', group: 'language', values: ['es', 'en'] },
  { name: 'paper', type: 'select', group: 'paper', values: ['letter', 'a4'] },
  { name: 'noteMeetings', type: 'number', hint: 'settings.noteMeetingsHint' },
  { name: 'noteAgreements', type: 'number', hint: 'settings.noteAgreementsHint' },
  { name: 'institution', full: true, required: true },
  { name: 'area', full: true, required: true },
  { name: 'openAfterExport', type: 'checkbox', full: true },
  { name: 'lockAfterMinutes', type: 'number', hint: 'security.lockAfterHint' },
  { name: 'userName', full: true, required: true, hint: 'settings.userNameHint' },
];

/**
 * `onSaved(settings)` puts saved settings in force (language, lock); `lock` locks the window.
 */
export async function renderSettings(main, onSaved, refresh, lock) {
  const [settings, info, status] = await Promise.all([api.getSettings(), api.appInfo(), api.storeStatus()]);
  const form = new Form(SETTINGS, settings, {});
  const formError = h('p', { class: 'form-error', role: 'alert' });
  const formEl = h('form', { class: 'record', novalidate: true, 'aria-label': t('settings.title') },
    form.elements(), formError,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('action.save'))));
  formEl.addEventListener('submit', async (e) => {
    e.preventDefault();
    formError.textContent = '';
    const local = form.localErrors();
    if (local.length) {
      form.showErrors(local);
      return;
    }
    try {
      const saved = await api.saveSettings(form.read());
      onSaved(saved);
      toast(t('settings.saved'));
    } catch (err) {
      if (err.kind === 'invalid') form.showErrors(err.violations);
      else formError.textContent = message(err.code, err.params);
    }
  });
  const sample = status.records > 0
    ? h('button', { type: 'button', class: 'danger', onclick: () => removeSample(refresh) }, t('home.removeSample'))
    : h('button', { type: 'button', onclick: () => loadSample(refresh) }, t('home.loadSample'));
  main.append(
    pageHead(t('settings.title')),
    h('section', { class: 'card' }, formEl),
    securityCard(status, refresh, lock),
    await sharingCard(refresh),
    ...(await backupsCard(refresh)),
    transferCard(refresh),
    filesCard(),
    h('section', { class: 'card', 'aria-label': t('settings.sample') }, h('h2', {}, t('settings.sample')), h('p', {}, t('home.emptyStoreHint')), sample),
    h('section', { class: 'card', 'aria-label': t('settings.dataDir') }, h('h2', {}, t('settings.dataDir')), h('p', {}, h('code', {}, info.dataDir))),
  );
}
