import { z } from "zod";

export const DEFAULT_POLL_MS = 500;

export type DeliveryWorkerConfig = { enabled: boolean; pollMs: number };

const pollSchema = z.coerce.number().int().min(10).default(DEFAULT_POLL_MS);

/**
 * The delivery workers' settings from the environment: DELIVERY_WORKERS=off leaves them out of the app
 * process (a deployment running `npm run worker` instead); DELIVERY_POLL_MS is how often an idle worker
 * looks for other processes' work. A malformed value stops the start loudly.
 */
export function deliveryWorkerConfig(vars: Record<string, string | undefined>): DeliveryWorkerConfig {
  const switchValue = (vars.DELIVERY_WORKERS ?? "").trim().toLowerCase();
  if (!["", "on", "off"].includes(switchValue)) throw new Error(`DELIVERY_WORKERS must be "on" or "off"; got "${vars.DELIVERY_WORKERS}"`);
  const poll = pollSchema.safeParse(vars.DELIVERY_POLL_MS?.trim() || undefined);
  if (!poll.success) throw new Error(`DELIVERY_POLL_MS must be a whole number of milliseconds, at least 10; got "${vars.DELIVERY_POLL_MS}"`);
  return { enabled: switchValue !== "off", pollMs: poll.data };
}
