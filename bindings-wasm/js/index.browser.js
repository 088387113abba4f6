// Browser and bundler entry: the module is fetched next to this file (bundlers resolve the
// `new URL(..., import.meta.url)` inside the glue) before the exports are used.
import init from './cmi_wasm.js';

await init({ module_or_path: new URL('./cmi_wasm_bg.wasm', import.meta.url) });

export { Client, CmiError, OPERATIONS, parseNotification } from './client.js';
export { createRelayHandler } from './relay.js';
export { RelayClient } from './relay-client.js';
