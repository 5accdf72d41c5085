// Marking a commitment done: the evidence asked for in a dialog, then saved.

import { h } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { commitmentLine } from '../widgets/commitment-line.js';
import { toast, showError, openDialog } from '../widgets/ui.js';

/** Asks for the evidence note, marks the commitment done and calls `onChanged`. */
export async function markDone(id, onChanged) {
  try {
    const current = await api.getCommitment(id);
    const evidence = h('textarea', { id: 'evidence-input' });
    evidence.value = current.evidence || '';
    const chosen = await openDialog({
      title: t('action.markDone'),
      content: [h('p', {}, current.description), h('div', { class: 'field' }, h('label', { for: 'evidence-input' }, t('f.evidence')), evidence)],
      buttons: [
        { label: t('action.cancel'), value: null },
        { label: t('action.markDone'), class: 'primary', onValue: () => evidence.value },
      ],
    });
    if (chosen === null || chosen === undefined) return;
    await api.saveCommitment({ ...current, status: 'done', evidence: chosen });
    toast(t('saved'));
    onChanged?.();
  } catch (err) {
    showError(err);
    onChanged?.();
  }
}

/** A commitment's line whose "mark done" marks it done, then calls `onChanged`. */
export function commitmentRow(item, onChanged, options) {
  return commitmentLine(item, (id) => markDone(id, onChanged), options);
}
