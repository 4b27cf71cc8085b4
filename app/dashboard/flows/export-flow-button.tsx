"use client";
import { useState } from "react";
import { api, describeError } from "@/lib/trpc-client";

/** Downloads the flow's draft as the JSON file an import takes back unchanged. */
export function ExportFlowButton({ flowId }: { flowId: string }) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function download() {
    setPending(true);
    setError(null);
    try {
      const { filename, json } = await api.flows.export.query({ flowId });
      const url = URL.createObjectURL(new Blob([json], { type: "application/json" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = filename;
      link.click();
      // The click has handed the file to the browser; the object URL is no longer needed.
      setTimeout(() => URL.revokeObjectURL(url), 0);
    } catch (e) {
      setError(describeError(e).message);
    } finally {
      setPending(false);
    }
  }

  return (
    <>
      <button type="button" className="secondary" data-testid="export-flow" disabled={pending} onClick={() => void download()}>
        Export
      </button>
      {error ? <span className="error" role="alert">{error}</span> : null}
    </>
  );
}
