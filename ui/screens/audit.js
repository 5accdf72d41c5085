// The audit log (bitácora) screen: who did what to which record, and when, newest first;
// filtered by record, kind of event and days; with whether its hash chain verifies.

import { h, clear } from '../dom.js';
import { t, message } from '../i18n.js';
import * as api from '../api.js';
import { pageHead, items, confirmDialog, showError } from '../widgets/ui.js';
import { Form } from '../widgets/form.js';
import { ENUMS } from '../enums.js';
import { entryLine, verdict } from '../flows/audit.js';
import { eraseForGood } from '../flows/erase.js';

const FILTER = [
  { name: 'event', type: 'select', group: 'auditEvent', values: ['all', ...ENUMS.auditEvent] },
  { name: 'from', type: 'date' },
  { name: 'to', type: 'date' },
];

/** The audit log screen; `record` narrows it to one record's entries. */
export async function renderAudit(main, record) {
  const form = new Form(FILTER, { event: 'all', from: null, to: null }, {});
  const results = h('div', {});
  const formError = h('p', { class: 'form-error', role: 'alert' });
  const query = () => {
    const v = form.read();
    return { record, events: v.event === 'all' ? [] : [v.event], from: v.from, to: v.to };
  };
  const show = async () => {
    formError.textContent = '';
    form.clearErrors();
    try {
      const view = await api.auditLog(query());
      clear(results).append(
        verdict(view.verification),
        h('p', { class: 'muted', 'data-matched': view.matched },
          view.matched > view.rows.length ? t('audit.shownOf', { n: view.rows.length, of: view.matched }) : t('audit.matched', { n: view.matched })),
        items(view.rows, (row) => entryLine(row, { onErase }), t('audit.none')),
      );
    } catch (err) {
      if (err.kind === 'invalid') formError.textContent = form.showErrors(err.violations).map((v) => message(v.code, v.params)).join(' ');
      else formError.textContent = message(err.code, err.params);
    }
  };
  // A person deleted earlier, erased for good now that she asks for it.
  const onErase = async (row) => {
    const sure = await confirmDialog(t('erase.confirmDeleted'), { danger: true, confirmLabel: t('erase.fromBackups'), extra: [h('p', { class: 'hint' }, t('erase.explain'))] });
    if (!sure) return;
    try {
      await eraseForGood(row.record.id, null, null);
    } catch (err) {
      showError(err);
    }
    await show();
  };
  const formEl = h('form', { class: 'record filters', novalidate: true, 'aria-label': t('audit.filters') },
    form.elements(), formError,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('audit.apply'))));
  formEl.addEventListener('submit', (e) => {
    e.preventDefault();
    show();
  });
  const only = record
    ? h('p', {}, t('audit.onlyRecord'), ' ', h('a', { href: '#/audit' }, t('audit.allRecords')))
    : null;
  main.append(pageHead(t('audit.title'), t('audit.subtitle')), h('section', { class: 'card' }, only, formEl), h('section', { class: 'card', 'aria-label': t('audit.entries') }, results));
  await show();
}

