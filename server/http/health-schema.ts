import { z } from "zod";

const probeSchema = z.object({ status: z.enum(["up", "down"]), latency_ms: z.number(), error: z.string().optional() });
export type Probe = z.infer<typeof probeSchema>;
export const healthSchema = z.object({
  status: z.enum(["healthy", "degraded"]),
  databases: z.object({ postgres: probeSchema.extend({ driver: z.enum(["postgres", "pglite"]) }), redis: probeSchema.extend({ backend: z.enum(["memory", "redis", "upstash"]) }) }),
  timestamp: z.iso.datetime(),
});
export type Health = z.infer<typeof healthSchema>;
