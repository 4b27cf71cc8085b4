import { handleInboxStream } from "@/server/inbox/inbox-stream-request";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = (req: Request) => handleInboxStream(req);
