import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { authOptions } from "@/server/auth/auth-options";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Chatbots for every channel" };

export default async function Home() {
  if (await getServerSession(authOptions())) redirect("/dashboard");
  return (
    <main className="auth-shell">
      <h1>Chatbot Platform</h1>
      <p className="muted">Design conversation flows, connect AI models and channels, and regression-test your bot in CI.</p>
      <div className="row">
        <Link className="button" href="/signup">Create an account</Link>
        <Link className="button secondary" href="/login">Log in</Link>
      </div>
    </main>
  );
}
