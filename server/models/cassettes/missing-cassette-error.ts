import { requestModel, type NormalisedRequest } from "./request-key";

/**
 * A GOLDEN run met a request nobody recorded. Not a provider failure: the router must not fall back
 * past it (a fallback would hide that the test is no longer replaying what was recorded).
 */
export class MissingCassetteError extends Error {
  readonly method: string;
  readonly path: string;
  readonly model: string | null;

  constructor(
    readonly key: string,
    request: NormalisedRequest,
    readonly file: string,
  ) {
    const model = requestModel(request);
    super(`No cassette for ${request.method} ${request.path} (model ${model ?? "none"}): key ${key}, expected ${file}. Record it with \`npm run cassettes:record\`.`);
    this.name = "MissingCassetteError";
    this.method = request.method;
    this.path = request.path;
    this.model = model;
  }
}
