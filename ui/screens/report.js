// The strategy's periodic report to the Comisión de Vinculación con Organismos Externos: a
// period, its figures on screen, and the report as a PDF or an Excel workbook.

import { h, clear } from '../dom.js';
import { t, label, message } from '../i18n.js';
import * as api from '../api.js';
import { formatCount, formatDateRange, formatHours, officeDay } from '../format.js';
import { reportPeriods, recordHash } from '../logic.js';
import { pageHead, card, items, toast, showError, statusBadge } from '../widgets/ui.js';
import { activityLine } from '../widgets/activity-line.js';
import { agreementLine } from '../widgets/agreement-line.js';
import { Form } from '../widgets/form.js';

const PERIOD = [
  { name: 'from', type: 'date', required: true, optional: false },
  { name: 'until', type: 'date', required: true, optional: false },
];

/** A table of figures: a header and rows of cells. */
function figures(headers, rows) {
  return h('table', { class: 'list figures' },
    h('thead', {}, h('tr', {}, headers.map((key) => h('th', { scope: 'col' }, t(key))))),
    h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((c) => h('td', {}, c))))));
}

function summary(r) {
  const c = r.commitments;
  const reached = r.womenReached + r.menReached > 0
    ? t('f.reachedSplit', { n: formatCount(r.peopleReached), women: formatCount(r.womenReached), men: formatCount(r.menReached) })
    : formatCount(r.peopleReached);
  const pairs = [
    ['report.alliances', formatCount(r.alliances)],
    ['report.signed', formatCount(r.signed.length)],
    ['report.inForce', formatCount(r.inForce)],
    ['report.expiring', formatCount(r.expiring.length)],
    ['report.activities', formatCount(r.activities.length)],
    ['report.reached', reached],
    ['report.training', t('report.trainedLine', { n: formatCount(r.trainees.length), hours: formatHours(r.trainingHours) })],
    ['report.commitments', [t('report.commitmentsLine', {
      due: formatCount(c.due), onTime: formatCount(c.onTime), late: formatCount(c.late), open: formatCount(c.open), overdue: formatCount(c.overdue),
    }), c.doneUndated ? ` ${t('report.doneUndatedLine', { n: formatCount(c.doneUndated) })}` : '']],
  ];
  return h('section', { class: 'card', 'aria-label': t('report.summary') }, h('h2', {}, t('report.summary')),
    h('dl', { class: 'fields' }, pairs.map(([key, v]) => [h('dt', {}, t(key)), h('dd', {}, v)])));
}

function details(r) {
  const reachRows = (list, group) => list.map((x) => [label(group, x.key), formatCount(x.activities), formatCount(x.people), formatCount(x.women), formatCount(x.men)]);
  const reachHead = (first) => [first, 'report.activitiesCol', 'report.peopleCol', 'report.womenCol', 'report.menCol'];
  return [
    h('div', { class: 'grid-2' },
      card(t('report.alliancesByKind'), r.alliancesByKind.length
        ? figures(['f.kind', 'report.total'], r.alliancesByKind.map((x) => [label('orgKind', x.key), formatCount(x.count)]))
        : h('p', { class: 'empty' }, t('section.empty'))),
      card(t('report.alliancesByTheme'), r.alliancesByTheme.length
        ? figures(['f.themes', 'report.total'], r.alliancesByTheme.map((x) => [label('theme', x.key), formatCount(x.count)]))
        : h('p', { class: 'empty' }, t('section.empty')))),
    card(t('report.activitiesByKind'), r.activitiesByKind.length
      ? figures(reachHead('f.kind'), reachRows(r.activitiesByKind, 'activityKind')) : h('p', { class: 'empty' }, t('section.empty'))),
    card(t('report.activitiesByTheme'), r.activitiesByTheme.length
      ? figures(reachHead('f.themes'), reachRows(r.activitiesByTheme, 'theme')) : h('p', { class: 'empty' }, t('section.empty'))),
    card(t('report.activityList'), items(r.activities, (a) => activityLine(a, { withPartners: true, side: [
      a.people !== null ? h('span', { class: 'item-meta' }, t('report.peopleShort', { n: formatCount(a.people) })) : null,
      statusBadge('activityStatus', a.status),
    ] }), t('section.empty'))),
    card(t('report.training'), r.trainees.length
      ? figures(['f.fullName', 'report.activitiesCol', 'report.hoursCol', 'report.completedCol'],
        r.trainees.map((x) => [h('a', { href: recordHash('contact', x.person.id) }, x.person.title), formatCount(x.activities), formatHours(x.hours), formatCount(x.completed)]))
      : h('p', { class: 'empty' }, t('section.empty'))),
    card(t('report.signed'), items(r.signed, (a) => agreementLine(a), t('section.empty'))),
  ];
}

export async function renderReport(main) {
  const periods = reportPeriods(officeDay());
  const form = new Form(PERIOD, { from: periods[0].from, until: periods[0].until }, {});
  const formError = h('p', { class: 'form-error', role: 'alert' });
  const results = h('div', { id: 'report-figures', 'aria-live': 'polite' });

  /** Shows what is wrong with the period at its fields, or says what else went wrong. */
  const refused = (err) => {
    if (err.kind !== 'invalid') return showError(err);
    const rest = form.showErrors(err.violations);
    formError.textContent = rest.map((v) => message(v.code, v.params)).join(' ');
  };
  const show = async () => {
    formError.textContent = '';
    form.clearErrors();
    try {
      const report = await api.strategyReport(form.read());
      clear(results).append(
        h('p', { class: 'subtitle', id: 'report-period' }, t('report.showing', { period: formatDateRange(report.period.from, report.period.until) })),
        summary(report), ...details(report));
    } catch (err) {
      clear(results);
      refused(err);
    }
  };
  const exportAs = async (format) => {
    formError.textContent = '';
    form.clearErrors();
    try {
      const done = await api.exportReport(form.read(), format, t('report.exportTitle'));
      if (done) {
        const saved = t('report.exported', { file: done.fileName });
        toast(done.openFailed ? `${saved} ${t('export.savedNotOpened')}` : saved);
      }
    } catch (err) {
      refused(err);
    }
  };
  const formEl = h('form', { class: 'record', novalidate: true, 'aria-label': t('report.periodLabel') },
    form.elements(),
    h('div', { class: 'actions start full', role: 'group', 'aria-label': t('report.usual') },
      periods.map((p) => h('button', { type: 'button', class: 'small', id: `report-${p.key}`, onclick: () => {
        formEl.querySelector("[name='from']").value = p.from;
        formEl.querySelector("[name='until']").value = p.until;
        show();
      } }, t(`report.${p.key}`)))),
    formError,
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'primary' }, t('report.showFigures')),
      h('button', { type: 'button', id: 'report-pdf', onclick: () => exportAs('pdf') }, t('report.exportPdf')),
      h('button', { type: 'button', id: 'report-xlsx', onclick: () => exportAs('xlsx') }, t('report.exportXlsx'))));
  formEl.addEventListener('submit', (e) => {
    e.preventDefault();
    show();
  });
  main.append(pageHead(t('report.screenTitle'), t('report.screenIntro')), formEl, results);
  await show();
}
