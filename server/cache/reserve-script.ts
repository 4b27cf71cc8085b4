import type { ReserveResult } from "./kv";

// Atomic in Redis: start a missing counter at its initial value, then add only within the limit.
export const RESERVE_LUA = `
local key = KEYS[1]
local amount = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local initial = ARGV[3]
local ttl = tonumber(ARGV[4])
redis.call('SET', key, initial, 'NX', 'PX', ttl)
local total = tonumber(redis.call('GET', key))
if total + amount <= limit then
  total = redis.call('INCRBY', key, amount)
  redis.call('PEXPIRE', key, ttl)
  return {1, total}
end
return {0, total}
`;

export function toReserveResult(raw: unknown): ReserveResult {
  const [reserved, total] = (raw as [number | string, number | string]).map(Number) as [number, number];
  return { reserved: reserved === 1, total };
}

export const reserveArgs = (amount: number, limit: number, initial: number, ttlMs: number) => [String(amount), String(limit), String(initial), String(ttlMs)];
