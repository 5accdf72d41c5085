import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';

// Every screen module links: its imports exist and it runs no DOM code at load (main.js,
// which boots the app, is the one exception and is left out).
test('every UI module loads and its imports resolve', async () => {
  const dir = new URL('../../ui/components/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.js'));
  assert.ok(files.length >= 8);
  for (const f of files) await import(new URL(f, dir));
  for (const f of ['api.js', 'dom.js', 'enums.js', 'format.js', 'i18n.js', 'licenses.js', 'logic.js']) {
    await import(new URL(`../../ui/${f}`, import.meta.url));
  }
});
