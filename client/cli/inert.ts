// Text from the network made inert for a terminal: a writer's post, name or title, a relay's
// error message or a board's relay URL must not move the cursor, erase lines, set the window
// title or reorder what is printed around it (escape sequences, C1 controls, bidi controls).

/** C0 and C1 controls and DEL, except tab and newline (handled per field). */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/** Bidi embeddings, overrides and isolates, and the Arabic letter mark that acts like one. */
const BIDI = /[\u061c\u202a-\u202e\u2066-\u2069]/g;
/** Characters a terminal (or a program reading the output) may treat as a line break. */
const BREAKS = /[\n\u2028\u2029]/g;

/**
 * Text safe to print: controls and bidi controls removed. A multi-line field (a post body, a
 * summary) keeps its newlines and tabs; any other field becomes one line (breaks and tabs to spaces).
 */
export function inert(text: string, o: { multiline?: boolean } = {}): string {
  const clean = text.replace(/\r\n?/g, '\n').replace(CONTROLS, '').replace(BIDI, '');
  if (o.multiline) return clean.replace(/[\u2028\u2029]/g, '\n');
  return clean.replace(BREAKS, ' ').replace(/\t/g, ' ');
}

/** What JSON.stringify leaves raw but a terminal obeys: C1 controls, bidi controls, line separators. */
const JSON_RAW = /[\u007f-\u009f\u061c\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/**
 * JSON for stdout: JSON.stringify escapes C0 controls already; the rest that a terminal would
 * act on is escaped as \uXXXX too, so the text stays exact for programs and inert when printed.
 */
export function inertJson(value: unknown): string {
  return JSON.stringify(value).replace(JSON_RAW, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
