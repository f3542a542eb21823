// The messages of the source code: every `msg('…', { id })` and `msg(str`…${value}…`, { id })`
// of the web client, and every `say(…)` of the CLI and the relay (the same shape), parsed with Vite's parser. Each value becomes a named placeholder,
// `{name}`, after the variable or property it comes from, which is what the catalogs use.
// The English catalog is written from this (scripts/l10n-extract.js) and the catalog test
// (test/unit/l10n-catalogs.test.ts) checks it against the code.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { parseSync } from 'rolldown/utils';

/** Where messages live, the function that marks them, and the catalog folder they go to. */
export const SOURCES = [
  { dirs: ['client/web'], callee: 'msg', catalogs: 'client/l10n/web' },
  // The relay speaks through the CLI's catalogs: one `baton` command, one set of words.
  { dirs: ['client/cli', 'server'], callee: 'say', catalogs: 'client/l10n/cli' },
];

const SKIP = new Set(['node_modules', 'dist', 'build']);

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name) || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.ts$/.test(name) && !/\.(test|d)\.ts$/.test(name) && name !== 'vite.config.ts') yield path;
  }
}

/** The name a value goes by in a catalog: the variable or the last property it is read from. */
function valueName(node) {
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'TSNonNullExpression' || node.type === 'ChainExpression' || node.type === 'ParenthesizedExpression') return valueName(node.expression);
  if (node.type === 'MemberExpression' && !node.computed) return node.property.name;
  return null;
}

function* walk(node) {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) yield* walk(n);
    return;
  }
  if (typeof node.type === 'string') yield node;
  for (const [key, value] of Object.entries(node)) if (key !== 'parent' && value && typeof value === 'object') yield* walk(value);
}

/** The text of one message, with `{name}` for each value; or a problem. */
function messageText(arg, where) {
  if (arg.type === 'Literal' && typeof arg.value === 'string') return { text: arg.value };
  if (arg.type === 'TemplateLiteral' && arg.expressions.length === 0) return { text: arg.quasis[0].value.cooked };
  if (arg.type !== 'TaggedTemplateExpression' || arg.tag.type !== 'Identifier' || arg.tag.name !== 'str') {
    return { problem: `${where}: a message is a string literal or str\`…\`` };
  }
  const { quasis, expressions } = arg.quasi;
  let text = quasis[0].value.cooked;
  const names = [];
  for (let i = 0; i < expressions.length; i++) {
    const name = valueName(expressions[i]);
    if (!name) return { problem: `${where}: name each value of a message: put it in a const first (\${${i}})` };
    if (names.includes(name)) return { problem: `${where}: two values of one message are both named "${name}"` };
    names.push(name);
    text += `{${name}}${quasis[i + 1].value.cooked}`;
  }
  return { text };
}

/**
 * Every message under one source folder, by id: { messages: Map<id, text>, problems: string[] }.
 * An id used twice must carry the same text.
 */
export function extractMessages(root, source) {
  const messages = new Map();
  const problems = [];
  for (const file of source.dirs.flatMap((dir) => [...sourceFiles(join(root, dir))])) {
    const code = readFileSync(file, 'utf8');
    if (!code.includes(`${source.callee}(`)) continue;
    const rel = relative(root, file).split(sep).join('/');
    const parsed = parseSync(file, code, { lang: 'ts', sourceType: 'module' });
    for (const node of walk(parsed.program)) {
      if (node.type !== 'CallExpression' || node.callee.type !== 'Identifier' || node.callee.name !== source.callee) continue;
      const line = code.slice(0, node.start).split('\n').length;
      const where = `${rel}:${line}`;
      const [arg, options] = node.arguments;
      const idProp = options?.type === 'ObjectExpression' ? options.properties.find((p) => p.key?.name === 'id') : undefined;
      const id = idProp?.value.type === 'Literal' ? idProp.value.value : null;
      if (typeof id !== 'string' || !/^[a-z][A-Za-z0-9]*(\.[a-zA-Z0-9]+)+$/.test(id)) {
        problems.push(`${where}: every message needs a literal id such as { id: 'area.name' }`);
        continue;
      }
      const { text, problem } = arg ? messageText(arg, where) : { problem: `${where}: a message without text` };
      if (problem) {
        problems.push(problem);
        continue;
      }
      if (/[{}]/.test(text.replace(/\{[A-Za-z_][A-Za-z0-9_]*\}/g, ''))) problems.push(`${where}: a message may not hold a brace of its own`);
      const before = messages.get(id);
      if (before !== undefined && before !== text) problems.push(`${where}: the id ${id} is used for two texts:\n    ${before}\n    ${text}`);
      messages.set(id, text);
    }
  }
  return { messages, problems };
}

/** A catalog's text: its ids in order, one a line, so that additions merge cleanly. */
export function catalogJson(messages) {
  const sorted = Object.fromEntries([...messages].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

/**
 * Each translation records the English it was translated from, as a short hash, beside the
 * catalogs: client/l10n/sources/<web|cli>/<locale>.json, `{ "id": "hash" }`. When the English
 * of an id changes and its translation's record does not, the catalog test names the id.
 */
export const sourceHash = (text) => createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 8);

export const sourcesPath = (source, locale) => join('client/l10n/sources', basename(source.catalogs), `${locale}.json`);

const readJson = (path) => (existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {});

/**
 * Brings one language's records up to date: a translation without a record is recorded as made
 * from today's English (it is new), records of ids gone are dropped, and the ids in `reviewed`
 * are recorded afresh (their translation was checked against today's English). A record that no
 * longer matches is otherwise kept, so the catalog test still sees it. Returns the ids recorded.
 */
export function updateSources(root, source, locale, reviewed = []) {
  const english = readJson(join(root, source.catalogs, 'en.json'));
  const translation = readJson(join(root, source.catalogs, `${locale}.json`));
  const path = join(root, sourcesPath(source, locale));
  const before = readJson(path);
  const after = new Map();
  const recorded = [];
  for (const id of Object.keys(translation)) {
    if (!(id in english)) continue;
    const fresh = !(id in before) || reviewed.includes(id);
    if (fresh && before[id] !== sourceHash(english[id])) recorded.push(id);
    after.set(id, fresh ? sourceHash(english[id]) : before[id]);
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, catalogJson(after));
  return recorded;
}
