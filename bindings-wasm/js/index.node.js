// Node entry: the module is read from disk next to this file, synchronously, at import.
import { readFileSync } from 'node:fs';
import { initSync } from './cmi_wasm.js';

initSync({ module: readFileSync(new URL('./cmi_wasm_bg.wasm', import.meta.url)) });

export { Client, CmiError, OPERATIONS, parseNotification } from './client.js';
export { createRelayHandler } from './relay.js';
export { RelayClient } from './relay-client.js';
