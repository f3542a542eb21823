// Looks for secrets in a dump of everything a device stored: each secret as its raw bytes,
// as UTF-8 text, and as base64url, base64 and hex text (lower and upper case), since a store
// may keep a key in any of these forms.
import { parseCapability, publicKeyFromSpaceId, toBase64url } from '#shared';

export interface Secret {
  what: string;
  value: string | Uint8Array;
}

function forms(value: string | Uint8Array): Uint8Array[] {
  const text = new TextEncoder();
  const bytes = typeof value === 'string' ? text.encode(value) : value;
  const hex = Buffer.from(bytes).toString('hex');
  const out = [bytes, text.encode(toBase64url(bytes)), text.encode(Buffer.from(bytes).toString('base64').replace(/=+$/, '')), text.encode(hex), text.encode(hex.toUpperCase())];
  if (typeof value === 'string') out.push(text.encode(encodeURIComponent(value)));
  return out.filter((f) => f.length >= 8);
}

/** The secrets a capability text carries: itself, its read key and write seed, and its space id (raw and as the key behind it). */
export function secretsOfCapability(what: string, capText: string): Secret[] {
  const cap = parseCapability(capText);
  const out: Secret[] = [{ what: `${what} capability`, value: capText.split('?')[0]! }, { what: `${what} space id`, value: cap.spaceId }];
  const pub = publicKeyFromSpaceId(cap.spaceId);
  if (pub) out.push({ what: `${what} space key`, value: pub });
  if (cap.readKey) out.push({ what: `${what} read key`, value: cap.readKey });
  if (cap.write) out.push({ what: `${what} write seed`, value: cap.write.seed });
  return out;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(Buffer.from(needle.buffer, needle.byteOffset, needle.byteLength));
}

/** Which secrets appear in the dump, in any of their forms (empty: none). */
export function findSecrets(dump: Uint8Array, secrets: Secret[]): string[] {
  const found: string[] = [];
  for (const s of secrets) for (const f of forms(s.value)) if (indexOf(dump, f) >= 0) found.push(`${s.what} (${new TextDecoder().decode(f).slice(0, 24)}…)`);
  return found;
}
