import { configDefaults, defineConfig } from "vitest/config";
import { availableParallelism } from "node:os";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/**/*.test.ts"],
    // Real provider calls: only when asked for (TEST_MODE=LIVE_SMOKE), so the normal suite has no skipped tests.
    exclude: [...configDefaults.exclude, ...(process.env.TEST_MODE === "LIVE_SMOKE" ? [] : ["tests/live/**"])],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Vitest's default is one worker per core but one, so a two-core CI machine ran the files one at a time;
    // a file spends much of its time waiting on Postgres, Redis, child processes and timers, so two overlap.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    globalSetup: ["tests/global-setup.ts"],
    setupFiles: ["tests/setup-env.ts"],
  },
});
