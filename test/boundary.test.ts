// The core stays platform-neutral (DESIGN.md): nothing under src/ imports a chat SDK or adapters/, only
// src/config.ts reads process.env, and src/core/ speaks its own language: it imports nothing of ours outside it.
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

const CORE = path.join(ROOT, 'src', 'core');
const coreFiles = files.filter((f) => f.startsWith(CORE + path.sep));

it('finds the core files', () => {
  expect(coreFiles.length).toBeGreaterThan(10);
});

it.each(coreFiles.map((f) => [path.relative(ROOT, f), f]))(
  '%s imports nothing of ours outside src/core/',
  (_name, file) => {
    // Packages and node built-ins are fine (the chat SDK test above covers the SDKs); a relative import
    // that leaves src/core/ is a vendor or feature folder the core would then depend on.
    const outside = importsOf(file)
      .filter((spec) => spec.startsWith('.'))
      .filter((spec) => !path.resolve(path.dirname(file), spec).startsWith(CORE + path.sep));
    expect(outside).toEqual([]);
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
