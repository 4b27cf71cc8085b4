import { eq, isNotNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { channels, providerConfigs } from "@/db/schema";
import { decryptSecret, encryptSecret, sealedWithCurrentKey } from "./crypto";

export type RotationCount = { rotated: number; already_current: number };
export type RotationReport = { provider_keys: RotationCount; channel_secrets: RotationCount };

type SealedRow = { id: string; sealed: string };

/** Re-seals each value not yet under ENCRYPTION_KEY; a value no key opens names its row and stops the rotation. */
async function reseal(rows: SealedRow[], what: string, write: (id: string, sealed: string) => Promise<unknown>): Promise<RotationCount> {
  const stale = rows.filter((r) => !sealedWithCurrentKey(r.sealed));
  for (const row of stale) {
    let plain: string;
    try {
      plain = decryptSecret(row.sealed);
    } catch (e) {
      throw new Error(`Cannot decrypt the ${what} ${row.id} with ENCRYPTION_KEY or ENCRYPTION_KEY_PREVIOUS (${(e as Error).message}); nothing was changed.`);
    }
    await write(row.id, encryptSecret(plain));
  }
  return { rotated: stale.length, already_current: rows.length - stale.length };
}

/**
 * Re-encrypts every stored secret (provider API keys, channel tokens) under ENCRYPTION_KEY, reading
 * what ENCRYPTION_KEY_PREVIOUS sealed. One transaction with the rows locked: all or nothing, and a
 * second run finds nothing to do.
 */
export async function rotateSecrets(db: Db): Promise<RotationReport> {
  return db.transaction(async (tx) => {
    const providerRows = await tx.select({ id: providerConfigs.id, sealed: providerConfigs.apiKeyEnc }).from(providerConfigs).for("update");
    const provider_keys = await reseal(providerRows, "API key of provider connection", (id, sealed) => tx.update(providerConfigs).set({ apiKeyEnc: sealed }).where(eq(providerConfigs.id, id)));
    const channelRows = await tx.select({ id: channels.id, sealed: channels.secretsEnc }).from(channels).where(isNotNull(channels.secretsEnc)).for("update");
    const sealedChannels = channelRows.flatMap((r) => (r.sealed ? [{ id: r.id, sealed: r.sealed }] : []));
    const channel_secrets = await reseal(sealedChannels, "secrets of channel", (id, sealed) => tx.update(channels).set({ secretsEnc: sealed }).where(eq(channels.id, id)));
    return { provider_keys, channel_secrets };
  });
}
