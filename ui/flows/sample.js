// Loading the sample data (the strategic allies and a short scenario) and removing it.

import { t } from '../i18n.js';
import * as api from '../api.js';
import { toast, showError, confirmDialog } from '../widgets/ui.js';

export async function loadSample(refresh) {
  try {
    const n = await api.loadSample();
    toast(t('home.sampleLoaded', { n }));
    refresh();
  } catch (err) {
    showError(err);
  }
}

export async function removeSample(refresh) {
  if (!(await confirmDialog(t('home.confirmRemoveSample'), { danger: true, confirmLabel: t('home.removeSample') }))) return;
  try {
    const report = await api.removeSample();
    toast(t('home.sampleRemoved', { n: report.deleted.length }));
    refresh();
  } catch (err) {
    showError(err);
  }
}
