import { spawn, type ChildProcess } from "node:child_process";
import { killAndWait } from "./kill-child";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const SCRIPT = path.join(import.meta.dirname, "chat-server.ts");

export type Worker = { baseUrl: string; start(): Promise<void>; kill9(): Promise<void> };

/** The chat server (or another server `script`) as its own process on a fixed loopback port, so it can be `kill -9`ed and started again. */
export function chatWorker(port: number, env: Record<string, string>, script = SCRIPT): Worker {
  let child: ChildProcess | undefined;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    async start() {
      const spawned = spawn(process.execPath, ["--import", "tsx", script], {
        cwd: ROOT,
        env: { ...process.env, ...env, PORT: String(port) },
        stdio: ["ignore", "pipe", "inherit"],
      });
      child = spawned;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("the chat worker did not start within 30 s")), 30_000);
        spawned.stdout!.on("data", (data: Buffer) => {
          if (data.toString().includes("ready")) {
            clearTimeout(timer);
            resolve();
          }
        });
        spawned.once("exit", (code, signal) => {
          clearTimeout(timer);
          reject(new Error(`the chat worker exited during start-up (${signal ?? code})`));
        });
      });
    },
    async kill9() {
      const running = child;
      child = undefined;
      await killAndWait(running);
    },
  };
}
