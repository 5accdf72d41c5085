// Importing a spreadsheet (Ajustes → Importar hoja de cálculo): choose the file, then the sheet
// and what its rows are, map each column to a field over the sheet's first rows, review what
// each row will do, and import it all at once. Rust reads the file, guesses and remembers the
// mapping, plans and imports (core: exchange/table/). A vCard file of contacts (Ajustes →
// Importar contactos) takes the same way: one sheet of people, one card a row, its columns'
// fields given by the file.

import { h, clear } from '../dom.js';
import { t, message } from '../i18n.js';
import * as api from '../api.js';
import { pageHead, card, toast, showError, badge, recordLink, skippedList } from '../widgets/ui.js';
import { mappingErrors } from '../logic.js';

/** How many rows of the plan are listed (the counts cover them all). */
const PLAN_ROWS = 300;

const ACTION_TONE = { create: 'ok', merge: 'warn', unchanged: 'muted', refuse: 'danger' };

/** A field's name in the interface. */
const fieldLabel = (name) => t(`f.${name}`);

/** The words of the screen for a spreadsheet or (`vcard`) a vCard file. */
const WORDS = {
  table: { title: 'table.title', subtitle: 'table.subtitle', hint: 'table.fileHint', dialog: 'table.dialogTitle' },
  vcard: { title: 'vcard.title', subtitle: 'vcard.subtitle', hint: 'vcard.fileHint', dialog: 'vcard.dialogTitle' },
};

export async function renderTableImport(main, vcard = false) {
  const words = WORDS[vcard ? 'vcard' : 'table'];
  const step = h('div', {});
  const choose = h('button', { type: 'button', class: 'primary', id: 'table-choose' }, t('table.choose'));
  choose.addEventListener('click', async () => {
    choose.disabled = true;
    try {
      const file = await api.tableOpen(t(words.dialog), vcard);
      if (file) await showFile(step, file);
    } catch (err) {
      clear(step).append(h('p', { class: 'form-error', role: 'alert', id: 'table-file-error' }, message(err.code, err.params)));
    } finally {
      choose.disabled = false;
    }
  });
  main.append(
    pageHead(t(words.title), t(words.subtitle)),
    card(t('table.fileTitle'), h('p', {}, t(words.hint)), h('p', {}, choose)),
    step,
  );
}

/** The mapping step for a file read: sheet, target, headers, a field per column, the review. */
async function showFile(step, file) {
  const sheetSelect = h('select', { id: 'table-sheet' },
    file.sheets.map((s, i) => h('option', { value: String(i) }, t('table.sheetOption', { name: s.name || file.fileName, n: s.rows }))));
  const targetSelect = h('select', { id: 'table-target' },
    file.targets.map((v) => h('option', { value: v }, t(`table.target.${v}`))));
  const headersBox = h('input', { type: 'checkbox', id: 'table-headers', checked: true });
  // Where the table begins, as the spreadsheet numbers its rows: guessed, and the user's to change.
  const startInput = h('input', { type: 'number', id: 'table-start', min: '1', value: String(file.sheets[0].start), 'aria-describedby': 'table-start-error' });
  const startError = h('span', { class: 'field-error', id: 'table-start-error' });
  const grid = h('div', { class: 'table-scroll' });
  const review = h('div', { id: 'table-review' });
  const note = h('p', { class: 'form-error', role: 'alert', id: 'table-mapping-error' });
  const reviewButton = h('button', { type: 'button', class: 'primary', id: 'table-plan' }, t('table.review'));
  let selects = [];

  const request = () => ({
    sheet: Number(sheetSelect.value),
    target: targetSelect.value,
    headers: headersBox.checked,
    start: Number(startInput.value) || null,
    mapping: selects.map((s) => s.value || null),
  });
  const stale = () => {
    clear(review);
    note.textContent = '';
    selects.forEach((s) => { s.removeAttribute('aria-invalid'); s.nextElementSibling.textContent = ''; });
  };
  const drawGrid = async () => {
    stale();
    startError.textContent = '';
    startInput.removeAttribute('aria-invalid');
    let offer;
    try {
      offer = await api.tableOffer(Number(sheetSelect.value), targetSelect.value, headersBox.checked, Number(startInput.value) || null);
    } catch (err) {
      if (err.field !== 'start') throw err;
      startInput.setAttribute('aria-invalid', 'true');
      startError.textContent = message(err.code, err.params);
      return;
    }
    startInput.value = String(offer.start);
    selects = offer.headers.map((header, i) => {
      const select = h('select', { id: `table-col-${i}`, 'aria-label': t('table.columnField', { n: i + 1, header: header || '—' }) },
        h('option', { value: '' }, t('table.skip')),
        offer.fields.map((f) => h('option', { value: f.name, selected: offer.mapping[i] === f.name }, fieldLabel(f.name))));
      select.addEventListener('change', stale);
      return select;
    });
    const body = offer.first.slice(headersBox.checked ? 1 : 0);
    clear(grid).append(h('table', { class: 'list mapping' },
      h('thead', {},
        h('tr', {}, offer.headers.map((header, i) => h('th', { scope: 'col' }, header || t('table.column', { n: i + 1 })))),
        h('tr', {}, selects.map((s) => h('th', {}, s, h('span', { class: 'field-error' }))))),
      h('tbody', {}, body.map((row) => h('tr', {}, offer.headers.map((_, i) => h('td', {}, row[i] ?? '')))))));
  };
  const redraw = () => drawGrid().catch(showError);
  // Another sheet starts as the kind of record its rows most likely are.
  sheetSelect.addEventListener('change', () => {
    const sheet = file.sheets[Number(sheetSelect.value)];
    targetSelect.value = sheet.target;
    startInput.value = String(sheet.start);
    redraw();
  });
  targetSelect.addEventListener('change', redraw);
  headersBox.addEventListener('change', redraw);
  startInput.addEventListener('change', redraw);

  reviewButton.addEventListener('click', async () => {
    stale();
    reviewButton.disabled = true;
    try {
      const plan = await api.tablePlan(request());
      showPlan(review, plan, request(), file);
    } catch (err) {
      // Anything but a mapping the core refused (a locked store, a file gone) is told as such.
      if (err.kind !== 'invalid') { showError(err); return; }
      const { columns, rest } = mappingErrors(err.violations);
      for (const [i, v] of columns) {
        selects[i]?.setAttribute('aria-invalid', 'true');
        if (selects[i]) selects[i].nextElementSibling.textContent = message(v.code, v.params);
      }
      if (rest.length) {
        const v = rest[0];
        note.textContent = v.field === 'mapping' && v.code === 'required'
          ? t('table.needsNaming', { field: fieldLabel(v.params.field) })
          : message(v.code, v.params);
      }
    } finally {
      reviewButton.disabled = false;
    }
  });

  targetSelect.value = file.sheets[0].target;
  await drawGrid();
  // A vCard file has one sheet of people whose columns the file itself names.
  const cards = file.format === 'vcard';
  clear(step).append(
    card(t('table.mapTitle', { file: file.fileName }),
      skippedList(file.skipped),
      cards ? null : h('div', { class: 'form-fields' },
        h('label', { class: 'field', for: 'table-sheet' }, h('span', {}, t('table.sheet')), sheetSelect),
        h('label', { class: 'field', for: 'table-target' }, h('span', {}, t('table.targetLabel')), targetSelect),
        h('label', { class: 'field', for: 'table-start' }, h('span', {}, t('table.start')), startInput, startError)),
      cards ? null : h('p', {}, h('label', { class: 'check', for: 'table-headers' }, headersBox, t('table.headers'))),
      h('p', { class: 'muted' }, t(cards ? 'vcard.mapHint' : 'table.mapHint')),
      grid, note,
      h('div', { class: 'actions start' }, reviewButton,
        h('button', { type: 'button', onclick: () => { api.importCancel().catch(() => {}); location.hash = '#/settings'; } }, t('action.cancel')))),
    review,
  );
}

/** What a plan row says beside its action. */
function rowDetail(row, cards) {
  if (row.action === 'refuse') {
    return row.violations.map((v) => {
      const value = v.params?.value ? ` «${v.params.value}»` : '';
      return `${fieldLabel(v.field)}${value}: ${message(v.code, v.params)}`;
    }).join(' ');
  }
  const with_ = row.existing ? [recordLink(row.existing)] : row.sameAsRow
    ? [t(cards ? 'vcard.sameAsCard' : 'table.sameAsRow', { n: row.sameAsRow })] : [];
  if (!with_.length) return '';
  const why = row.likeness ? ` (${t(`import.why.${row.likeness}`)})` : '';
  const fields = row.fields.length ? ` ${t('table.fields', { fields: row.fields.map(fieldLabel).join(', ') })}` : '';
  return [t(row.action === 'merge' ? 'table.mergeWith' : 'table.sameAs'), ' ', ...with_, `${why}.${fields}`];
}

/** The review: counts, organizations to be made, each row's fate, and the import button. */
function showPlan(review, plan, request, file) {
  const rows = plan.rows.slice(0, PLAN_ROWS);
  const cards = file.format === 'vcard';
  const go = h('button', { type: 'button', class: 'primary', id: 'table-import', disabled: plan.written === 0 },
    t('table.import', { n: plan.written }));
  const status = h('p', { role: 'status', id: 'table-progress' });
  go.addEventListener('click', async () => {
    go.disabled = true;
    // The channel's last message can come after the answer: once answered, progress stops.
    let answered = false;
    const progress = (p) => {
      if (!answered) status.textContent = t(`import.progress.${p.step}`, { done: p.done, of: p.of });
    };
    try {
      const done = await api.tableImport(request, progress);
      answered = true;
      status.textContent = '';
      toast(t('table.done', { created: done.created, merged: done.merged, refused: done.refused, file: file.fileName }));
      location.hash = `#/list/${request.target}`;
    } catch (err) {
      answered = true;
      status.textContent = '';
      go.disabled = false;
      showError(err);
    }
  });
  clear(review).append(card(t('table.planTitle'),
    h('ul', { id: 'table-counts', 'data-written': plan.written }, [
      h('li', {}, t('table.created', { n: plan.created })),
      h('li', {}, t('table.merged', { n: plan.merged })),
      h('li', {}, t('table.unchanged', { n: plan.unchanged })),
      h('li', {}, t('table.refused', { n: plan.refused })),
      plan.newOrganizations.length ? h('li', {}, t('table.newOrganizations', { names: plan.newOrganizations.join(', ') })) : null,
    ]),
    h('div', { class: 'table-scroll' }, h('table', { class: 'list plan' },
      h('thead', {}, h('tr', {}, [t(cards ? 'vcard.card' : 'table.row'), t('table.record'), t('table.action'), t('table.detail')].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.map((row) => h('tr', { 'data-action': row.action },
        h('td', {}, String(row.row)),
        h('td', {}, row.title || '—'),
        h('td', {}, badge(t(`table.action.${row.action}`), ACTION_TONE[row.action])),
        h('td', {}, rowDetail(row, cards))))))),
    plan.rows.length > rows.length ? h('p', { class: 'muted' }, t('table.moreRows', { n: plan.rows.length - rows.length })) : null,
    plan.refused ? h('p', { class: 'muted' }, t('table.refusedHint')) : null,
    h('div', { class: 'actions start' }, go), status));
  go.focus();
}
