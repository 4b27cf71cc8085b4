import { pgliteTemplate, postgresTemplate } from "./helpers/migrated-template";

/** Builds the run's migrated template once, before the workers start, so they never race to build it. */
export default async function setup() {
  const url = process.env.DATABASE_URL;
  await (url ? postgresTemplate(url) : pgliteTemplate());
}
