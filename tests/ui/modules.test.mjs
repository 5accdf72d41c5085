import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uiModules, UI } from './sources.mjs';

// Every module links: its imports exist and it runs no DOM code when it loads (main.js, which
// boots the app, is the one exception and is left out).
test('every UI module loads and its imports resolve', async () => {
  const files = uiModules().filter((f) => f !== 'main.js');
  assert.ok(files.length >= 25, `${files.length} modules`);
  for (const f of files) await import(new URL(f, UI));
});
