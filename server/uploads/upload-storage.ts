import { env } from "../env";
import { localStorage } from "./local-storage";
import { s3Storage } from "./s3-storage";

export type StorageKind = "local" | "s3";

/** Where uploaded bytes live; the attachments row records which one holds a file, under what key. */
export type UploadStorage = {
  kind: StorageKind;
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** Null when nothing is stored under the key. */
  get(key: string): Promise<Buffer | null>;
};

/** Where new uploads go: an S3-compatible bucket when UPLOADS_S3_URL is set, else the local disk under UPLOADS_DIR. */
export const uploadStorage = (): UploadStorage => storageFor(env().UPLOADS_S3_URL ? "s3" : "local");

/** The storage a row names, so a file written to disk before a bucket was configured is still read from disk. */
export function storageFor(kind: StorageKind): UploadStorage {
  const { UPLOADS_S3_URL, UPLOADS_DIR } = env();
  if (kind === "local") return localStorage(UPLOADS_DIR);
  if (!UPLOADS_S3_URL) throw new Error("An upload is stored in S3 but UPLOADS_S3_URL is not set.");
  return s3Storage(UPLOADS_S3_URL);
}
