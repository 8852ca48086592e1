// Rewrites render-hashes.json after a deliberate change to what cards say or look like:
// `node -r @swc-node/register test/adapters/golden/write-hashes.ts`, then review the diff of changed cases.

import fs from 'node:fs';
import { GOLDEN_PATH, renderHashes } from './render-cases';

fs.writeFileSync(GOLDEN_PATH, `${JSON.stringify(renderHashes(), null, 2)}\n`);
