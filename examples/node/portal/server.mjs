// A support portal: the server holds the CMI credentials and relays a few read-only calls
// for logged-in support agents; the page (public/) never sees a secret or a token.
// Run: CMI_* from `cmi sandbox`, PORTAL_AGENT_SESSIONS=s3cr3t-session node server.mjs [port]
// then open http://127.0.0.1:8080/ with the cookie `agent_session=s3cr3t-session` (a real portal
// sets it at its own login).
import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, createRelayHandler } from 'cmi-datacard';

const here = dirname(fileURLToPath(import.meta.url));
// The browser entry of the relay client and the two modules it imports: no wasm, no secret.
const clientDir = dirname(fileURLToPath(import.meta.resolve('cmi-datacard/relay-client')));
const STATIC = {
  '/': ['text/html', join(here, 'public', 'index.html')],
  '/app.mjs': ['text/javascript', join(here, 'public', 'app.mjs')],
  '/vendor/cmi-datacard/relay-client.js': ['text/javascript', join(clientDir, 'relay-client.js')],
  '/vendor/cmi-datacard/errors.js': ['text/javascript', join(clientDir, 'errors.js')],
  '/vendor/cmi-datacard/operations.js': ['text/javascript', join(clientDir, 'operations.js')],
};

/** The agent's session from the `agent_session` cookie, if it is one of `sessions`. */
function agentSession(request, sessions) {
  const pair = (request.headers.cookie ?? '').split(';').find((c) => c.trim().startsWith('agent_session='));
  const given = Buffer.from(pair?.slice(pair.indexOf('=') + 1).trim() ?? '');
  // Constant-time comparison: the cookie is a bearer credential.
  return sessions.some((s) => s.length === given.length && timingSafeEqual(s, given));
}

// snippet-start: relay
/** Read-only operations an agent may call; buying, ending or refunding stays out. */
const AGENT_OPERATIONS = new Set(['querySubscribedBundles', 'queryQuota', 'queryEsimCardInfo']);

/** The portal as an http.Server: the static page, and the relay at POST /api/cmi. */
export function createPortal({ client, sessions }) {
  const known = sessions.map((s) => Buffer.from(s));
  const relay = createRelayHandler(client, {
    authorize: ({ operation, request }) => agentSession(request, known) && AGENT_OPERATIONS.has(operation),
  });
  return createServer((req, res) => {
    if (req.url === '/api/cmi') return relay(req, res);
    const file = req.method === 'GET' ? STATIC[req.url] : undefined;
    if (!file) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': `${file[0]}; charset=utf-8` }).end(readFileSync(file[1]));
  });
}
// snippet-end: relay

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sessions = (process.env.PORTAL_AGENT_SESSIONS ?? '').split(',').filter(Boolean);
  if (sessions.length === 0) throw new Error('set PORTAL_AGENT_SESSIONS (comma-separated agent session ids)');
  const port = Number(process.argv[2] ?? 8080);
  // snippet-start: from-env
  const client = Client.fromEnv(); // CMI_BASE_URL, CMI_APP_KEY, CMI_APP_SECRET: server side only
  // snippet-end: from-env
  createPortal({ client, sessions }).listen(port, '127.0.0.1', () => console.log(`portal on http://127.0.0.1:${port}/`));
}
