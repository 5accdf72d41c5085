// Backups (list, take one, restore, go back to a version set aside), and export and import of
// everything: the cards of the settings screen, and the pieces the recovery screen and the
// empty home screen use.

import { h } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { formatBytes, formatInstant } from '../format.js';
import { card, toast, showError, confirmDialog, openDialog, askUntilTaken } from '../widgets/ui.js';
import { Form } from '../widgets/form.js';

const EXPORT_SECRET = [
  { name: 'passphrase', type: 'password', autocomplete: 'new-password', full: true, hint: 'transfer.passphraseHint' },
  { name: 'confirmation', type: 'password', autocomplete: 'new-password', full: true },
];

/** "Exportar todo": protected by a passphrase unless the user says otherwise. */
async function exportFlow() {
  const form = new Form(EXPORT_SECRET, {}, {});
  const protect = h('input', { type: 'checkbox', id: 'export-protect', checked: true });
  const fields = form.elements();
  protect.addEventListener('change', () => fields.forEach((f) => { f.hidden = !protect.checked; }));
  const done = await askUntilTaken({
    title: t('transfer.exportTitle'),
    intro: t('transfer.protectIntro'),
    extra: [h('label', { class: 'check', for: 'export-protect' }, protect, t('transfer.protect'))],
    form,
    submit: t('transfer.export'),
    send: (v) => (protect.checked
      ? api.exportAll(t('transfer.exportTitle'), v.passphrase, v.confirmation)
      : api.exportAll(t('transfer.exportTitle'))),
  });
  if (done) toast(t(protect.checked ? 'transfer.exportedProtected' : 'transfer.exported', { n: done.records, file: done.fileName }));
}

/** The passphrase of a protected file chosen for import; the preview once it opens it. */
function askImportPassphrase() {
  return askUntilTaken({
    title: t('transfer.importTitle'),
    intro: t('transfer.protectedFile'),
    form: new Form([{ name: 'passphrase', type: 'password', full: true, required: true }], {}, {}),
    submit: t('transfer.open'),
    send: (v) => api.importPassphrase(v.passphrase),
  });
}

function describe(b) {
  return t('backup.row', { when: formatInstant(b.takenAt), kind: t(`backup.kind.${b.kind}`), n: b.records, size: formatBytes(b.bytes) });
}

/** Restores backup `b` after saying what it replaces; `done()` once the new store is open. */
export async function restore(b, current, done) {
  const text = t('backup.confirmRestore', { current: current ?? '—', when: formatInstant(b.takenAt), n: b.records });
  if (!(await confirmDialog(text, { confirmLabel: t('backup.restore'), danger: true }))) return;
  try {
    const aside = await api.restoreBackup(b.name);
    toast(t(aside ? 'backup.restored' : 'backup.restoredNothingAside'));
    done();
  } catch (err) {
    showError(err);
  }
}

/** The backups in a list, each with its restore button (`current`: how many records it replaces). */
export function backupList(backups, current, refresh, attrs = {}) {
  return h('ul', { class: 'items', ...attrs }, backups.map((b) => h('li', {},
    h('span', { class: 'item-main' }, describe(b)),
    h('button', { type: 'button', class: 'small', 'aria-label': `${t('backup.restore')}: ${describe(b)}`,
      onclick: () => restore(b, current, refresh) }, t('backup.restore')))));
}

/** The backups card of the settings screen. */
export async function backupsCard(refresh) {
  const status = await api.backups();
  const body = h('div', {});
  const nowButton = h('button', { type: 'button', id: 'backup-now' }, t('backup.now'));
  nowButton.addEventListener('click', async () => {
    nowButton.disabled = true;
    try {
      const b = await api.backupNow();
      toast(t('backup.done', { n: b.records }));
      refresh();
    } catch (err) {
      showError(err);
    } finally {
      nowButton.disabled = false;
    }
  });
  body.append(
    h('p', {}, t('backup.where', { dir: status.dir, days: status.keepDays, weeks: status.keepWeeks })),
    h('p', {}, status.backups.length ? t('backup.last', { when: formatInstant(status.backups[0].takenAt) }) : t('backup.never'),
      status.backups.length && status.changedSince ? ` ${t('backup.changedSince')}` : ''),
    h('p', {}, nowButton),
  );
  if (status.backups.length) {
    body.append(backupList(status.backups, status.records, refresh, { 'aria-label': t('backup.title') }));
  }
  const section = card(t('backup.title'), body);
  section.id = 'backups';
  if (!status.setAside.length) return [section];
  const aside = card(t('backup.asideTitle'), h('p', {}, t('backup.asideHint')),
    h('ul', { class: 'items' }, status.setAside.map((a) => {
      const when = formatInstant(a.setAsideAt);
      return h('li', {},
        h('span', { class: 'item-main' }, t('backup.asideRow', { when })),
        h('button', { type: 'button', class: 'small', 'aria-label': `${t('backup.putBack')}: ${when}`, onclick: async () => {
          if (!(await confirmDialog(t('backup.confirmPutBack', { when }), { confirmLabel: t('backup.putBack'), danger: true }))) return;
          try {
            await api.restoreSetAside(a.name);
            toast(t('backup.putBackDone'));
            refresh();
          } catch (err) {
            showError(err);
          }
        } }, t('backup.putBack')));
    })));
  return [section, aside];
}

/** The export and import card of the settings screen. */
export function transferCard(refresh) {
  const exportButton = h('button', { type: 'button', id: 'export-all' }, t('transfer.export'));
  exportButton.addEventListener('click', exportFlow);
  const importButton = h('button', { type: 'button', id: 'import-file' }, t('transfer.import'));
  importButton.addEventListener('click', () => importFlow(refresh));
  const tableButton = h('a', { href: '#/import', class: 'button', id: 'import-table' }, t('transfer.importTable'));
  return card(t('transfer.title'), h('p', {}, t('transfer.hint')), h('div', { class: 'actions start' }, exportButton, importButton),
    h('p', {}, t('transfer.tableHint')), h('div', { class: 'actions start' }, tableButton));
}

/** Reads a file, shows what importing it would do, and imports it as the user chose. */
async function importFlow(refresh) {
  let preview;
  try {
    preview = await api.importOpen(t('transfer.importTitle'));
  } catch (err) {
    if (err.code !== 'passphraseNeeded') {
      showError(err);
      return;
    }
    preview = await askImportPassphrase();
    if (!preview) api.importCancel().catch(() => {});
  }
  if (!preview) return;
  const { plan } = preview;
  const take = plan.conflicts.map((c) => ({ id: c.record.id, box: h('input', { type: 'checkbox', id: `take-${c.record.id}` }), title: c.record.title }));
  const merge = plan.duplicates.map((d) => ({ id: d.incoming.id, box: h('input', { type: 'checkbox', id: `merge-${d.incoming.id}` }), d }));
  const checks = (list, label) => h('ul', { class: 'plain' }, list.map((x) => h('li', {}, h('label', { class: 'check', for: x.box.id }, x.box, label(x)))));
  const content = [
    h('p', {}, t('import.summary', { total: plan.total, when: formatInstant(preview.exportedAt) })),
    h('ul', {}, [
      h('li', {}, t('import.added', { n: plan.added })),
      h('li', {}, t('import.updated', { n: plan.updated.length })),
      h('li', {}, t('import.unchanged', { n: plan.unchanged })),
      h('li', {}, t('import.older', { n: plan.older })),
    ]),
    take.length ? [h('p', {}, t('import.conflicts')), checks(take, (x) => t('import.takeIncoming', { title: x.title }))] : null,
    merge.length ? [h('p', {}, t('import.duplicates')), checks(merge, (x) => t('import.merge', {
      incoming: x.d.incoming.title, existing: x.d.existing.title, why: t(`import.why.${x.d.likeness}`) + (x.d.likeness === 'sameFolio' ? t('import.folioRenamed') : ''),
    }))] : null,
  ].flat().filter(Boolean);
  const choice = await openDialog({
    title: t('import.title', { file: preview.fileName }),
    content,
    buttons: [
      { label: t('action.cancel'), value: null },
      { label: t('import.apply'), class: 'primary', value: 'import' },
    ],
  });
  if (choice !== 'import') {
    api.importCancel().catch(() => {});
    return;
  }
  const choices = {
    merge: merge.filter((x) => x.box.checked).map((x) => x.id),
    takeIncoming: take.filter((x) => x.box.checked).map((x) => x.id),
  };
  toast(t('import.progress.checking', { done: 0, of: plan.total }));
  // The channel's last message can come after the command's answer: once it has answered,
  // progress no longer shows, so it never covers the result.
  let answered = false;
  const progress = (p) => {
    if (!answered) toast(t(`import.progress.${p.step}`, { done: p.done, of: p.of }));
  };
  try {
    const report = await api.importApply(choices, progress);
    answered = true;
    toast(t('import.done', report));
    refresh();
  } catch (err) {
    answered = true;
    showError(err);
  }
}

/** On an empty home screen with backups on disk: offer the newest (data lost to damage). */
export async function restoreOffer(refresh) {
  const status = await api.backups();
  const newest = status.backups[0];
  if (!newest) return null;
  return h('section', { class: 'card', id: 'restore-offer' },
    h('p', {}, t('home.restoreOffer', { when: formatInstant(newest.takenAt), n: newest.records })),
    h('button', { type: 'button', class: 'primary', onclick: () => restore(newest, 0, refresh) }, t('home.restoreNewest')));
}

