import { loadEnvFiles } from "./load-env";
loadEnvFiles();
const { dbHandle } = await import("@/server/db");
const handle = dbHandle();
await handle.migrate();
console.log(JSON.stringify({ migrated: true, database: handle.kind }));
await handle.close();
