import { loadEnvFiles } from "@/scripts/load-env";
import { isAppError } from "../errors/app-error";
import { parseFlags } from "./args";
import { COMMANDS, USAGE } from "./commands";

loadEnvFiles();
const { dbHandle } = await import("../db");

const { positional, flags } = parseFlags(process.argv.slice(2));
const name = positional.slice(0, 2).join(" ");
const command = COMMANDS[name];
if (!command) {
  console.error(USAGE);
  process.exit(positional.length ? 2 : 0);
}

const handle = dbHandle();
try {
  await handle.migrate();
  console.log(JSON.stringify(await command(handle.db, flags), null, 2));
} catch (e) {
  const error = isAppError(e) ? { code: e.code, message: e.message, details: e.details ?? null } : { code: "INTERNAL_ERROR", message: (e as Error).message, details: null };
  console.error(JSON.stringify({ status: "error", error }, null, 2));
  process.exitCode = 1;
} finally {
  await handle.close();
}
