import { test } from 'node:test';
import assert from 'node:assert/strict';
import { read, uiModules, UI } from './sources.mjs';

const MARKER = '<!-- tidy: ui layers, highest first -->';
const SIBLINGS = '(among themselves)';

/**
 * The UI's layers as ARCHITECTURE.md lists them, lowest first: each a list of entries (a
 * file, or a folder ending in `/`) and whether its modules may import one another.
 */
export function layers(architecture) {
  const at = architecture.indexOf(MARKER);
  assert.ok(at >= 0, 'ARCHITECTURE.md marks the UI layers');
  const block = architecture.slice(architecture.indexOf('```text\n', at) + 8);
  return block.slice(0, block.indexOf('```')).split('\n').filter((l) => l.trim()).reverse().map((line) => ({
    entries: line.replace(SIBLINGS, '').trim().split(/\s+/),
    siblings: line.includes(SIBLINGS),
  }));
}

/** The layer of `file` (a path under `ui/`), or -1. */
function layerOf(layers, file) {
  return layers.findIndex((l) => l.entries.some((e) => (e.endsWith('/') ? file.startsWith(e) : file === e)));
}

/** A dynamic import whose module is named at run time: no reading of the source can place it. */
export const UNKNOWN = '?';

/**
 * The modules `file` imports, as paths under `ui/`: `import … from './x.js'`, `export … from
 * './x.js'`, `import './x.js'` and `import('./x.js')`; UNKNOWN for `import(name)`.
 */
export function imports(file, text) {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const specs = [...code.matchAll(
    // Before `from` only names, braces, commas and `*`: a match never runs into the next statement.
    /^\s*(?:import|export)\s[\w$\s{},*]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|(?<![\w$.])import\s*\(\s*(?:['"]([^'"]+)['"]\s*[,)])?/gm,
  )].map((m) => m[1] ?? m[2] ?? m[3] ?? UNKNOWN);
  return specs.map((spec) => (spec === UNKNOWN ? spec : new URL(spec, new URL(file, UI)).href.slice(UI.href.length)));
}

/** What breaks the UI's structure in `sources` ([path, text] pairs), given ARCHITECTURE.md. */
export function violations(sources, architecture) {
  const table = layers(architecture);
  const found = [];
  for (const [file, text] of sources) {
    const own = layerOf(table, file);
    if (own < 0) {
      found.push(`${file} is in no layer of ARCHITECTURE.md`);
      continue;
    }
    for (const target of imports(file, text)) {
      if (target === UNKNOWN) {
        found.push(`${file} imports a module it names at run time`);
        continue;
      }
      const theirs = layerOf(table, target);
      const allowed = theirs >= 0 && (theirs < own || (theirs === own && table[own].siblings));
      if (!allowed) {
        found.push(`${file} imports ${target}, not in a lower layer`);
      }
    }
    if (file !== 'api.js' && /__TAURI__/.test(text)) found.push(`${file} touches window.__TAURI__`);
  }
  return found;
}

const architecture = read(new URL('../../ARCHITECTURE.md', import.meta.url));
const sources = () => uiModules().map((f) => [f, read(new URL(f, UI))]);

test('each UI module imports only from lower layers, and only api.js speaks to Tauri', () => {
  const all = sources();
  assert.ok(all.length >= 25);
  assert.deepEqual(violations(all, architecture), []);
});

test('a widget calling a command, a screen importing a screen, re-exports, bare and run-time imports, a stray file: all caught', () => {
  const planted = sources().map(([f, text]) => {
    if (f === 'widgets/picker.js') return [f, `import * as api from '../api.js';\n${text}`];
    if (f === 'screens/home.js') return [f, `import { renderList } from './lists.js';\n${text}`];
    if (f === 'logic.js') return [f, `${text}\nexport const peek = () => window.__TAURI__;\n`];
    if (f === 'format.js') return [f, `export { clear } from './dom.js';\nexport * from './screens/about.js';\n${text}`];
    if (f === 'widgets/form.js') return [f, `import '../flows/export.js';\n${text}\nconst late = (name) => import(name);\n`];
    return [f, text];
  });
  planted.push(['components/old.js', '']);
  assert.deepEqual(violations(planted, architecture).sort(), [
    'components/old.js is in no layer of ARCHITECTURE.md',
    'format.js imports screens/about.js, not in a lower layer',
    'logic.js touches window.__TAURI__',
    'screens/home.js imports screens/lists.js, not in a lower layer',
    'widgets/form.js imports a module it names at run time',
    'widgets/form.js imports flows/export.js, not in a lower layer',
    'widgets/picker.js imports api.js, not in a lower layer',
  ]);
});

test('imports are read from the code, not from its comments', () => {
  assert.deepEqual(imports('screens/x.js', "// import { a } from './y.js';\nimport { b } from '../dom.js';\nconst m = await import('./z.js');\n"),
    ['dom.js', 'screens/z.js']);
  const tricky = [
    'import {\n  a,\n  b as c,\n} from \'../dom.js\';',
    'export function load(n) {\n  return import(n);\n}',
    "export function f(a) {\n  return a; // comes from 'nowhere'\n}",
    'const file = await api.import(path);',
    "const w = await import ('../widgets/ui.js');",
    "export { x } from './y.js';",
  ].join('\n');
  assert.deepEqual(imports('screens/x.js', tricky), ['dom.js', UNKNOWN, 'widgets/ui.js', 'screens/y.js']);
});
