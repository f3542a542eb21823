// A catalog as @lit/localize's runtime mode wants it. Catalogs are JSON, shared with the CLI:
// `{ "id": "text" }`, where `{name}` marks a value. A value is named in the source (English)
// catalog and found by name in a translation, so a translation may move it; @lit/localize
// finds a `str` template's values by their index in the source's `msg(str`…`)`.
import { str, type StrResult } from '@lit/localize';

export type Catalog = Record<string, string>;
export type Templates = Record<string, string | StrResult>;

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The value names of a catalog text, in order. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/**
 * The templates of a translation. An entry whose values are not exactly the source's is left
 * out, so the English shows instead of a wrong value (the catalog test refuses such a catalog).
 */
export function toTemplates(source: Catalog, translation: Catalog): Templates {
  const templates: Templates = {};
  for (const [id, text] of Object.entries(translation)) {
    const from = source[id];
    if (typeof from !== 'string' || typeof text !== 'string') continue;
    const names = placeholders(from);
    const used = placeholders(text);
    if (used.length !== names.length || !used.every((n) => names.includes(n))) continue;
    if (names.length === 0) {
      templates[id] = text;
      continue;
    }
    const strings = text.split(PLACEHOLDER).filter((_, i) => i % 2 === 0);
    const order = used.map((n) => names.indexOf(n));
    templates[id] = str(Object.assign(strings, { raw: strings }) as unknown as TemplateStringsArray, ...order);
  }
  return templates;
}
