import { env } from "../env";
import { AppError } from "../errors/app-error";
import { enveloped } from "./respond";

/** The demo store API exists only under DEMO_MODE; in any other deployment it is a 404 like an unknown path. */
export function demoOnly<Rest extends unknown[]>(handler: (req: Request, ...rest: Rest) => Response | Promise<Response>) {
  return (req: Request, ...rest: Rest): Promise<Response> =>
    env().DEMO_MODE ? Promise.resolve(handler(req, ...rest)) : enveloped(req, "demo", () => Promise.reject(new AppError("NOT_FOUND", "Not found.")));
}
