// The edit form of every record kind (a meeting's, agreement's or activity's with its commitments), and
// what happens when the record changed behind it.

import { h } from '../dom.js';
import { t, message } from '../i18n.js';
import * as api from '../api.js';
import { changedFields, kindOfId, recordHash } from '../logic.js';
import { ENUMS } from '../enums.js';
import { office } from '../office.js';
import { Form } from '../widgets/form.js';
import { findRecords } from '../flows/records.js';
import { pageHead, toast, openDialog, confirmDialog } from '../widgets/ui.js';

const sel = (name, group) => ({ name, type: 'select', group, values: ENUMS[group] });

export const SPECS = {
  organization: [
    { name: 'nameEs', full: true }, { name: 'nameEn', full: true },
    { name: 'acronymEs' }, { name: 'acronymEn' },
    sel('kind', 'orgKind'), sel('relationship', 'relationship'), sel('scope', 'scope'), sel('sector', 'sector'),
    { name: 'country', hint: 'f.countryHint' }, { name: 'city' },
    { name: 'website', full: true },
    { name: 'themes', type: 'checks', group: 'theme', values: ENUMS.theme, full: true },
    { name: 'responsibleId', type: 'ref', kind: 'contact' }, { name: 'tags', type: 'tags', hint: 'f.tagsHint' },
    { name: 'notes', type: 'textarea', full: true },
  ],
  contact: [
    { name: 'honorific' }, { name: 'fullName', required: true },
    { name: 'post' }, { name: 'organizationId', type: 'ref', kind: 'organization' },
    { name: 'postSince', type: 'date' }, { name: 'languages', type: 'list', hint: 'f.languagesHint' },
    { name: 'emails', type: 'labeled', full: true }, { name: 'phones', type: 'labeled', full: true },
    { name: 'preferredLanguage' }, { name: 'tags', type: 'tags', hint: 'f.tagsHint' },
    { name: 'privacyNoticeGiven', type: 'checkbox' }, { name: 'privacyNoticeDate', type: 'date' },
    { name: 'sensitiveData', type: 'checkbox' },
    { name: 'notes', type: 'textarea', full: true },
  ],
  meeting: [
    { name: 'title', required: true, full: true },
    { name: 'date', type: 'date', required: true, optional: false }, { name: 'time', type: 'time' },
    { name: 'durationMinutes', type: 'number' }, { name: 'timeZone' },
    sel('modality', 'modality'), { name: 'place' },
    { name: 'link', full: true },
    { name: 'organizationIds', type: 'refs', kind: 'organization', full: true },
    { name: 'counterpartAttendees', type: 'refs', kind: 'contact' }, { name: 'iecmDelegation', type: 'refs', kind: 'contact' },
    { name: 'objective', type: 'textarea', full: true }, { name: 'agenda', type: 'textarea', full: true },
    { name: 'talkingPoints', type: 'textarea', full: true }, { name: 'sensitiveTopics', type: 'textarea', full: true },
    { name: 'minutes', type: 'textarea', long: true, full: true },
  ],
  agreement: [
    sel('kind', 'agreementKind'), { name: 'folio' },
    { name: 'title', required: true, full: true },
    { name: 'purpose', type: 'textarea', full: true },
    { name: 'counterpartIds', type: 'refs', kind: 'organization', required: true }, { name: 'parentId', type: 'ref', kind: 'agreement' },
    sel('status', 'agreementStatus'), { name: 'signedOn', type: 'date' },
    { name: 'validFrom', type: 'date' }, { name: 'validUntil', type: 'date', hint: 'f.validUntilHint' },
    sel('renewal', 'renewal'), { name: 'noticeDays', type: 'number', hint: 'f.noticeDaysHint' },
    { name: 'iecmArea' }, { name: 'publicMoney', type: 'checkbox' },
    { name: 'iecmContactId', type: 'ref', kind: 'contact' }, { name: 'counterpartContactId', type: 'ref', kind: 'contact' },
    { name: 'documentRefs', type: 'lines', hint: 'f.documentRefsHint', full: true },
    { name: 'notes', type: 'textarea', full: true },
  ],
  activity: [
    { name: 'title', required: true, full: true },
    sel('kind', 'activityKind'), sel('status', 'activityStatus'),
    { name: 'partnerIds', type: 'refs', kind: 'organization', required: true }, { name: 'agreementId', type: 'ref', kind: 'agreement' },
    { name: 'startsOn', type: 'date' }, { name: 'endsOn', type: 'date', hint: 'f.endsOnHint' },
    { name: 'place' }, { name: 'link' },
    { name: 'iecmArea' },
    { name: 'themes', type: 'checks', group: 'theme', values: ENUMS.theme, full: true },
    { name: 'description', type: 'textarea', full: true },
    { name: 'beneficiaries', type: 'checks', group: 'beneficiary', values: ENUMS.beneficiary, full: true },
    { name: 'peopleReached', type: 'number', hint: 'f.peopleReachedHint' }, { name: 'womenReached', type: 'number' }, { name: 'menReached', type: 'number' },
    { name: 'products', type: 'textarea', hint: 'f.productsHint', full: true },
    { name: 'participants', type: 'rows', full: true, hint: 'f.participantsHint', addLabel: 'f.participant',
      blank: { contactId: null, hours: null, completed: false, certificate: '' },
      isBlank: (p) => !p.contactId && p.hours === null && !p.certificate.trim(),
      row: [
        { name: 'contactId', type: 'ref', kind: 'contact', required: true }, { name: 'hours', type: 'decimal' },
        { name: 'completed', type: 'checkbox' }, { name: 'certificate' },
      ] },
    { name: 'resources', type: 'rows', full: true, addLabel: 'f.resource',
      blank: { party: 'iecm', kind: 'money', description: '', amount: null },
      isBlank: (r) => !r.description.trim() && r.amount === null,
      row: [
        { ...sel('party', 'party'), label: 'f.contributor' }, sel('kind', 'resourceKind'),
        { name: 'description' }, { name: 'amount', type: 'decimal', hint: 'f.amountHint' },
      ] },
    { name: 'notes', type: 'textarea', full: true },
  ],
  document: [
    { name: 'name', required: true, full: true },
    { name: 'note', full: true, hint: 'f.noteHint' },
  ],
  commitment: [
    { name: 'description', type: 'textarea', required: true, full: true },
    sel('party', 'party'), { name: 'ownerId', type: 'ref', kind: 'contact' },
    { name: 'dueOn', type: 'date' }, sel('status', 'commitmentStatus'),
    { name: 'doneOn', type: 'date', hint: 'f.doneOnHint' },
    { name: 'evidence', type: 'textarea', full: true },
  ],
};

const COMMITMENT_ROW = SPECS.commitment;

/** A new record of each kind, as its form starts (a meeting in the office's time zone). */
function empty(kind) {
  return {
    organization: { kind: 'ngo', scope: 'national', sector: 'public', relationship: 'prospect', themes: [], tags: [] },
    contact: { emails: [{ label: '', value: '' }], phones: [], languages: ['es'], tags: [] },
    meeting: { date: '', timeZone: office().timeZone, modality: 'inPerson', organizationIds: [], counterpartAttendees: [], iecmDelegation: [] },
    agreement: { kind: 'frameworkAgreement', status: 'negotiation', renewal: 'none', counterpartIds: [], documentRefs: [] },
    activity: { kind: 'workshop', status: 'planned', partnerIds: [], themes: [], beneficiaries: [], participants: [], resources: [] },
  }[kind];
}

/**
 * A new record starts out linked to the record it was made from: an organization (its
 * organization, organizations or counterparts), or for an activity an instrument (which it
 * then executes, with the instrument's counterparts as its partners).
 */
async function linkNew(kind, record, from, fromKind) {
  if (kind === 'activity' && fromKind === 'agreement') {
    const { record: agreement } = await api.getAgreement(from);
    record.agreementId = agreement.id;
    record.partnerIds = [...agreement.counterpartIds];
    return;
  }
  const field = { contact: 'organizationId', meeting: 'organizationIds', agreement: 'counterpartIds', activity: 'partnerIds' }[kind];
  if (field) record[field] = field === 'organizationId' ? from : [from];
}

/** The names of the organizations, people and instruments a form refers to (its pickers show them chosen), by id. */
async function namesOf(...values) {
  const ids = new Set();
  const walk = (v) => {
    if (typeof v === 'string') {
      // Ids only (a prefix and 32 hex digits): not an e-mail or a note that starts like one.
      if (/^[a-z]{3}_[0-9a-f]{32}$/.test(v) && ['organization', 'contact', 'agreement'].includes(kindOfId(v))) ids.add(v);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  values.forEach(walk);
  const named = ids.size ? await api.names([...ids]) : [];
  return new Map(named.map((r) => [r.id, r.title]));
}

export async function renderEdit(main, kind, id, from = null) {
  const loaded = id ? await api.getRecord(kind, id) : null;
  const record = loaded ? (loaded.record ?? loaded) : empty(kind);
  // What a new record is made from: an instrument (`agr_…`) or an organization.
  const fromKind = kindOfId(from) === 'agreement' ? 'agreement' : 'organization';
  if (!loaded && from) await linkNew(kind, record, from, fromKind);
  const commitments = loaded?.commitments ?? [];
  const saveParent = { meeting: api.saveMeeting, agreement: api.saveAgreement, activity: api.saveActivity }[kind];
  const withCommitments = Boolean(saveParent);
  const lookup = { names: await namesOf(record, commitments), find: findRecords };
  const form = new Form(SPECS[kind], record, lookup);
  const editor = withCommitments ? new CommitmentsEditor(commitments, lookup) : null;
  const formError = h('p', { class: 'form-error', role: 'alert' });
  const saveButton = h('button', { type: 'submit', class: 'primary' }, t('action.save'));
  const cancel = h('a', { class: 'button', href: id ? recordHash(kind, id) : from ? recordHash(fromKind, from) : `#/list/${kind}`,
    onclick: () => { delete formEl.dataset.dirty; } }, t('action.cancel'));
  const formEl = h('form', { class: 'record', novalidate: true },
    form.elements(),
    editor ? h('fieldset', { class: 'full' }, h('legend', {}, t('section.commitments')), editor.el) : null,
    formError,
    h('div', { class: 'form-actions' }, saveButton, cancel));

  const save = async (overwriteRevision = null) => {
    formError.textContent = '';
    form.clearErrors();
    editor?.clearErrors();
    const local = [...form.localErrors(), ...(editor ? editor.localErrors() : [])];
    if (local.length) {
      form.showErrors(local);
      editor?.showErrors(local);
      formError.textContent = t('err.formHasErrors');
      return;
    }
    const values = form.read();
    if (overwriteRevision !== null) values.revision = overwriteRevision;
    saveButton.disabled = true;
    saveButton.textContent = t('saving');
    try {
      let saved;
      if (saveParent) saved = await saveParent(values, editor.read(), editor.removed());
      else saved = await { organization: api.saveOrganization, contact: api.saveContact, commitment: api.saveCommitment, document: api.saveDocument }[kind](values);
      const savedId = (saved.record ?? saved).id;
      delete formEl.dataset.dirty;
      toast(t('saved'));
      location.hash = recordHash(kind, savedId);
    } catch (err) {
      if (err.kind === 'invalid' && err.violations.length) {
        const rest = form.showErrors(err.violations);
        const left = editor ? editor.showErrors(rest) : rest;
        formError.textContent = left.length ? left.map((v) => message(v.code, v.params)).join(' ') : t('err.formHasErrors');
      } else if (err.kind === 'conflict' && err.current?.kind === kind) {
        await resolveConflict(values, err.current.record, save, () => renderAgain(main, kind, id));
      } else if (err.kind === 'conflict' && err.current) {
        // One of its commitments changed elsewhere: the form must be reloaded to see it.
        if (await confirmDialog(t('err.staleRevision'), { confirmLabel: t('action.reload') })) await renderAgain(main, kind, id);
      } else {
        formError.textContent = message(err.code, err.params);
      }
    } finally {
      saveButton.disabled = false;
      saveButton.textContent = t('action.save');
    }
  };
  // Unsaved edits: the router asks before leaving a form marked dirty.
  const markDirty = () => { formEl.dataset.dirty = 'true'; };
  formEl.addEventListener('input', markDirty);
  formEl.addEventListener('change', markDirty);
  formEl.addEventListener('click', (e) => { if (e.target.closest('button[type="button"]')) markDirty(); });
  formEl.addEventListener('submit', (e) => {
    e.preventDefault();
    save();
  });
  const title = kind === 'commitment' ? t('kind.commitment') : t(id ? `edit.${kind}` : `new.${kind}`);
  main.append(pageHead(title, id ? (record.nameEs || record.nameEn || record.fullName || record.title || record.name || '') : null), formEl);
}

function renderAgain(main, kind, id) {
  main.replaceChildren();
  return renderEdit(main, kind, id);
}

/** Shows what changed behind the form and lets the user reload or overwrite knowingly. */
async function resolveConflict(mine, theirs, save, reload) {
  const fields = changedFields(mine, theirs);
  const show = (v) => (Array.isArray(v) ? v.map((x) => (typeof x === 'object' ? x.value ?? JSON.stringify(x) : x)).join(', ') : v === null || v === undefined ? '' : String(v));
  const choice = await openDialog({
    title: t('conflict.title'),
    content: [
      h('p', {}, t('conflict.body')),
      h('table', { class: 'diff' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('conflict.field'))), h('th', { scope: 'col' }, t('conflict.theirs')), h('th', { scope: 'col' }, t('conflict.yours')))),
        h('tbody', {}, fields.map((f) => h('tr', {}, h('th', { scope: 'row' }, t(`f.${f}`)), h('td', {}, show(theirs[f])), h('td', {}, show(mine[f])))))),
    ],
    buttons: [
      { label: t('action.reload'), value: 'reload' },
      { label: t('action.overwrite'), value: 'overwrite', class: 'primary' },
    ],
  });
  if (choice === 'reload') await reload();
  else if (choice === 'overwrite') await save(theirs.revision);
}

/** The commitments of a meeting, agreement or activity inside its form. */
class CommitmentsEditor {
  constructor(commitments, lookup) {
    this.lookup = lookup;
    this.rows = [];
    this.removedList = [];
    this.list = h('div', { class: 'rows' });
    this.add = h('button', { type: 'button', class: 'small', onclick: () => this.addRow({ party: 'iecm', status: 'pending' }, true) }, `${t('action.add')}: ${t('kind.commitment').toLowerCase()}`);
    this.el = h('div', {}, this.list, this.add);
    commitments.forEach((c) => this.addRow(c, false));
  }

  addRow(record, focus) {
    const form = new Form(COMMITMENT_ROW, record, this.lookup);
    const row = { record, form };
    const removeButton = h('button', { type: 'button', class: 'small danger', onclick: () => {
      if (record.id) this.removedList.push({ id: record.id, revision: record.revision });
      this.rows.splice(this.rows.indexOf(row), 1);
      row.el.remove();
      this.add.focus();
    } }, t('action.remove'));
    row.el = h('div', { class: 'commitment-row' }, form.elements().map((el, i) => {
      if (i === 0 || i === COMMITMENT_ROW.length - 1) el.classList.add('wide');
      return el;
    }), h('div', { class: 'wide' }, removeButton));
    this.rows.push(row);
    this.list.append(row.el);
    if (focus) row.el.querySelector('textarea')?.focus();
  }

  read() {
    return this.rows.map((r) => r.form.read());
  }

  /** Values the UI can tell are malformed before sending, at `commitments[i].field`. */
  localErrors() {
    return this.rows.flatMap((r, i) => r.form.localErrors().map((v) => ({ ...v, field: `commitments[${i}].${v.field}` })));
  }

  removed() {
    return [...this.removedList];
  }

  clearErrors() {
    this.rows.forEach((r) => r.form.clearErrors());
  }

  /** Shows `commitments[i].field` violations in row i; returns the others. */
  showErrors(violations) {
    const rest = [];
    const perRow = new Map();
    for (const v of violations) {
      const m = /^commitments\[(\d+)\]\.(.+)$/.exec(v.field);
      const row = m && this.rows[Number(m[1])];
      if (!row) {
        rest.push(v);
        continue;
      }
      if (!perRow.has(row)) perRow.set(row, []);
      perRow.get(row).push({ ...v, field: m[2] });
    }
    for (const [row, list] of perRow) rest.push(...row.form.showErrors(list));
    return rest;
  }
}
