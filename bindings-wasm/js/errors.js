// CmiError: every failure of the package, built from the core's error JSON (src/error.rs).

/** Keys copied from the core's error JSON; absent ones stay `undefined` (never `null`). */
const FIELDS = ['kind', 'code', 'description', 'meaning', 'category', 'retryable', 'field', 'operation', 'status', 'retryAfterMs'];

export class CmiError extends Error {
  constructor(info) {
    super(info.message ?? info.description ?? 'cmi-datacard error');
    this.name = 'CmiError';
    for (const k of FIELDS) {
      if (info[k] !== undefined && info[k] !== null) this[k] = info[k];
    }
    if (this.retryable === undefined) this.retryable = false;
  }

  /** The plain fields, for the relay's answer (no stack, no cause). */
  toJSON() {
    const out = { message: this.message };
    for (const k of FIELDS) if (this[k] !== undefined) out[k] = this[k];
    return out;
  }
}

/** Turns what the wasm module threw (error JSON text) into a CmiError; anything else is a bug
 * or a host failure and passes through unchanged. */
export function toCmiError(e) {
  if (typeof e === 'string' && e.startsWith('{')) {
    try {
      return new CmiError(JSON.parse(e));
    } catch {
      // not error JSON after all
    }
  }
  return e;
}

/** A configuration error raised by the JavaScript layer itself. */
export function configError(message) {
  return new CmiError({ kind: 'config', message: `configuration: ${message}`, description: message, category: 'unknown', retryable: false });
}
