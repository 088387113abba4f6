// Receiving CMI callbacks (3.2.15 activation, 3.2.16 usage, 3.2.17 eSIM status) with Node's
// http module. Run: node examples/node-http-callbacks.mjs [port]
//
// Verify the sender before trusting the body in production (an IP allow-list or the WSSE
// header at your proxy); parseNotification only reads the body.
import { createServer } from 'node:http';
import { parseNotification } from 'cmi-datacard';

/** A request listener handing each new event to `onEvent(parsed)`; a redelivered event
 * (same dedupeKey) is acknowledged without calling it again. */
export function notificationListener(onEvent, seen = new Set()) {
  return async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    let parsed;
    try {
      parsed = parseNotification(req.headers, Buffer.concat(chunks));
    } catch (e) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: e.kind }));
      return;
    }
    try {
      if (!seen.has(parsed.dedupeKey)) {
        await onEvent(parsed);
        seen.add(parsed.dedupeKey);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(parsed.ack);
    } catch {
      // CMI delivers again later; it reads the failure from the acknowledgement.
      res.writeHead(200, { 'content-type': 'application/json' }).end(parsed.failureAck);
    }
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.argv[2] ?? 8080);
  createServer(notificationListener((n) => console.log(n.kind, n.dedupeKey, n.event))).listen(port, () =>
    console.log(`listening on :${port}`),
  );
}
