// The page a relay shows at `/` until the web client is built into client/dist, in its reader's
// language (server/http/page-language.ts), with links to the same page in the others.
import { PROTOCOL_VERSION } from '#shared';
import { CLI_LANGUAGES } from '#shared/l10n/locale.ts';
import { sayFor, str } from '../l10n.ts';

/** The oldest Node.js release the package supports (package.json `engines`). */
const NODE_VERSION = 22;

/**
 * The commands the page names, with the placeholders a reader fills in: `<relay>` for this
 * relay's address and `<read capability>` for a board's (test/integration/relay-landing.test.ts
 * runs each of them). They are typed as they are, so they stay the same in every language.
 */
export const LANDING_COMMANDS = {
  create: 'npx baton board create --relay <relay> --title "My board"',
  read: "npx baton read '<read capability>'",
  relay: 'npx baton relay',
} as const;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

// Commands and paths read left to right on a right-to-left page too.
export const LANDING_CSS = `body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#222;background:#fdfdfb}
h1{font-size:1.6rem;margin-bottom:.2rem}code,pre{font-family:ui-monospace,monospace;background:#f1f0ea;border-radius:4px;direction:ltr;unicode-bidi:isolate}
code{padding:.1rem .3rem}pre{padding:.8rem;overflow-x:auto;text-align:left}.muted{color:#666}nav a{display:inline-block;margin-inline-end:.8rem}
@media (prefers-color-scheme:dark){body{color:#ddd;background:#161616}code,pre{background:#2a2a28}.muted{color:#999}a{color:#8ab4f8}}`;

/** The page in `locale` (one of CLI_LOCALES). */
export function landingPage(locale: string): string {
  const say = sayFor(locale);
  const language = CLI_LANGUAGES.find((l) => l.code === locale) ?? CLI_LANGUAGES[0]!;
  const version = String(PROTOCOL_VERSION);
  const node = String(NODE_VERSION);
  const others = CLI_LANGUAGES.filter((l) => l.code !== language.code)
    .map((l) => `<a href="?lang=${l.code}" hreflang="${l.code}" lang="${l.code}" dir="${l.dir}">${escapeHtml(l.name)}</a>`)
    .join('\n');
  const title = escapeHtml(say('Baton relay', { id: 'relay.landing.title' }));
  return `<!doctype html>
<html lang="${language.code}" dir="${language.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<link rel="stylesheet" href="relay.css">
</head>
<body>
<nav class="muted" aria-label="${escapeHtml(say('Languages', { id: 'relay.landing.languages' }))}">
${others}
</nav>
<main>
<h1>${title}</h1>
<p class="muted">${escapeHtml(say(str`Protocol version ${version}`, { id: 'relay.landing.protocol' }))}</p>
<p>${escapeHtml(say('This is a relay for Baton, an end-to-end encrypted message board that lives on many relays at once. The relay carries only signed ciphertext: it cannot read the boards it holds, and it keeps no record of who connects.', { id: 'relay.landing.about' }))}</p>
<h2>${escapeHtml(say('Use it', { id: 'relay.landing.useIt' }))}</h2>
<p>${escapeHtml(say(str`This relay's web client is not built. With Baton installed (it needs Node.js ${node} or later), create a board that syncs through this relay:`, { id: 'relay.landing.create' }))}</p>
<pre tabindex="0">${escapeHtml(LANDING_COMMANDS.create)}</pre>
<p>${escapeHtml(say('or read a board you were given:', { id: 'relay.landing.read' }))}</p>
<pre tabindex="0">${escapeHtml(LANDING_COMMANDS.read)}</pre>
<p>${escapeHtml(say('Run a relay of your own:', { id: 'relay.landing.runOwn' }))}</p>
<pre tabindex="0">${escapeHtml(LANDING_COMMANDS.relay)}</pre>
<h2>${escapeHtml(say('For developers', { id: 'relay.landing.developers' }))}</h2>
<ul>
<li><code>GET /v1/info</code>: ${escapeHtml(say('software, protocol version and limits', { id: 'relay.landing.info' }))}</li>
<li><code>/v1/sync/&lt;room&gt;</code>: ${escapeHtml(say('WebSocket, the y-websocket protocol', { id: 'relay.landing.sync' }))}</li>
<li><code>GET|POST /v1/rooms/&lt;room&gt;</code>: ${escapeHtml(say('HTTP sync', { id: 'relay.landing.http' }))}</li>
</ul>
</main>
</body>
</html>
`;
}
