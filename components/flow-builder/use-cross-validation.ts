"use client";
import { useEffect, useState } from "react";
import type { IntentExamples } from "@/server/nlu/classifier";
import { crossValidate, type CrossValidation } from "@/server/nlu/cross-validation";

/** Cross-validated accuracy of the intents, re-measured once typing pauses (training runs in this tab). */
export function useCrossValidation(intents: IntentExamples, lists: Record<string, readonly string[]>, delayMs = 300): CrossValidation | null {
  const [result, setResult] = useState<CrossValidation | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => setResult(crossValidate(intents, lists)), delayMs);
    return () => clearTimeout(timer);
  }, [intents, lists, delayMs]);
  return result;
}
