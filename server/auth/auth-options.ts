import { randomUUID } from "node:crypto";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { Db } from "@/db/client";
import { getKv } from "../cache";
import type { Kv } from "../cache/kv";
import { getDb } from "../db";
import { env } from "../env";
import { clientIp } from "../http/client-ip";
import { authenticate } from "./login";
import { LOGIN_UNAVAILABLE } from "./login-messages";
import { sameOriginRedirect } from "./safe-callback";
import { loginSchema } from "./schemas";
import { activeSessionUser, secureSessionCookie, SESSION_MAX_AGE_SECONDS, signOutSession } from "./session";

declare module "next-auth" {
  interface User {
    sessionVersion?: number;
  }
}

export type AuthDeps = { db: Db; kv: Kv };

/** Thrown from the jwt callback for a revoked session: next-auth then answers "no session" and clears the cookie. */
class SessionRevoked extends Error {
  constructor() {
    super("SESSION_REVOKED");
  }
}

const defaultDeps = (): AuthDeps => ({ db: getDb(), kv: getKv() });

export function authOptions(deps: () => AuthDeps = defaultDeps): NextAuthOptions {
  return {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    useSecureCookies: secureSessionCookie(),
    // Every next-auth error lands on the login page, which shows a sentence for it, never the raw code.
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(credentials, req) {
          const parsed = loginSchema.safeParse(credentials);
          if (!parsed.success) throw new Error("INVALID_CREDENTIALS");
          const ip = clientIp(req?.headers as Record<string, string | undefined> | undefined);
          let result: Awaited<ReturnType<typeof authenticate>>;
          try {
            result = await authenticate(deps(), { ...parsed.data, ip });
          } catch (error) {
            // next-auth puts a thrown message in the redirect URL: only codes may go there, never a driver's error.
            const reference = randomUUID();
            console.error(`[auth] login failed unexpectedly ${reference}`, error);
            throw new Error(LOGIN_UNAVAILABLE);
          }
          // next-auth hands the thrown message to the client as `error`; the login page maps codes to sentences.
          if (!result.ok) throw new Error(result.code);
          return { id: result.user.id, email: result.user.email, name: result.user.name, sessionVersion: result.user.sessionVersion };
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) return { ...token, sub: user.id, sv: user.sessionVersion };
        if (!(await activeSessionUser(deps().db, token))) throw new SessionRevoked();
        return token;
      },
      session({ session, token }) {
        if (session.user && token.sub) (session.user as { id?: string }).id = token.sub;
        return session;
      },
      redirect({ url, baseUrl }) {
        return sameOriginRedirect(url, baseUrl);
      },
    },
    events: {
      async signOut({ token }) {
        await signOutSession(deps().db, token);
      },
    },
    logger: {
      error(code, metadata) {
        // A revoked session is an expected outcome, not an error worth a stack trace per request.
        if (metadata instanceof SessionRevoked) return;
        console.error(`[next-auth][error][${code}]`, metadata);
      },
    },
  };
}
