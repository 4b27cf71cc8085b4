import { loadEnvFiles } from "@/scripts/load-env";
import { z } from "zod";
import { isAppError } from "../errors/app-error";
import { toAppError } from "../http/envelope";
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
  // The operator sees an unexpected error's own message: unlike an API caller, they run the database it may name.
  const known = isAppError(e) || e instanceof z.ZodError ? toAppError(e) : null;
  const error = known ? { code: known.code, message: known.message, details: known.details ?? null } : { code: "INTERNAL_ERROR", message: (e as Error).message, details: null };
  console.error(JSON.stringify({ status: "error", error }, null, 2));
  process.exitCode = 1;
} finally {
  await handle.close();
}
