import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { killAndWait } from "./kill-child";
import { connect } from "node:net";
import { freePort } from "../../helpers/free-port";

export type RedisServer = {
  url: string;
  /** SIGKILL: the cache disappears mid-command, as in a crash. */
  kill(): Promise<void>;
  /** SIGSTOP / SIGCONT: connections stay open but nothing is answered, as with a hung or overloaded Redis. */
  pause(): void;
  resume(): void;
  /** Starts it again on the same port and resolves once it answers PING. */
  start(): Promise<void>;
  destroy(): Promise<void>;
};

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
    socket.once("error", () => done(false));
  });
}

/** A throwaway redis-server on a free loopback port, without persistence, that a test may kill. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    const spawned = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    child = spawned;
    const failed = once(spawned, "error").then(([error]) => {
      throw new Error(`The chaos tests need redis-server on PATH (apt-get install redis-server): ${(error as Error).message}`);
    });
    const deadline = Date.now() + 5000;
    const ready = (async () => {
      while (!(await answersPing(port))) {
        if (Date.now() > deadline) throw new Error(`redis-server did not answer on 127.0.0.1:${port} within 5 s`);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await Promise.race([ready, failed]);
  };
  const kill = async () => {
    const running = child;
    child = undefined;
    await killAndWait(running);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    kill,
    start,
    pause: () => void child?.kill("SIGSTOP"),
    resume: () => void child?.kill("SIGCONT"),
    destroy: async () => {
      child?.kill("SIGCONT");
      await kill();
    },
  };
}
