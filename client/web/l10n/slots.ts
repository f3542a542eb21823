// Markup inside a translated sentence: the sentence is a `str` message whose values are slot
// marks; `fillSlots` puts each template where the translation placed its mark, so a name in
// <bdi> can sit first in one language and last in another.
//   const name = slot(0);
//   fillSlots(msg(str`Posting as ${name}`, { id: 'app.postingAs' }), { [name]: html`<bdi>${who}</bdi>` });

/** A private-use character that stands for the i-th part of a message (never in a catalog). */
export function slot(i: number): string {
  return String.fromCharCode(0xe000 + i);
}

const MARK = /([\ue000-\ue00f])/;

/** The text split at its marks, each mark replaced by its part. */
export function fillSlots<T>(text: string, parts: Readonly<Record<string, T>>): (string | T)[] {
  return text
    .split(MARK)
    .filter((piece) => piece !== '')
    .map((piece) => (piece.length === 1 && MARK.test(piece) ? (parts[piece] ?? '') : piece));
}

/** The text with each mark replaced by plain text (a title attribute, a notice). */
export function fillText(text: string, parts: Readonly<Record<string, string>>): string {
  return fillSlots(text, parts).join('');
}
