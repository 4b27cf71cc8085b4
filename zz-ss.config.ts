import base from "./vitest.config";
import { mergeConfig, defineConfig } from "vitest/config";
export default mergeConfig(base, defineConfig({ test: { include: ["tests/zz-ss/*.test.ts"], experimental: { importDurations: { print: true, limit: 30 } } } }));
