// Exporting a PDF: a button and "open when done" — the briefing note on a meeting's page, the
// ficha on an organization's, the informe del titular (ARCO access) on a person's. Rust
// renders the PDF, asks where to save it and writes it.

import { h } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { toast, showError } from '../widgets/ui.js';

/** What each page exports: its button's words and the command. */
const EXPORTS = {
  meeting: { button: 'export.button', dialog: 'export.dialogTitle', run: api.exportBriefing },
  organization: { button: 'export.buttonOrg', dialog: 'export.dialogTitle', run: api.exportBriefing },
  contact: { button: 'export.buttonTitular', dialog: 'export.dialogTitular', run: api.titularReport },
};

/**
 * The export control for record `id` of `kind`. "Open when done" is
 * a setting (kept with the others in the data folder), saved as soon as it is changed; Rust
 * reads it when it exports, so an export waits for that save.
 */
export async function exportControl(id, kind) {
  const what = EXPORTS[kind];
  const settings = await api.getSettings();
  const openAfter = h('input', { type: 'checkbox', id: 'export-open-after', checked: settings.openAfterExport });
  let saving = Promise.resolve();
  openAfter.addEventListener('change', () => {
    saving = (async () => {
      try {
        await api.saveSettings({ ...(await api.getSettings()), openAfterExport: openAfter.checked });
      } catch (err) {
        showError(err);
      }
    })();
  });
  const button = h('button', { type: 'button', class: 'primary', id: 'export-briefing' }, t(what.button));
  button.addEventListener('click', async () => {
    const label = button.textContent;
    button.disabled = true;
    button.textContent = t('export.working');
    try {
      await saving;
      const done = await what.run(id, t(what.dialog));
      if (done) {
        const saved = t('export.done', { file: done.fileName, pages: done.pages });
        toast(done.openFailed ? `${saved} ${t('export.savedNotOpened')}` : saved);
      }
    } catch (err) {
      showError(err);
    } finally {
      button.disabled = false;
      button.textContent = label;
    }
  });
  return h('div', { class: 'export' }, button,
    h('label', { class: 'check', for: 'export-open-after' }, openAfter, t('export.openAfter')));
}
