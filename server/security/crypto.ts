import { createCipheriv, createDecipheriv, createHash, hash, randomBytes, timingSafeEqual } from "node:crypto";
import { env } from "../env";

const ALGO = "aes-256-gcm";
const PREFIX = "enc:v1:";

type SealingKey = { id: string; bytes: Buffer };

function sealingKey(base64: string): SealingKey {
  const bytes = Buffer.from(base64, "base64");
  // A short hash names the key in each value (so a rotation knows what is left to do); it reveals nothing of the key.
  return { id: createHash("sha256").update(bytes).digest("hex").slice(0, 8), bytes };
}

function currentKey(): SealingKey {
  return sealingKey(env().ENCRYPTION_KEY);
}

/** ENCRYPTION_KEY, then ENCRYPTION_KEY_PREVIOUS when set (during and after a `keys rotate`). */
function readingKeys(): SealingKey[] {
  const previous = env().ENCRYPTION_KEY_PREVIOUS;
  return previous ? [currentKey(), sealingKey(previous)] : [currentKey()];
}

type Sealed = { keyId: string | null; iv: string; tag: string; data: string };

/** `enc:v1:<key id>:<iv>:<tag>:<ciphertext>`, or the older `v1.<iv>.<tag>.<ciphertext>` that names no key. */
function parseSealed(sealed: string): Sealed {
  const current = sealed.startsWith(PREFIX);
  const parts: (string | null)[] = current ? sealed.slice(PREFIX.length).split(":") : sealed.startsWith("v1.") ? [null, ...sealed.slice(3).split(".")] : [];
  const [keyId, iv, tag, data] = parts;
  if (parts.length !== 4 || !iv || !tag || data == null || keyId === "") throw new Error("Unrecognised secret format");
  return { keyId: keyId ?? null, iv, tag, data };
}

/** AES-256-GCM; output is `enc:v1:<key id>:<iv>:<tag>:<ciphertext>` (base64url parts) under ENCRYPTION_KEY. */
export function encryptSecret(plain: string): string {
  const key = currentKey();
  const iv = randomBytes(12);
  const cipher = createCipheriv(ALGO, key.bytes, iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `${PREFIX}${[key.id, ...[iv, cipher.getAuthTag(), data].map((p) => p.toString("base64url"))].join(":")}`;
}

function openWith(key: SealingKey, s: Sealed): string {
  const decipher = createDecipheriv(ALGO, key.bytes, Buffer.from(s.iv, "base64url"));
  decipher.setAuthTag(Buffer.from(s.tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(s.data, "base64url")), decipher.final()]).toString("utf8");
}

export function decryptSecret(sealed: string): string {
  const s = parseSealed(sealed);
  const keys = readingKeys();
  if (s.keyId) {
    const key = keys.find((k) => k.id === s.keyId);
    if (!key) throw new Error(`Secret sealed with key ${s.keyId}, which is neither ENCRYPTION_KEY nor ENCRYPTION_KEY_PREVIOUS`);
    return openWith(key, s);
  }
  // An older value names no key: the authentication tag tells which one sealed it.
  for (const key of keys.slice(0, -1)) {
    try {
      return openWith(key, s);
    } catch {
      // Not this key: try the next.
    }
  }
  return openWith(keys.at(-1)!, s);
}

/** True when ENCRYPTION_KEY sealed the value in the current format: a rotation leaves it as it is. */
export function sealedWithCurrentKey(sealed: string): boolean {
  return sealed.startsWith(`${PREFIX}${currentKey().id}:`);
}

export function sha256(value: string): string {
  return hash("sha256", value, "hex");
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** Constant-time comparison; hashing first gives equal lengths, so length is not leaked by an early return. */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}

/** Shows enough of a secret to recognise it, never enough to use it. */
export function secretHint(secret: string): string {
  return secret.length <= 8 ? "••••" : `${secret.slice(0, 3)}…${secret.slice(-4)}`;
}
