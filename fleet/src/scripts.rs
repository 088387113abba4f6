//! The Lua scripts: each read-decide-write runs atomically in Redis.

use redis::Script;
use std::sync::LazyLock;

/// Refresh entry. KEYS: token, lock. ARGV: lease, lock TTL ms, now ms (platform time).
/// Returns `{1, record}` when a token fresh at `now` is stored, `{2, ""}` when this caller
/// took the lock (it fetches), `{0, ""}` when another worker holds it (wait and ask again).
pub(crate) static ACQUIRE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r#"
local rec = redis.call('GET', KEYS[1])
if rec then
  local ok, t = pcall(cjson.decode, rec)
  if ok and type(t) == 'table' and tonumber(t.expires_at_ms) and tonumber(t.expires_at_ms) > tonumber(ARGV[3]) then
    return {1, rec}
  end
end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {2, ''}
end
return {0, ''}
"#,
    )
});

/// Refresh exit, fenced: only the lease holder writes its token and drops the lock, so a
/// worker whose lock expired mid-fetch cannot overwrite a newer token. KEYS: token, lock.
/// ARGV: lease, record ('' when the fetch failed), token TTL ms. Returns 1 if it held the lock.
pub(crate) static RELEASE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r#"
if redis.call('GET', KEYS[2]) ~= ARGV[1] then
  return 0
end
if ARGV[2] ~= '' then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
redis.call('DEL', KEYS[2])
return 1
"#,
    )
});

/// Deletes the stored token only if it is the rejected one (another worker may already have
/// stored a new one). KEYS: token. ARGV: rejected token.
pub(crate) static INVALIDATE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r#"
local rec = redis.call('GET', KEYS[1])
if rec then
  local ok, t = pcall(cjson.decode, rec)
  if ok and type(t) == 'table' and t.token == ARGV[1] then
    redis.call('DEL', KEYS[1])
    return 1
  end
end
return 0
"#,
    )
});

/// GCRA on Redis's clock (one clock for the whole fleet). KEYS: rate key. ARGV: interval ms,
/// tolerance ms (burst allowance). Reserves the caller's slot and returns the milliseconds to
/// wait before sending. The theoretical arrival time is kept with three decimals: Lua's
/// default number formatting would round a Unix-ms value to 0.1 s.
pub(crate) static GCRA: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r#"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if tat < now then tat = now end
local wait = tat - tonumber(ARGV[2]) - now
if wait < 0 then wait = 0 end
local next_tat = tat + interval
redis.call('SET', KEYS[1], string.format('%.3f', next_tat), 'PX', math.ceil(next_tat - now) + 1000)
return math.ceil(wait)
"#,
    )
});
