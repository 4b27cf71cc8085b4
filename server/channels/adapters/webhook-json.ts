import { AppError } from "../../errors/app-error";
import { checkJsonShape } from "../../http/json-body";

/**
 * An authenticated webhook body as JSON. Malformed or absurdly nested JSON is a 400 and nothing is stored:
 * a platform does not send it, so retrying it would not help.
 */
export function parseWebhookJson(rawBody: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(rawBody);
  } catch {
    throw new AppError("VALIDATION_ERROR", "The webhook body is not valid JSON.", { fields: { body: "Not valid JSON" } });
  }
  checkJsonShape(value);
  return value;
}
