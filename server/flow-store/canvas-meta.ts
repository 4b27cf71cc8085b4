import { z } from "zod";

/** The canned answer Try it gives for an integration state instead of calling its endpoint. */
export const integrationSampleSchema = z.object({
  status: z.number().int().min(100).max(599).meta({ title: "Sample status" }).default(200),
  body: z.json().meta({ title: "Sample body" }),
});

const positionSchema = z.object({
  x: z.number().meta({ title: "X position" }),
  y: z.number().meta({ title: "Y position" }),
});

/** The flows.canvas column: what only the editor reads, never part of a published definition. */
export const canvasMetaSchema = z.object({
  positions: z.record(z.string(), positionSchema).meta({ title: "Node positions" }).default({}),
  /** Try it answers an integration state with its sample instead of calling the endpoint. */
  samples: z.record(z.string(), integrationSampleSchema).meta({ title: "Sample responses" }).default({}),
});

export type CanvasMeta = z.infer<typeof canvasMetaSchema>;
export type IntegrationSample = z.infer<typeof integrationSampleSchema>;

/** The state's sample, if it has one: a state named "constructor" or "toString" has none of Object's. */
export function sampleFor(samples: Record<string, IntegrationSample>, state: string): IntegrationSample | undefined {
  return Object.hasOwn(samples, state) ? samples[state] : undefined;
}

/** Keeps what belongs to the given states only: a removed state's position or sample must not come back with a new state of its name. */
export function canvasFor(canvas: CanvasMeta, stateNames: ReadonlySet<string>): CanvasMeta {
  const kept = <T>(record: Record<string, T>) => Object.fromEntries(Object.entries(record).filter(([name]) => stateNames.has(name)));
  return { positions: kept(canvas.positions), samples: kept(canvas.samples) };
}
