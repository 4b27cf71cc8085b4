import { API_HEADERS, COMMON_HEADERS, HTTPS_HEADERS } from "./server/security/response-headers.mjs";

/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "drizzle-orm", "ioredis", "bcryptjs", "nodemailer"],
  poweredByHeader: false,
  // The address our specification and many sign-up links use for the same page.
  async redirects() {
    return [{ source: "/register", destination: "/signup", permanent: true }];
  },
  async headers() {
    return [
      { source: "/:path*", headers: COMMON_HEADERS },
      { source: "/api/:path*", headers: API_HEADERS },
      { source: "/:path*", has: [{ type: "header", key: "x-forwarded-proto", value: "https" }], headers: HTTPS_HEADERS },
    ];
  },
};

export default nextConfig;
