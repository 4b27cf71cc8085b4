"use client";
import { useId, useState, type FormEvent } from "react";
import { api, describeError } from "@/lib/trpc-client";

type Props = { conversationId: string; defaultName: string };

/** Saves the conversation as a test case of its flow: publishing the flow later replays it and compares every turn. */
export function SaveTestCase({ conversationId, defaultName }: Props) {
  const id = useId();
  const [name, setName] = useState(defaultName);
  const [pending, setPending] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function save(e: FormEvent) {
    e.preventDefault();
    setPending(true);
    setError(null);
    setSaved(null);
    try {
      const testCase = await api.flowTests.save.mutate({ conversationId, name: name.trim() });
      setSaved(testCase.name);
    } catch (err) {
      setError(describeError(err).message);
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="row" onSubmit={(e) => void save(e)} aria-label="Save as test case">
      <label htmlFor={`${id}-name`}>Test case name</label>
      <input id={`${id}-name`} data-testid="test-case-name" value={name} maxLength={120} onChange={(e) => setName(e.target.value)} />
      <button type="submit" className="secondary" data-testid="save-test-case" disabled={pending || name.trim() === ""}>
        {pending ? "Saving…" : "Save as test case"}
      </button>
      {saved !== null ? (
        <span role="status" data-testid="test-case-saved">{`Saved as test case “${saved}”`}</span>
      ) : null}
      {error ? (
        <span className="error" role="alert" data-testid="test-case-error">
          {error}
        </span>
      ) : null}
    </form>
  );
}
