// The core stays platform-neutral (DESIGN.md): nothing under src/ imports a chat SDK or adapters/,
// and only src/config.ts reads process.env.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, importsOf, sourceFiles } from './support/imports';

const CHAT_SDKS = /^(@slack\/|@microsoft\/agents|botbuilder|botframework)/;

const files = sourceFiles(path.join(ROOT, 'src'));

it('finds the core sources', () => {
  expect(files.length).toBeGreaterThan(10);
});

it.each(files.map((f) => [path.relative(ROOT, f), f]))(
  '%s imports no chat SDK and nothing from adapters/',
  (_name, file) => {
    for (const spec of importsOf(file)) {
      expect(spec).not.toMatch(CHAT_SDKS);
      if (spec.startsWith('.'))
        expect(path.resolve(path.dirname(file), spec)).not.toContain(`${path.sep}adapters${path.sep}`);
    }
  },
);

it('reads process.env only in src/config.ts', () => {
  const readers = files
    .filter((f) => /process\.env/.test(fs.readFileSync(f, 'utf8')))
    .map((f) => path.relative(ROOT, f));
  expect(readers).toEqual([path.join('src', 'config.ts')]);
});

it('the import scanner sees every form of import', () => {
  const probe = path.join(ROOT, 'test', 'fixtures', '.boundary-probe.ts');
  fs.writeFileSync(
    probe,
    "import { App } from '@slack/bolt';\nconst x = require('botbuilder');\nvoid import('../adapters/cli/main');\nimport 'side-effect';\n",
  );
  try {
    expect(importsOf(probe)).toEqual(['@slack/bolt', 'botbuilder', '../adapters/cli/main', 'side-effect']);
  } finally {
    fs.unlinkSync(probe);
  }
});
