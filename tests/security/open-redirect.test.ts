import { describe, expect, it } from "vitest";
import { authOptions } from "@/server/auth/auth-options";
import { safeCallbackPath, sameOriginRedirect } from "@/server/auth/safe-callback";

// The callbackUrl as the login page reads it: URLSearchParams decodes once, as the browser's would.
const fromLoginUrl = (query: string) => new URL(`http://localhost:3000/login?callbackUrl=${query}`).searchParams.get("callbackUrl");

// Each of these, as the callbackUrl of a login link, leaves the origin (or would once decoded again), runs script, or is no path.
const FOREIGN = [
  "/%5C127.0.0.1:9952/pwned",
  "/%5C%5C127.0.0.1:9952/pwned",
  "/%09/127.0.0.1:9952/pwned",
  "/%0A/127.0.0.1:9952",
  "/%0D/127.0.0.1:9952",
  "/%00/127.0.0.1:9952",
  "/%255C127.0.0.1:9952/pwned",
  "/%252F127.0.0.1:9952",
  "%2F%2F127.0.0.1:9952",
  "https://evil.example",
  "http://localhost:3000.evil.example/",
  "//evil.example",
  "///evil.example",
  "/\\evil.example",
  "/\\\\evil.example",
  "\\\\evil.example",
  "/%09%09/evil.example",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "evil.example",
  "%zz",
  "",
];

describe("after login only same-origin relative paths are followed", () => {
  it.each(FOREIGN)("refuses /login?callbackUrl=%s and goes to the dashboard", (query) => {
    expect(safeCallbackPath(fromLoginUrl(query))).toBe("/dashboard");
  });

  // The same attacks as a value that reached the server already decoded (a form field, next-auth's body).
  it.each(["/\\127.0.0.1:9952/pwned", "/\\\\evil.example", "/\t/evil.example", "/\n/evil.example", "/\u0000/evil.example", "//evil.example", "https://evil.example"])(
    "refuses the decoded value %j",
    (raw) => {
      expect(safeCallbackPath(raw)).toBe("/dashboard");
    },
  );

  it.each([
    ["/dashboard", "/dashboard"],
    ["/dashboard/flows?tab=draft#top", "/dashboard/flows?tab=draft#top"],
    ["/invite?token=abc%2Bdef", "/invite?token=abc%2Bdef"],
    ["/dashboard/../dashboard/team", "/dashboard/team"],
  ])("follows %j to %j", (raw, expected) => {
    expect(safeCallbackPath(raw)).toBe(expected);
  });

  it("keeps next-auth's own redirects on our origin", async () => {
    const redirect = (url: string) => authOptions().callbacks!.redirect!({ url, baseUrl: "http://localhost:3000" });
    expect(await redirect("http://localhost:3000/dashboard/team")).toBe("http://localhost:3000/dashboard/team");
    expect(await redirect("/dashboard")).toBe("http://localhost:3000/dashboard");
    for (const url of ["https://evil.example/x", "//evil.example", "/\\evil.example", "http://localhost:3000//evil.example", "http://localhost:3000/\\evil.example", "javascript:alert(1)"]) {
      expect(new URL(await redirect(url)).origin, url).toBe("http://localhost:3000");
      expect(await redirect(url), url).toBe("http://localhost:3000/");
    }
    expect(sameOriginRedirect("http://localhost:3000/%5C%5Cevil.example", "http://localhost:3000")).toBe("http://localhost:3000/");
  });
});
