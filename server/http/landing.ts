// The page a relay shows at `/` until the web client is built into client/dist.
import { PROTOCOL_VERSION } from '#shared';

/** The oldest Node.js release the package supports (package.json `engines`). */
const NODE_VERSION = 22;

/**
 * The commands the page names, with the placeholders a reader fills in: `<relay>` for this
 * relay's address and `<read capability>` for a board's (test/integration/relay-landing.test.ts
 * runs each of them).
 */
export const LANDING_COMMANDS = {
  create: 'npx baton board create --relay <relay> --title "My board"',
  read: "npx baton read '<read capability>'",
  relay: 'npx baton relay',
} as const;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

export const LANDING_CSS = `body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#222;background:#fdfdfb}
h1{font-size:1.6rem;margin-bottom:.2rem}code,pre{font-family:ui-monospace,monospace;background:#f1f0ea;border-radius:4px}
code{padding:.1rem .3rem}pre{padding:.8rem;overflow-x:auto}.muted{color:#666}
@media (prefers-color-scheme:dark){body{color:#ddd;background:#161616}code,pre{background:#2a2a28}.muted{color:#999}}`;

export function landingPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Baton relay</title>
<link rel="stylesheet" href="relay.css">
</head>
<body>
<main>
<h1>Baton relay</h1>
<p class="muted">Protocol version ${PROTOCOL_VERSION}</p>
<p>This is a relay for <strong>Baton</strong>, an end-to-end encrypted message board that lives on
many relays at once. The relay carries only signed ciphertext: it cannot read the boards it holds,
and it keeps no record of who connects.</p>
<h2>Use it</h2>
<p>This relay's web client is not built. With Baton installed (it needs Node.js ${NODE_VERSION} or later),
create a board that syncs through this relay:</p>
<pre>${escapeHtml(LANDING_COMMANDS.create)}</pre>
<p>or read a board you were given:</p>
<pre>${escapeHtml(LANDING_COMMANDS.read)}</pre>
<p>Run a relay of your own:</p>
<pre>${escapeHtml(LANDING_COMMANDS.relay)}</pre>
<h2>For developers</h2>
<ul>
<li><code>GET /v1/info</code>: software, protocol version and limits</li>
<li><code>/v1/sync/&lt;room&gt;</code>: WebSocket, the y-websocket protocol</li>
<li><code>GET|POST /v1/rooms/&lt;room&gt;</code>: HTTP sync</li>
</ul>
</main>
</body>
</html>
`;
}
