import { test, expect } from "vitest";
import postgres from "postgres";
import { openDb } from "@/db/client";
test("old pg x5", async () => {
  const url = process.env.DATABASE_URL!;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const name = `test_old_${i}_${Date.now()}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const u = new URL(url); u.pathname = `/${name}`;
    const h = openDb({ databaseUrl: u.toString(), poolSize: 20 }); await h.migrate();
    console.log("MEAS old", (performance.now() - t).toFixed(0));
    await h.close(); await admin.unsafe(`drop database if exists ${name} with (force)`); await admin.end();
  }
  expect(1).toBe(1);
}, 300000);
