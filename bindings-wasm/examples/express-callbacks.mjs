// Receiving CMI callbacks in Express (or any framework with (req, res) handlers and a raw-body
// parser). Needs `npm install express`; run: node examples/express-callbacks.mjs [port]
import { parseNotification } from 'cmi-datacard';

/** Express middleware: mount after `express.raw({ type: '*' + '/*' })` so `req.body` is the
 * raw bytes. `onEvent(parsed)` sees each event once per dedupeKey. */
export function notificationMiddleware(onEvent, seen = new Set()) {
  return async (req, res) => {
    let parsed;
    try {
      parsed = parseNotification(req.headers, req.body);
    } catch (e) {
      res.status(400).json({ error: e.kind });
      return;
    }
    try {
      if (!seen.has(parsed.dedupeKey)) {
        await onEvent(parsed);
        seen.add(parsed.dedupeKey);
      }
      res.status(200).type('application/json').send(parsed.ack);
    } catch {
      res.status(200).type('application/json').send(parsed.failureAck);
    }
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { default: express } = await import('express');
  const app = express();
  // app.use, not app.post: eSIM status comes to <url>/gsma/rsp2/es2plus/handleDownloadProgressInfo.
  app.use('/cmi/callbacks', express.raw({ type: '*/*' }), notificationMiddleware((n) => console.log(n.kind, n.event)));
  app.listen(Number(process.argv[2] ?? 8080));
}
