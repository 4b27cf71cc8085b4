import { describe, expect, it } from "vitest";
import { amzDates, sigV4Authorization } from "@/server/uploads/sigv4";
import { allowedType, checkContents } from "@/server/uploads/upload-types";

describe("AWS Signature Version 4", () => {
  it("signs AWS's documented GET Object example to the documented signature", () => {
    const { amzDate } = amzDates(new Date("2013-05-24T00:00:00Z"));
    expect(amzDate).toBe("20130524T000000Z");
    const authorization = sigV4Authorization(
      {
        method: "GET",
        url: new URL("https://examplebucket.s3.amazonaws.com/test.txt"),
        headers: { host: "examplebucket.s3.amazonaws.com", range: "bytes=0-9", "x-amz-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "x-amz-date": amzDate },
      },
      { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1", service: "s3" },
    );
    expect(authorization).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
    );
  });
});

describe("upload types", () => {
  const PNG_HEAD = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
  const html = new TextEncoder().encode("<html><script>alert(1)</script>");

  it("takes the declared type without its parameters, and refuses a type outside the list by name", () => {
    expect(allowedType("text/plain; charset=utf-8")).toBe("text/plain");
    expect(() => allowedType("text/html")).toThrow("Files of type text/html cannot be uploaded.");
    expect(() => allowedType("image/svg+xml")).toThrow("Files of type image/svg+xml cannot be uploaded.");
  });

  it("refuses bytes that are not what the declared image or PDF type says", () => {
    expect(() => checkContents("image/png", PNG_HEAD)).not.toThrow();
    expect(() => checkContents("image/png", html)).toThrow("The file's contents are not image/png.");
    expect(() => checkContents("application/pdf", PNG_HEAD)).toThrow("The file's contents are not application/pdf.");
    expect(() => checkContents("image/webp", new TextEncoder().encode("RIFF\0\0\0\0WEBPVP8 "))).not.toThrow();
    expect(() => checkContents("image/gif", new TextEncoder().encode("GIF89a"))).not.toThrow();
  });
});
