import type { Position } from "@/lib/flow-builder/document";

const STEP = 32;
const TRIES = 50;

/** `at`, or the first spot down and to the right of it that no node starts at, so added states do not stack exactly. */
export function freeSpot(positions: Record<string, Position>, at: Position): Position {
  const starts = Object.values(positions);
  const taken = (spot: Position) => starts.some((p) => Math.abs(p.x - spot.x) < STEP / 2 && Math.abs(p.y - spot.y) < STEP / 2);
  let spot = { x: Math.round(at.x), y: Math.round(at.y) };
  for (let i = 0; i < TRIES && taken(spot); i++) spot = { x: spot.x + STEP, y: spot.y + STEP };
  return spot;
}
