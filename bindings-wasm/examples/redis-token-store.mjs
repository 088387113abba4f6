// A `tokenStore` for cmi-datacard over the `redis` npm client (v4+), so that every server of a
// fleet shares one access token and one refresh:
//
//   import { createClient } from 'redis';
//   import { Client } from 'cmi-datacard';
//   import { redisTokenStore } from './redis-token-store.mjs';
//
//   const redis = await createClient({ url: process.env.REDIS_URL }).connect();
//   const client = Client.fromEnv(process.env, { tokenStore: redisTokenStore(redis) });
//
// The client calls it with key names it derives itself (`cmi-token:<fingerprint of base URL
// and app key>` and `…:lock`), and stores only the token record, never the app secret. It
// gives every call a deadline (200 ms by default, `tokenStoreTimeoutMs`) and goes on with its
// local copy when the store fails, so the adapter can simply let errors through.
//
// The default prefix `cmi-fleet:` is the one the Rust, CLI and Python fleets use: Node servers
// then share the token with them too (the record format is the same in every binding).

/** A token store over a connected `redis` client. */
export function redisTokenStore(redis, { prefix = 'cmi-fleet:' } = {}) {
  return {
    /** The record under `key`, or undefined. */
    async get(key) {
      return (await redis.get(prefix + key)) ?? undefined;
    },
    /** Stores the record for `ttlMs` milliseconds. */
    async set(key, value, ttlMs) {
      await redis.set(prefix + key, value, { PX: ttlMs });
    },
    /** Takes the refresh lock if nobody holds it: true when taken. */
    async lock(key, ttlMs) {
      return (await redis.set(prefix + key, '1', { NX: true, PX: ttlMs })) === 'OK';
    },
    async unlock(key) {
      await redis.del(prefix + key);
    },
    async delete(key) {
      await redis.del(prefix + key);
    },
  };
}
