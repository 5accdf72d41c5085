// Choosing records by typing: a combobox whose choices are found as the user types (by the
// core: see flows/records.js). ↑↓ to move, Enter to choose, Esc to close. Works the same with
// the mouse. One picker serves a single reference (an organization, a person) and a list of them.

import { h, clear } from '../dom.js';
import { t } from '../i18n.js';
import { markActive, showError } from './ui.js';

/** How many choices a picker offers at once. */
export const SHOWN = 8;
let uid = 0;

/**
 * A combobox input with its popup list. `find(text, exclude)` answers the first {id, title}
 * choices for what is typed, leaving out the ids `exclude()` gives; `onChoose(choice)` is
 * called with what the user picked.
 */
export function combobox({ id, name, find, exclude = () => [], onChoose }) {
  const listId = `${id}-options-${++uid}`;
  const input = h('input', {
    id, name, type: 'text', role: 'combobox', autocomplete: 'off', 'aria-autocomplete': 'list',
    'aria-expanded': 'false', 'aria-controls': listId, placeholder: t('f.typeToPick'),
  });
  const list = h('ul', { id: listId, role: 'listbox', class: 'picker-options', hidden: true, 'aria-label': t('f.options') });
  let shown = [];
  let active = -1;
  // Answers can come back out of order: only the latest question's is shown. Enter pressed
  // before it came takes its first choice.
  let asked = 0;
  let pending = false;
  let enterPressed = false;

  const close = () => {
    asked += 1;
    pending = false;
    enterPressed = false;
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const highlight = (i) => {
    active = shown.length ? (i + shown.length) % shown.length : -1;
    markActive(input, list, active);
  };
  const choose = (choice) => {
    close();
    onChoose(choice);
  };
  const open = async () => {
    const question = ++asked;
    pending = true;
    shown = [];
    let found;
    try {
      found = await find(input.value, exclude());
    } catch (err) {
      if (question === asked) showError(err);
      return;
    }
    if (question !== asked || document.activeElement !== input) return;
    pending = false;
    shown = found;
    clear(list);
    if (!shown.length) {
      list.append(h('li', { class: 'picker-empty', role: 'option', 'aria-disabled': 'true', id: `${listId}-none` }, t('f.noMatches')));
    }
    shown.forEach((c, i) => list.append(h('li', {
      id: `${listId}-${i}`, role: 'option', 'aria-selected': 'false',
      // mousedown would take the focus from the input before the click lands.
      onmousedown: (e) => e.preventDefault(),
      onclick: () => choose(c),
    }, c.title)));
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    highlight(0);
    if (enterPressed) {
      enterPressed = false;
      if (shown[0]) choose(shown[0]);
    }
  };

  // Not on focus: tabbing through a filled form and pressing Enter submits it.
  input.addEventListener('input', open);
  input.addEventListener('blur', close);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (list.hidden) open();
      else highlight(active + (e.key === 'ArrowDown' ? 1 : -1));
    } else if (e.key === 'Enter' && pending) {
      // Typed and not answered yet: the first choice, once it comes; the form is not sent.
      e.preventDefault();
      enterPressed = true;
    } else if (e.key === 'Enter' && !list.hidden) {
      // Choosing never submits the form.
      e.preventDefault();
      if (shown[active]) choose(shown[active]);
    } else if (e.key === 'Escape' && !list.hidden) {
      e.preventDefault();
      e.stopPropagation();
      close();
    }
  });
  return { input, el: h('div', { class: 'picker' }, input, list) };
}
