// A form built from field specs: labelled controls, values read back into the record, and
// the translated validation message shown next to the field it belongs to.

import { h, clear } from '../dom.js';
import { t, label, message } from '../i18n.js';
import { parseFieldPath, splitList, splitLines, orNull, intOrNull, decimalOrNull } from '../logic.js';
import { combobox } from './picker.js';

let uid = 0;
const nextId = (name) => `f-${name}-${++uid}`;

/**
 * A field spec: {name, type, group (enum labels), values (enum values), required, full, hint,
 * kind (for refs), long (textarea), label (its label's key when not `f.<name>`)}. Types: text, textarea, select, date, time, number,
 * decimal, checkbox, checks, tags, lines, labeled, ref, refs, password (`autocomplete` names
 * which), rows (a list of small records: `row` their specs, `blank` a new one, `isBlank` which
 * are left out, `addLabel` what the add button adds). `lookup` serves the ref fields: `names`
 * (id → title of the records they show chosen) and `find(kind, text, exclude)` (the choices
 * for what is typed).
 */
export class Form {
  constructor(specs, record, lookup) {
    this.specs = specs;
    this.record = structuredClone(record);
    this.fields = new Map();
    this.el = h('div', { class: 'form-fields' });
    for (const spec of specs) {
      const field = makeField(spec, this.record[spec.name], lookup);
      this.fields.set(spec.name, field);
    }
  }

  /** The form's controls, to place in a <form>. */
  elements() {
    return [...this.fields.values()].map((f) => f.el);
  }

  /**
   * Values the UI can tell are malformed before sending (a number field holding words): a
   * value of the wrong JSON type would be refused by Tauri before Rust could say which field.
   * A field's `malformed()` gives the code of what is wrong, or false.
   */
  localErrors() {
    return [...this.fields].flatMap(([name, f]) => {
      if (f.localErrors) return f.localErrors(name);
      const code = f.malformed?.();
      return code ? [{ field: name, code, params: {} }] : [];
    });
  }

  /** The record with the form's values. */
  read() {
    const out = structuredClone(this.record);
    for (const [name, field] of this.fields) out[name] = field.read();
    return out;
  }

  clearErrors() {
    for (const f of this.fields.values()) f.setError(null);
  }

  /** Shows violations at their fields; returns those that belong to no field here. */
  showErrors(violations) {
    this.clearErrors();
    const rest = [];
    let first = null;
    for (const v of violations) {
      const field = this.showError(v);
      if (field) first ??= field;
      else rest.push(v);
    }
    first?.focus();
    return rest;
  }

  /** Shows one violation at its field, leaving the others: that field, or null if none here. */
  showError(v) {
    const { name, index, sub } = parseFieldPath(v.field);
    const field = this.fields.get(name);
    if (!field) return null;
    // A rows field shows a row's own field's error in that row; a labelled list (e-mails), at its index.
    if (sub !== null && field.showInRow) return field.showInRow(index, { ...v, field: sub });
    field.setError(message(v.code, v.params), index);
    return field;
  }
}

/**
 * A field around `control`: label, hint and error. The hint and error describe `extra.input`
 * (a picker's input inside `control`), or `control` itself when it is an input; `extra.group`
 * labels a group of inputs instead.
 */
function wrap(spec, id, control, extra = {}) {
  const errorId = `${id}-error`;
  const hintId = spec.hint ? `${id}-hint` : null;
  const error = h('p', { class: 'field-error', id: errorId });
  const described = [hintId, errorId].filter(Boolean).join(' ');
  const input = extra.input ?? (control.matches('input, select, textarea') ? control : null);
  if (!extra.group && input) input.setAttribute('aria-describedby', described);
  const labelEl = extra.group
    ? h('span', { class: 'field-label', id: `${id}-label` }, t(spec.label ?? `f.${spec.name}`), spec.required ? h('span', { class: 'req' }, ` (${t('required')})`) : null)
    : h('label', { for: id }, t(spec.label ?? `f.${spec.name}`), spec.required ? h('span', { class: 'req' }, ` (${t('required')})`) : null);
  const el = h(extra.group ? 'div' : 'div', {
    class: `field${spec.full ? ' full' : ''}`,
    role: extra.group ? 'group' : null,
    'aria-labelledby': extra.group ? `${id}-label` : null,
    'aria-describedby': extra.group ? described : null,
  }, labelEl, spec.hint ? h('span', { class: 'hint', id: hintId }, t(spec.hint)) : null, control, error);
  return { el, error };
}

function makeField(spec, value, lookup) {
  const id = nextId(spec.name);
  const simple = (control, read) => {
    const { el, error } = wrap(spec, id, control);
    return {
      el,
      read,
      focus: () => control.focus(),
      setError: (msg) => markInvalid(control, error, msg),
    };
  };
  switch (spec.type) {
    case 'textarea': {
      const c = h('textarea', { id, name: spec.name, class: spec.long ? 'long' : null });
      c.value = value ?? '';
      return simple(c, () => c.value);
    }
    case 'select': {
      const c = h('select', { id, name: spec.name }, spec.values.map((v) => h('option', { value: v, selected: v === value }, label(spec.group, v))));
      return simple(c, () => c.value);
    }
    case 'date':
    case 'time': {
      const c = h('input', { id, name: spec.name, type: 'text', inputmode: 'numeric', placeholder: spec.type === 'date' ? t('f.datePlaceholder') : 'HH:MM', value: value ?? '', autocomplete: 'off' });
      return simple(c, () => (spec.optional === false ? c.value.trim() : orNull(c.value)));
    }
    case 'number': {
      const c = h('input', { id, name: spec.name, type: 'text', inputmode: 'numeric', value: value ?? '' });
      const f = simple(c, () => intOrNull(c.value));
      f.malformed = () => !/^\s*\d{0,9}\s*$/.test(c.value) && 'notANumber';
      return f;
    }
    case 'decimal': {
      const c = h('input', { id, name: spec.name, type: 'text', inputmode: 'decimal', value: value ?? '' });
      const f = simple(c, () => decimalOrNull(c.value));
      f.malformed = () => Number.isNaN(decimalOrNull(c.value)) && 'notADecimal';
      return f;
    }
    case 'password': {
      const c = h('input', { id, name: spec.name, type: 'password', autocomplete: spec.autocomplete || 'current-password', spellcheck: 'false' });
      return simple(c, () => c.value);
    }
    case 'checkbox': {
      const c = h('input', { id, name: spec.name, type: 'checkbox', checked: Boolean(value) });
      const f = simple(c, () => c.checked);
      f.el.classList.add('check-field');
      return f;
    }
    case 'tags':
    case 'list': {
      const c = h('input', { id, name: spec.name, type: 'text', value: (value || []).join(', ') });
      return simple(c, () => splitList(c.value));
    }
    case 'lines': {
      const c = h('textarea', { id, name: spec.name });
      c.value = (value || []).join('\n');
      return simple(c, () => splitLines(c.value));
    }
    case 'ref':
      return refField(spec, id, value ?? null, lookup);
    case 'checks':
      return checksField(spec, id, value || []);
    case 'labeled':
      return labeledField(spec, id, value || []);
    case 'refs':
      return refsField(spec, id, value || [], lookup);
    case 'rows':
      return rowsField(spec, id, value || [], lookup);
    default: {
      const c = h('input', { id, name: spec.name, type: 'text', value: value ?? '', autocomplete: 'off' });
      return simple(c, () => c.value);
    }
  }
}

function checksField(spec, id, value) {
  const boxes = spec.values.map((v) => {
    const boxId = `${id}-${v}`;
    return { v, box: h('input', { type: 'checkbox', id: boxId, name: spec.name, value: v, checked: value.includes(v) }), boxId };
  });
  const control = h('div', { class: 'checks' }, boxes.map(({ v, box, boxId }) => h('label', { class: 'check', for: boxId }, box, label(spec.group, v))));
  const { el, error } = wrap(spec, id, control, { group: true });
  return {
    el,
    read: () => boxes.filter((b) => b.box.checked).map((b) => b.v),
    focus: () => boxes[0]?.box.focus(),
    setError: (msg) => { error.textContent = msg || ''; },
  };
}

/** Labelled e-mails or phones: rows of label + value, with add and remove. */
function labeledField(spec, id, value) {
  const rows = h('div', { class: 'rows' });
  const entries = [];
  const addRow = (entry = { label: '', value: '' }) => {
    const n = entries.length;
    const labelInput = h('input', { type: 'text', name: `${spec.name}-label`, value: entry.label, 'aria-label': `${t(`f.${spec.name}`)} ${n + 1}: ${t('f.label')}`, placeholder: t('f.label') });
    const valueInput = h('input', { type: 'text', name: `${spec.name}-value`, value: entry.value, 'aria-label': `${t(`f.${spec.name}`)} ${n + 1}: ${t('f.value')}`, placeholder: t('f.value') });
    const row = h('div', { class: 'row' }, labelInput, valueInput,
      h('button', { type: 'button', class: 'small', onclick: () => { row.remove(); item.removed = true; } }, t('action.remove')));
    const item = { row, labelInput, valueInput, removed: false };
    entries.push(item);
    rows.append(row);
    return item;
  };
  value.forEach((e) => addRow(e));
  const add = h('button', { type: 'button', class: 'small', 'aria-label': `${t('action.add')}: ${t(`f.${spec.name}`)}`,
    onclick: () => addRow().labelInput.focus() }, t('action.add'));
  const control = h('div', {}, rows, add);
  const { el, error } = wrap(spec, id, control, { group: true });
  // Rows left blank are dropped, as the core drops them, so error positions match its count.
  const live = () => entries.filter((e) => !e.removed && (e.labelInput.value.trim() || e.valueInput.value.trim()));
  return {
    el,
    read: () => live().map((e) => ({ label: e.labelInput.value, value: e.valueInput.value })),
    focus: () => (entries.find((e) => !e.removed)?.valueInput || add).focus(),
    setError(msg, index) {
      error.textContent = msg ? (index === null || index === undefined ? msg : `${index + 1}: ${msg}`) : '';
      live().forEach((e, i) => {
        if (msg && i === index) e.valueInput.setAttribute('aria-invalid', 'true');
        else e.valueInput.removeAttribute('aria-invalid');
      });
    },
  };
}

function markInvalid(input, error, msg) {
  error.textContent = msg || '';
  if (msg) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

/** One reference (an organization, a person): a picker showing the chosen title, and a clear button. */
function refField(spec, id, value, { names, find }) {
  let chosen = value;
  const titleOf = (rid) => (rid ? names.get(rid) ?? rid : '');
  const box = combobox({ id, name: spec.name, find: (text, ex) => find(spec.kind, text, ex), exclude: () => (chosen ? [chosen] : []), onChoose: (c) => {
    names.set(c.id, c.title);
    set(c.id);
  } });
  const clearButton = h('button', { type: 'button', class: 'small', 'aria-label': `${t('action.remove')}: ${t(`f.${spec.name}`)}`,
    onclick: () => { set(null); box.input.focus(); } }, '×');
  const set = (rid) => {
    chosen = rid;
    box.input.value = titleOf(rid);
    clearButton.hidden = !rid;
    box.input.dispatchEvent(new Event('change', { bubbles: true }));
  };
  box.input.value = titleOf(chosen);
  clearButton.hidden = !chosen;
  // Text typed but not chosen is put back; text erased clears the choice.
  box.input.addEventListener('blur', () => {
    if (!box.input.value.trim()) chosen = null;
    box.input.value = titleOf(chosen);
    clearButton.hidden = !chosen;
  });
  const { el, error } = wrap(spec, id, h('div', { class: 'picker-row' }, box.el, clearButton), { input: box.input });
  return {
    el,
    read: () => chosen,
    focus: () => box.input.focus(),
    setError: (msg) => markInvalid(box.input, error, msg),
  };
}

/** Several references (organizations, attendees): chips, and a picker to add one more. */
function refsField(spec, id, value, { names, find }) {
  const selected = [...value];
  const titleOf = (rid) => names.get(rid) ?? rid;
  const chips = h('div', { class: 'chips' });
  const box = combobox({ id, name: spec.name, find: (text, ex) => find(spec.kind, text, ex), exclude: () => selected, onChoose: (c) => {
    names.set(c.id, c.title);
    selected.push(c.id);
    box.input.value = '';
    draw();
    box.input.dispatchEvent(new Event('change', { bubbles: true }));
  } });
  const draw = () => {
    clear(chips);
    selected.forEach((rid) => chips.append(h('span', { class: 'chip' }, titleOf(rid),
      h('button', { type: 'button', 'aria-label': `${t('action.remove')}: ${titleOf(rid)}`, onclick: () => {
        selected.splice(selected.indexOf(rid), 1);
        draw();
        box.input.focus();
      } }, '×'))));
  };
  draw();
  const { el, error } = wrap(spec, id, h('div', {}, chips, box.el), { input: box.input });
  return {
    el,
    read: () => [...selected],
    focus: () => box.input.focus(),
    setError: (msg) => markInvalid(box.input, error, msg),
  };
}

/**
 * A list of small records (an activity's participants, its resources): a form per row, with
 * add and remove. Rows left blank are not sent, so the core's `name[i]` counts the rows sent.
 */
function rowsField(spec, id, value, lookup) {
  const rows = [];
  const list = h('div', { class: 'rows' });
  const add = h('button', { type: 'button', class: 'small', onclick: () => addRow(structuredClone(spec.blank), true) },
    `${t('action.add')}: ${t(spec.addLabel)}`);
  const addRow = (record, focus) => {
    const form = new Form(spec.row, record, lookup);
    const row = { form };
    const remove = h('button', { type: 'button', class: 'small danger', onclick: () => {
      rows.splice(rows.indexOf(row), 1);
      row.el.remove();
      add.focus();
    } }, t('action.remove'));
    row.el = h('div', { class: 'sub-row' }, form.elements(), h('div', { class: 'sub-row-actions' }, remove));
    rows.push(row);
    list.append(row.el);
    if (focus) row.el.querySelector('input, select, textarea')?.focus();
  };
  value.forEach((r) => addRow(r, false));
  const { el, error } = wrap(spec, id, h('div', {}, list, add), { group: true });
  const live = () => rows.filter((r) => !spec.isBlank?.(r.form.read()));
  return {
    el,
    read: () => live().map((r) => r.form.read()),
    focus: () => (rows[0] ? rows[0].el.querySelector('input, select, textarea') : add).focus(),
    setError(msg) {
      error.textContent = msg || '';
      if (!msg) rows.forEach((r) => r.form.clearErrors());
    },
    // A row's own malformed values, and its required values left empty (a row is not sent
    // without them: its JSON would not be a record).
    localErrors: (name) => live().flatMap((r, i) => {
      const values = r.form.read();
      const missing = spec.row.filter((s) => s.required && (values[s.name] ?? '') === '').map((s) => ({ field: s.name, code: 'required', params: {} }));
      return [...r.form.localErrors(), ...missing].map((v) => ({ ...v, field: `${name}[${i}].${v.field}` }));
    }),
    /** Shows a violation of row `index`'s field: that field, or null when there is none. */
    showInRow: (index, v) => live()[index]?.form.showError(v) ?? null,
  };
}

/**
 * A form of `specs` that sends its values with `send`; violations go to their fields, other
 * errors under the form. Calls `done(result)` after a success, and `unavailable(error)`, when
 * given, when the store cannot be opened (damaged, held elsewhere: another screen says so).
 */
export function secretForm(specs, { id, label, submit, send, done, before, unavailable }) {
  const form = new Form(specs, {}, {});
  const error = h('p', { class: 'form-error', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'primary' }, submit);
  const el = h('form', { class: 'record', id, novalidate: true, 'aria-label': label }, form.elements(), error, h('div', { class: 'form-actions' }, button));
  el.addEventListener('submit', async (e) => {
    e.preventDefault();
    form.clearErrors();
    error.textContent = '';
    if (before && !(await before())) return;
    button.disabled = true;
    el.setAttribute('aria-busy', 'true');
    try {
      done(await send(form.read()));
    } catch (err) {
      if (err.kind === 'unavailable' && unavailable) {
        unavailable(err);
        return;
      }
      const rest = err.kind === 'invalid' ? form.showErrors(err.violations) : [err];
      if (rest.length) error.textContent = message(rest[0].code, rest[0].params);
    } finally {
      button.disabled = false;
      el.removeAttribute('aria-busy');
    }
  });
  return el;
}
