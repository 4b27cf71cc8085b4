import type { User } from "next-auth";
import { encode, type JWT } from "next-auth/jwt";
import { authOptions, type AuthDeps } from "@/server/auth/auth-options";
import { sessionCookieName } from "@/server/auth/session";
import { env } from "@/server/env";

type Authorize = (credentials: Record<string, string>, req: { headers: Record<string, string> }) => Promise<User | null>;

/** The real credentials provider's authorize, as next-auth's callback route calls it; a thrown message is what the client sees. */
export function authorizeWith(deps: AuthDeps) {
  const provider = authOptions(() => deps).providers[0] as unknown as { options: { authorize: Authorize } };
  return async (email: string, password: string, headers: Record<string, string> = {}): Promise<{ user: User } | { error: string }> => {
    try {
      const user = await provider.options.authorize({ email, password }, { headers });
      return user ? { user } : { error: "CredentialsSignin" };
    } catch (e) {
      return { error: (e as Error).message };
    }
  };
}

/**
 * Logs in as next-auth's credentials callback does (authorize, then the jwt callback, then encode) and
 * returns the session cookie it would set: a captured session, for replaying after sign-out.
 */
export async function logIn(deps: AuthDeps, email: string, password: string): Promise<{ cookie: string; token: JWT }> {
  const result = await authorizeWith(deps)(email, password);
  if (!("user" in result)) throw new Error(`login failed: ${result.error}`);
  const { user } = result;
  const jwt = authOptions(() => deps).callbacks!.jwt!;
  const token = await jwt({ token: { name: user.name, email: user.email, sub: user.id }, user, account: null, trigger: "signIn" } as Parameters<typeof jwt>[0]);
  return { cookie: `${sessionCookieName()}=${await encode({ token, secret: env().NEXTAUTH_SECRET })}`, token };
}
