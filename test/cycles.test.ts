// No import cycles among src/ and adapters/ (issue 16): each circle is listed with one walk through it.
// KNOWN_CYCLES is empty and only shrinks: a cycle not on it fails, and so does an entry that no longer exists.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, cyclePath, importCycles, importGraph, sourceFiles } from './support/imports';

/**
 * Cycles allowed to remain: none. Each entry would be a strongly connected component (every file that can
 * reach every other one through imports); the list may only shrink, so it stays empty.
 */
const KNOWN_CYCLES: readonly (readonly string[])[] = [];

function relative(file: string): string {
  return path.relative(ROOT, file).split(path.sep).join('/');
}

function cyclesIn(dirs: readonly string[]): { components: string[][]; walks: Map<string, string> } {
  const graph = importGraph(dirs.flatMap((dir) => sourceFiles(dir)));
  const components = importCycles(graph);
  const walks = new Map(
    components.map((c) => [c.map(relative).join(' '), cyclePath(graph, c).map(relative).join(' → ')]),
  );
  return { components: components.map((c) => c.map(relative)), walks };
}

const keyOf = (component: readonly string[]): string => component.join(' ');

it('src/ and adapters/ have no import cycle beyond the known ones', () => {
  const { components, walks } = cyclesIn([path.join(ROOT, 'src'), path.join(ROOT, 'adapters')]);
  const known = new Set(KNOWN_CYCLES.map(keyOf));
  const found = new Set(components.map(keyOf));
  const unlisted = [...found].filter((k) => !known.has(k)).map((k) => walks.get(k));
  const gone = [...known].filter((k) => !found.has(k));
  // Named lists so a failure says which cycle appeared (with a walk to break) or which entry to delete.
  expect({ unlisted, gone }).toEqual({ unlisted: [], gone: [] });
});

it('KNOWN_CYCLES is sorted like the finder reports, so an entry cannot hide by its order', () => {
  for (const entry of KNOWN_CYCLES) expect([...entry].sort()).toEqual(entry);
});

describe('the cycle finder', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperbot-cycles-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function write(files: Record<string, string>): void {
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
  }

  it('finds a circle through type-only, re-export, lazy and index imports, and walks it', () => {
    write({
      'a.ts': "import type { B } from './b';\nexport type A = B;\n",
      'b.ts': "export { c } from './sub';\nexport type B = string;\n",
      'sub/index.ts': "export const c = () => import('../a');\n",
      'd.ts': "import { c } from './sub/index';\nimport fs from 'node:fs';\nvoid [c, fs];\n",
    });
    const graph = importGraph(sourceFiles(dir));
    const cycles = importCycles(graph);
    const names = (files: string[]) => files.map((f) => path.relative(dir, f).split(path.sep).join('/'));
    expect(cycles.map(names)).toEqual([['a.ts', 'b.ts', 'sub/index.ts']]);
    expect(names(cyclePath(graph, cycles[0] as string[]))).toEqual(['a.ts', 'b.ts', 'sub/index.ts', 'a.ts']);
  });

  it('finds a file importing itself and two separate circles, and nothing in a tree without one', () => {
    write({
      'self.ts': "import './self';\n",
      'x.ts': "import './y';\n",
      'y.ts': "import './x';\n",
      'leaf.ts': "import './x';\n",
    });
    expect(importCycles(importGraph(sourceFiles(dir))).map((c) => c.length)).toEqual([1, 2]);
    fs.writeFileSync(path.join(dir, 'y.ts'), 'export {};\n');
    fs.rmSync(path.join(dir, 'self.ts'));
    expect(importCycles(importGraph(sourceFiles(dir)))).toEqual([]);
  });
});
