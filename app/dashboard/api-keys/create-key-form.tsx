"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { CopyButton } from "@/components/copy-button";
import { Field } from "@/components/field";
import { api } from "@/lib/trpc-client";
import { useFormSubmit } from "@/lib/use-form-submit";

/** Creates a key and shows it this once, with a copy button: only its hash is stored. */
export function CreateKeyForm() {
  const router = useRouter();
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const { fields, error, pending, onSubmit: create } = useFormSubmit(async (form, el) => {
    const name = String(form.get("name") ?? "").trim();
    const key = await api.apiKeys.create.mutate({ name: name || "Default" });
    setCreated({ name: key.name, key: key.key });
    el.reset();
    router.refresh();
  });

  return (
    <>
      {created ? (
        <div className="notice" role="status">
          {`Copy your new key "${created.name}" now; it will not be shown again:`}
          <pre className="code" id="new-api-key" data-testid="new-api-key">{created.key}</pre>
          <CopyButton text={created.key} targetId="new-api-key" testId="copy-api-key" label="Copy key" />
        </div>
      ) : null}
      <section className="card">
        <h2>Create a key</h2>
        <form onSubmit={create} noValidate>
          <Field label="Key name" name="name" testId="api-key-name" placeholder="e.g. CI or website backend" maxLength={60} errors={fields.name} />
          <button type="submit" data-testid="create-api-key" disabled={pending}>
            {pending ? "Creating…" : "Create key"}
          </button>
        </form>
        {error ? <p className="alert" role="alert">{error}</p> : null}
      </section>
    </>
  );
}
