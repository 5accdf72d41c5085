import { test } from 'node:test';
import assert from 'node:assert/strict';

// A page with just what the dialogs use: the shared dialog, the palette, the toast.
class FakeNode {
  remove() {
    const siblings = this.parent?.children;
    if (siblings) siblings.splice(siblings.indexOf(this), 1);
    this.parent = null;
  }
}

class FakeElement extends FakeNode {
  constructor(tag, id = '') {
    super();
    Object.assign(this, { tagName: tag.toUpperCase(), id, children: [], attrs: {}, listeners: {}, dataset: {}, open: false });
    this.classList = { add() {}, remove() {} };
  }
  get firstChild() { return this.children[0] ?? null; }
  append(...nodes) { for (const n of nodes) { n.parent = this; this.children.push(n); } }
  setAttribute(k, v) { this.attrs[k] = v; if (k === 'class') this.className = v; }
  addEventListener(type, fn) { (this.listeners[type] ??= []).push(fn); }
  removeEventListener(type, fn) { this.listeners[type] = (this.listeners[type] ?? []).filter((f) => f !== fn); }
  dispatch(type) {
    const event = { type, defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    for (const fn of [...(this.listeners[type] ?? [])]) fn(event);
    return event;
  }
  showModal() {
    if (this.open) throw new Error('InvalidStateError: the dialog is already open');
    this.open = true;
  }
  close() { this.open = false; }
  focus() {}
  descendants() { return this.children.flatMap((c) => (c instanceof FakeElement ? [c, ...c.descendants()] : [])); }
  querySelector(selectors) {
    const tests = selectors.split(',').map((s) => s.trim()).map((s) => {
      const [tag, cls] = s.split('.');
      return (el) => el.tagName === tag.toUpperCase() && (!cls || (el.className ?? '').split(' ').includes(cls));
    });
    return this.descendants().find((el) => tests.some((t) => t(el))) ?? null;
  }
}

const page = { dialog: new FakeElement('dialog', 'dialog'), palette: new FakeElement('dialog', 'palette'), toast: new FakeElement('div', 'toast') };
globalThis.Node = FakeNode;
globalThis.document = {
  getElementById: (id) => page[id] ?? null,
  createElement: (tag) => new FakeElement(tag),
  createTextNode: (text) => Object.assign(new FakeNode(), { text }),
  querySelectorAll: (selector) => {
    assert.equal(selector, 'dialog[open]');
    return [page.dialog, page.palette].filter((d) => d.open);
  },
};

const { openDialog, showModal, modalOpen } = await import('../../ui/widgets/ui.js');
const { setOffice } = await import('../../ui/office.js');
const { coreOffice } = await import('./sources.mjs');
setOffice(coreOffice());

const buttons = () => page.dialog.querySelector('div').children;
const ask = (title) => openDialog({ title, buttons: [{ label: 'No', value: false }, { label: 'Sí', value: true, class: 'primary' }] });

test('a dialog answered or cancelled many times keeps one listener', async () => {
  for (let i = 0; i < 10; i++) {
    const answer = ask(`pregunta ${i}`);
    if (i % 2) buttons()[1].dispatch('click');
    else page.dialog.dispatch('cancel');
    assert.equal(await answer, i % 2 ? true : null);
    assert.equal(page.dialog.open, false);
  }
  assert.equal(page.dialog.listeners.cancel.length, 1, 'one cancel listener for every dialog');
  assert.equal(page.dialog.listeners.close.length, 1, 'one close listener for every dialog');
});

test('a dialog the browser closes answers null; a late close event leaves the next dialog open', async () => {
  const first = ask('¿Descartar los cambios?');
  page.dialog.close(); // as a browser may after a second refused Esc
  page.dialog.dispatch('close');
  assert.equal(await first, null, 'the caller is not left waiting');

  const second = ask('¿Eliminar?');
  buttons()[1].dispatch('click');
  const third = ask('¿Restaurar?');
  page.dialog.dispatch('close'); // the close event of the second, after the third opened
  let settled = false;
  third.then(() => { settled = true; });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(await second, true);
  assert.deepEqual([settled, page.dialog.open], [false, true], 'the third still waits');
  buttons()[0].dispatch('click');
  assert.equal(await third, false);
});

test('a dialog opened over another settles the first as cancelled: one modal at a time', async () => {
  const first = ask('¿Descartar los cambios?');
  const second = ask('¿Eliminar?');
  assert.equal(await first, null, 'the first caller is not left waiting');
  assert.equal(page.dialog.open, true);
  buttons()[1].dispatch('click');
  assert.equal(await second, true);

  // The palette and the dialog are never open together, whichever opens last.
  showModal(page.palette);
  const third = ask('¿Restaurar?');
  assert.deepEqual([page.palette.open, page.dialog.open], [false, true]);
  assert.equal(modalOpen(page.palette), true, 'a dialog waits for an answer: the palette stays shut');
  showModal(page.palette);
  assert.equal(await third, null);
  assert.deepEqual([page.palette.open, page.dialog.open], [true, false]);
  page.palette.close();
});

test('the parts of a dialog left out (null) are not shown', async () => {
  const answer = openDialog({ title: '¿Eliminar?', content: [null, document.createElement('p'), undefined], buttons: [{ label: 'No', value: false }] });
  assert.deepEqual(page.dialog.children.map((c) => c.tagName), ['H2', 'P', 'DIV'], 'no «null» in the dialog');
  buttons()[0].dispatch('click');
  assert.equal(await answer, false);
});
