import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export type CliResult = { code: number; json: Record<string, unknown>; stdout: string; stderr: string };

/** Runs `npm run cli -- <args>` as an operator would, in a child process with `env` over this one's; JSON out either way. */
export async function runCli(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run("npx", ["tsx", "server/cli/main.ts", ...args], { env: { ...process.env, ...env }, cwd: process.cwd() });
    return { code: 0, json: JSON.parse(stdout), stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, json: JSON.parse(err.stderr.slice(err.stderr.indexOf("{"))), stdout: err.stdout, stderr: err.stderr };
  }
}
