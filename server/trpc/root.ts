import { analyticsRouter } from "./routers/analytics";
import { authRouter } from "./routers/auth";
import { channelsRouter } from "./routers/channels";
import { chatRouter } from "./routers/chat";
import { flowTestsRouter } from "./routers/flow-tests";
import { flowsRouter } from "./routers/flows";
import { inboxRouter } from "./routers/inbox";
import { outboxRouter } from "./routers/outbox";
import { apiKeysRouter, modelsRouter } from "./routers/settings";
import { teamRouter } from "./routers/team";
import { tenantRouter } from "./routers/tenant";
import { createCallerFactory, router } from "./init";

export const appRouter = router({
  auth: authRouter,
  tenant: tenantRouter,
  channels: channelsRouter,
  flows: flowsRouter,
  flowTests: flowTestsRouter,
  team: teamRouter,
  models: modelsRouter,
  apiKeys: apiKeysRouter,
  chat: chatRouter,
  inbox: inboxRouter,
  outbox: outboxRouter,
  analytics: analyticsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
