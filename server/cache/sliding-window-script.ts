import { randomUUID } from "node:crypto";
import type { Hit, WindowResult } from "./kv";

// Atomic in Redis: trim the window, count, add when allowed, and report the oldest hit.
export const SLIDING_WINDOW_LUA = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local member = ARGV[4]
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
local allowed = 0
if count < limit then
  redis.call('ZADD', key, now, member)
  count = count + 1
  allowed = 1
end
redis.call('PEXPIRE', key, window)
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
local oldestScore = now
if oldest[2] then oldestScore = tonumber(oldest[2]) end
return {allowed, count, oldestScore}
`;

// Hits already known to be within their limits, one per key, recorded as SLIDING_WINDOW_LUA records an allowed one.
export const RECORD_HITS_LUA = `
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, tonumber(ARGV[3 * i - 2]), ARGV[3 * i])
  redis.call('PEXPIRE', key, tonumber(ARGV[3 * i - 1]))
end
return #KEYS
`;

/** RECORD_HITS_LUA's keys and arguments; a hit's member is unique, as SLIDING_WINDOW_LUA's are. */
export function recordHitsArgs(hits: readonly Hit[]): { keys: string[]; args: string[] } {
  return { keys: hits.map((h) => h.key), args: hits.flatMap((h) => [String(h.at), String(h.windowMs), `${h.at}-${randomUUID()}`]) };
}

export function toWindowResult(raw: unknown, limit: number, windowMs: number, now: number): WindowResult {
  const [allowed, count, oldest] = (raw as [number | string, number | string, number | string]).map(Number) as [number, number, number];
  return {
    allowed: allowed === 1,
    limit,
    remaining: Math.max(0, limit - count),
    retryAfterMs: allowed === 1 ? 0 : Math.max(1, oldest + windowMs - now),
  };
}
