import { API_CSP, FRAME_OPTIONS, HSTS } from "./server/security/frame-policy.mjs";

/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "ioredis", "bcryptjs", "nodemailer"],
  poweredByHeader: false,
  // The address our specification and many sign-up links use for the same page.
  async redirects() {
    return [{ source: "/register", destination: "/signup", permanent: true }];
  },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: FRAME_OPTIONS },
        ],
      },
      // Pages get their nonce-bearing policy from proxy.ts.
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CSP }] },
      { source: "/:path*", has: [{ type: "header", key: "x-forwarded-proto", value: "https" }], headers: [{ key: "Strict-Transport-Security", value: HSTS }] },
    ];
  },
};

export default nextConfig;
