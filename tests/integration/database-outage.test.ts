import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as postMessage } from "@/app/api/v2/chat/message/route";
import { openDb, type DbHandle } from "@/db/client";
import { installKv } from "@/server/cache";
import { createMemoryKv } from "@/server/cache/memory-kv";
import { installDbHandle } from "@/server/db";
import { errorEnvelopeSchema } from "@/server/http/envelope";
import { freePort } from "../helpers/free-port";

let dead: DbHandle;

beforeAll(async () => {
  // A Postgres URL on a loopback port nothing listens on: every connection attempt is refused at once.
  dead = openDb({ databaseUrl: `postgres://postgres@127.0.0.1:${await freePort()}/app`, poolSize: 2 });
  installDbHandle(dead);
  installKv(createMemoryKv());
});
afterAll(async () => {
  await dead.close();
});

describe("while the database is unreachable", () => {
  it("answers 503 SERVICE_UNAVAILABLE with Retry-After and a plain message, not a 500 with the driver's error", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const res = await postMessage(
        new Request("http://localhost:3000/api/v2/chat/message", { method: "POST", headers: { authorization: "Bearer cbk_any_key", "content-type": "application/json" }, body: JSON.stringify({ user_id: "u", channel: "web", content: { type: "text", text: "Hello" } }) }),
      );
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      const body = errorEnvelopeSchema.parse(await res.json());
      expect(body.error).toMatchObject({ code: "SERVICE_UNAVAILABLE", message: "We cannot reach our database right now. Please retry in a few seconds.", details: { retry_after_seconds: 5 } });
      expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres/);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining("database unreachable"));
    } finally {
      warn.mockRestore();
    }
  });
});
