import Link from "next/link";
import type { ApiDocument } from "@/server/http/openapi-types";
import { OperationView } from "./operation-view";
import { operationsByTag } from "./schema-text";
import { SchemaView } from "./schema-view";

/** Descriptions are CommonMark for other viewers; this page draws only their `code` spans, as text. */
function CodeSpans({ text }: { text: string }) {
  return <>{text.split("`").map((part, i) => (i % 2 ? <code key={i}>{part}</code> : part))}</>;
}

/** The OpenAPI document as a page: endpoints grouped by tag, then every shared schema. */
export function ApiReference({ doc }: { doc: ApiDocument }) {
  const groups = operationsByTag(doc);
  const server = doc.servers[0]?.url ?? "";
  return (
    <main className="docs" data-testid="api-docs">
      <p className="docs-back">
        <Link href="/dashboard">← Dashboard</Link>
      </p>
      <h1>{doc.info.title}</h1>
      <p className="muted">{`Version ${doc.info.version}${doc.info.license ? ` · ${doc.info.license.name}` : ""}`}</p>
      {doc.info.description ? <p><CodeSpans text={doc.info.description} /></p> : null}
      <section className="card" aria-labelledby="basics">
        <h2 id="basics">Basics</h2>
        <p>
          Base URL: <code>{server}</code>
        </p>
        <p>
          Authentication: send an API key as <code>Authorization: Bearer &lt;key&gt;</code>. Create keys under <Link href="/dashboard/api-keys">API keys</Link>.
        </p>
        <p>
          Machine-readable document: <a href="/api/v2/openapi.json">/api/v2/openapi.json</a> (OpenAPI {doc.openapi}), for generating a client.
        </p>
        <nav aria-label="Endpoints">
          <ul className="docs-toc">
            {groups.map((group) => (
              <li key={group.name}>
                <a href={`#tag-${group.name}`}>{group.name}</a>
                <ul>
                  {group.operations.map(({ method, path, operation }) => (
                    <li key={operation.operationId}>
                      <a href={`#${operation.operationId}`}>
                        <span className={`method method-${method}`}>{method.toUpperCase()}</span> <code>{path}</code>
                      </a>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </nav>
      </section>
      {groups.map((group) => (
        <section key={group.name} id={`tag-${group.name}`} aria-labelledby={`tag-${group.name}-title`}>
          <h2 id={`tag-${group.name}-title`}>{group.name}</h2>
          <p className="muted">{group.description}</p>
          {group.operations.map((entry) => (
            <OperationView key={entry.operation.operationId} entry={entry} schemas={doc.components.schemas} />
          ))}
        </section>
      ))}
      <section aria-labelledby="schemas">
        <h2 id="schemas">Schemas</h2>
        {Object.entries(doc.components.schemas).map(([name, schema]) => (
          <article key={name} className="card" id={`schema-${name}`} aria-labelledby={`schema-${name}-title`}>
            <h3 id={`schema-${name}-title`}>{name}</h3>
            <SchemaView schema={schema} />
          </article>
        ))}
      </section>
    </main>
  );
}
