// The screen shown when the store is damaged: the newest backup first, or an empty start.

import { h } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { formatInstant } from '../format.js';
import { card, showError, confirmDialog } from '../widgets/ui.js';
import { restore, backupList } from '../flows/backups.js';

export async function renderRecovery(target, refresh) {
  const status = await api.backups();
  const [newest, ...others] = status.backups;
  const actions = h('div', { class: 'actions recovery-actions' });
  if (newest) {
    actions.append(h('button', { type: 'button', class: 'primary', id: 'restore-newest', onclick: () => restore(newest, null, refresh) },
      t('recovery.newest', { when: formatInstant(newest.takenAt), n: newest.records })));
  }
  actions.append(h('button', { type: 'button', id: 'start-fresh', onclick: async () => {
    if (!(await confirmDialog(t('recovery.confirmFresh'), { confirmLabel: t('recovery.fresh'), danger: true }))) return;
    try {
      await api.startFresh();
      refresh();
    } catch (err) {
      showError(err);
    }
  } }, t('recovery.fresh')));
  target.append(h('section', { class: 'card unavailable', role: 'alert' },
    h('h1', {}, t('recovery.title')),
    h('p', {}, t('recovery.body')),
    newest ? null : h('p', {}, t('recovery.none', { dir: status.dir })),
    actions));
  if (others.length) {
    target.append(card(t('recovery.others'), backupList(others, null, refresh)));
  }
}
