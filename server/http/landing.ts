// The page a relay shows at `/` until the web client is built into client/dist.
import { PROTOCOL_VERSION } from '../../shared/index.ts';

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
<link rel="stylesheet" href="/relay.css">
</head>
<body>
<main>
<h1>Baton relay</h1>
<p class="muted">Protocol version ${PROTOCOL_VERSION}</p>
<p>This is a relay for <strong>Baton</strong>, an end-to-end encrypted message board that lives on
many relays at once. The relay carries only signed ciphertext: it cannot read the boards it holds,
and it keeps no record of who connects.</p>
<h2>Use it</h2>
<p>With Node.js 20 or later, create a board that syncs through this relay:</p>
<pre>npx baton new "My board" --relay &lt;this relay's address&gt;</pre>
<p>or open a board you were given a link to:</p>
<pre>npx baton open 'baton:board:…'</pre>
<p>Run a relay of your own with <code>npx baton relay</code>.</p>
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
