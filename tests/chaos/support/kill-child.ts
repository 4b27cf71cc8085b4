import type { ChildProcess } from "node:child_process";
import { once } from "node:events";

/** `kill -9` and wait until the process is gone; nothing to do if it already exited. */
export async function killAndWait(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGKILL");
  await exited;
}
