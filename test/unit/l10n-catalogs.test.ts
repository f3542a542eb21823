// The catalogs against the code: the English catalog is exactly the messages of the code
// (`npm run l10n:extract` writes it), and every shipped language has every message, no other,
// each with the same named values, so no screen falls back to English.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error a build script without types
import { SOURCES, catalogJson, extractMessages } from '../../scripts/l10n-messages.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

type Source = { dir: string; callee: string; catalogs: string };

const read = (path: string): Record<string, string> => JSON.parse(readFileSync(join(root, path), 'utf8'));

for (const source of SOURCES as Source[]) {
  test(`${source.catalogs}/en.json is the messages of ${source.dir}, as npm run l10n:extract writes them`, () => {
    const { messages, problems } = extractMessages(root, source) as { messages: Map<string, string>; problems: string[] };
    assert.deepEqual(problems, []);
    assert.ok(messages.size > 0);
    const path = join(source.catalogs, 'en.json');
    assert.ok(existsSync(join(root, path)), `${path} is missing: run npm run l10n:extract`);
    const onDisk = readFileSync(join(root, path), 'utf8');
    const wanted = catalogJson(messages) as string;
    if (onDisk !== wanted) {
      const have = read(path);
      const missing = [...messages.keys()].filter((id) => have[id] !== messages.get(id));
      const stale = Object.keys(have).filter((id) => !messages.has(id));
      assert.fail(`${path} differs from the code: run npm run l10n:extract (new or changed: ${missing.join(', ') || 'none'}; gone: ${stale.join(', ') || 'none'})`);
    }
  });
}
