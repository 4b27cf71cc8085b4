import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  // Pages set their own title ("Flows"); the tab then reads "Flows · Chatbot Platform".
  title: { template: "%s · Chatbot Platform", default: "Chatbot Platform" },
  description: "Design, test and run chatbots on every channel.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request, so Next can put this request's CSP nonce on its scripts (see proxy.ts).
  await connection();
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
