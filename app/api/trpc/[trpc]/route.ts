import { handleTrpcRequest } from "@/server/trpc/fetch-handler";

export const dynamic = "force-dynamic";

const handler = (req: Request) => handleTrpcRequest(req);

export { handler as GET, handler as POST };
