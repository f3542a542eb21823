// Where a relay URL points, judged from the URL alone (no DNS lookup): a board's relay list
// is written by any writer, and a client that dialled every address in it would let one
// writer aim its readers at their own router, their localhost or an intranet. A client dials
// a `local` address only when its own user chose it (client/core/space.ts).
//   public: a host name, or an IP address routable on the Internet
//   local:  loopback, private, link-local, shared (CGNAT), multicast, reserved or documentation
//           addresses in any IPv4 or IPv6 form (mapped, compatible, NAT64, 6to4), `localhost`,
//           names under .localhost, .local, .internal, .lan, .home.arpa, and names without a dot
//   bad:    not a URL, or not http(s) or ws(s)

export type RelayAddressKind = 'public' | 'local' | 'bad';

/** IPv4 ranges that are not public, as [first octets as a 32-bit number, prefix length]. */
const LOCAL_V4: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // shared address space (CGNAT)
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and the broadcast address
];

const LOCAL_NAMES = ['localhost', 'local', 'internal', 'lan', 'home.arpa', 'intranet'];

function v4Number(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = n * 256 + Number(p);
  }
  return n;
}

const V4_RANGES = LOCAL_V4.map(([base, bits]) => [v4Number(base)!, bits] as const);

export function isLocalIPv4(n: number): boolean {
  return V4_RANGES.some(([base, bits]) => Math.floor(n / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits)));
}

/** The eight 16-bit groups of an IPv6 address (with '::' and a dotted IPv4 tail), or null. */
export function parseIPv6(text: string): number[] | null {
  let head = text;
  if (text.includes('.')) {
    // A dotted IPv4 tail stands for the last two groups.
    const cut = text.lastIndexOf(':');
    const v4 = v4Number(text.slice(cut + 1));
    if (cut < 0 || v4 === null) return null;
    head = `${text.slice(0, cut + 1)}${(Math.floor(v4 / 65536)).toString(16)}:${(v4 % 65536).toString(16)}`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-f]{1,4}$/i.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  if (!left || !right) return null;
  const known = left.length + right.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return null;
  return [...left, ...new Array<number>(8 - known).fill(0), ...right];
}

export function isLocalIPv6(g: number[]): boolean {
  const v4At = (i: number) => g[i]! * 65536 + g[i + 1]!;
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && g[5] === 0xffff) return isLocalIPv4(v4At(6)); // ::ffff:a.b.c.d (mapped)
  if (zeros(0, 6)) return true; // ::, ::1 and the deprecated ::a.b.c.d (compatible)
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return isLocalIPv4(v4At(6)); // ::ffff:0:a.b.c.d (translated)
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return isLocalIPv4(v4At(6)); // NAT64
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return true; // local-use NAT64
  if (g[0] === 0x2002) return isLocalIPv4(v4At(1)); // 6to4
  if (g[0] === 0x2001 && g[1] === 0) return true; // Teredo (its IPv4 part is obfuscated)
  if (g[0] === 0x2001 && g[1] === 0xdb8) return true; // documentation
  if (g[0] === 0x100 && zeros(1, 4)) return true; // discard
  const top = g[0]!;
  return (top & 0xfe00) === 0xfc00 /* unique local */ || (top & 0xffc0) === 0xfe80 /* link-local */ || (top & 0xffc0) === 0xfec0 /* site-local */ || (top & 0xff00) === 0xff00; /* multicast */
}

/** The kind of address a relay URL points at (see the top of this file). */
export function relayAddressKind(url: string): RelayAddressKind {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'bad';
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(parsed.protocol)) return 'bad';
  // WHATWG URL parsing already turned every IPv4 spelling (0x7f.1, 2130706433, 127.1) into
  // dotted decimal, and lower-cased and punycoded names.
  const host = parsed.hostname.replace(/\.$/, '');
  if (host === '') return 'bad';
  if (host.startsWith('[')) {
    const groups = parseIPv6(host.slice(1, -1));
    if (!groups) return 'bad';
    return isLocalIPv6(groups) ? 'local' : 'public';
  }
  const v4 = v4Number(host);
  if (v4 !== null) return isLocalIPv4(v4) ? 'local' : 'public';
  if (!host.includes('.')) return 'local'; // a bare name resolves through the local search domains
  if (LOCAL_NAMES.some((n) => host === n || host.endsWith(`.${n}`))) return 'local';
  return 'public';
}
