"use client";
import { signOut } from "next-auth/react";

export function SignOutButton() {
  return (
    <button type="button" className="secondary" style={{ marginTop: ".4rem" }} onClick={() => signOut({ callbackUrl: "/login" })}>
      Log out
    </button>
  );
}
