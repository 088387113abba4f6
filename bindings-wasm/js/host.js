// The transport host the wasm module calls (src/transport.rs): one fetch per request.
// Only strings cross into wasm: headers as "name: value" lines, the body as text. A failed
// fetch resolves (never rejects) with status 0 and the failure kind in `headers`.

function parseHeaderLines(lines) {
  const headers = {};
  let start = 0;
  while (start < lines.length) {
    let end = lines.indexOf('\n', start);
    if (end < 0) end = lines.length;
    const colon = lines.indexOf(':', start);
    if (colon > start && colon < end) headers[lines.slice(start, colon)] = lines.slice(colon + 2, end);
    start = end + 1;
  }
  return headers;
}

// undici (Node) wraps socket errors in `cause`; browsers only say "Failed to fetch".
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function failure(e, timedOut) {
  if (timedOut) return { status: 0, headers: 'timeout', body: 'timeout' };
  const code = e?.cause?.code ?? e?.code;
  const text = String(code ?? e?.cause?.message ?? e?.message ?? e);
  return { status: 0, headers: CONNECT_CODES.has(code) ? 'connect' : 'io', body: text };
}

/** A host over `fetchImpl` (the platform fetch or the user's own). */
export function makeHost(fetchImpl) {
  return {
    async send(url, headerLines, body, timeoutMs) {
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
      try {
        const res = await fetchImpl(url, { method: 'POST', headers: parseHeaderLines(headerLines), body, signal: controller.signal });
        const text = await res.text();
        let lines = '';
        res.headers.forEach((v, k) => {
          lines += `${k}: ${v}\n`;
        });
        return { status: res.status, headers: lines, body: text };
      } catch (e) {
        return failure(e, timedOut);
      } finally {
        clearTimeout(timer);
      }
    },
    sleep(ms) {
      return new Promise((resolve) => setTimeout(resolve, ms));
    },
  };
}
