import { test, expect } from "vitest";
import { appRouter } from "@/server/trpc/root";
import * as r from "@/app/api/v2/chat/message/route";
import * as db from "../helpers/test-db";
test("imports", async () => { expect(appRouter).toBeTruthy(); expect(r).toBeTruthy(); expect(db).toBeTruthy(); });
