import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { UploadStorage } from "./upload-storage";

/** Files under `dir/<key>`; keys are `<tenant id>/<attachment id>`, both uuids, so they never climb out of `dir`. */
export function localStorage(dir: string): UploadStorage {
  const fileOf = (key: string) => {
    const file = path.resolve(dir, key);
    if (!file.startsWith(path.resolve(dir) + path.sep)) throw new Error(`upload key escapes the uploads directory: ${key}`);
    return file;
  };
  return {
    kind: "local",
    async put(key, bytes) {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, bytes);
    },
    async get(key) {
      try {
        return await readFile(fileOf(key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
  };
}
