import type { Metadata } from "next";
import type { ReactNode } from "react";

// The page is a client component, which cannot export metadata; its title lives here.
export const metadata: Metadata = { title: "Sign up" };

export default function SignupLayout({ children }: { children: ReactNode }) {
  return children;
}
