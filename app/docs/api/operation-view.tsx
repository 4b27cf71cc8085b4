import type { ApiMedia, JsonSchema } from "@/server/http/openapi-types";
import { componentName, type OperationEntry } from "./schema-text";
import { SchemaView, TypeLine } from "./schema-view";

function Body({ content }: { content?: ApiMedia }) {
  const media = content ? Object.entries(content) : [];
  if (!media.length) return <span className="muted">No body</span>;
  return (
    <>
      {media.map(([type, { schema }]) => (
        <div key={type}>
          <code>{type}</code> <TypeLine schema={schema} />
        </div>
      ))}
    </>
  );
}

/** One endpoint: what to send (parameters, body) and every answer it can give. */
export function OperationView({ entry, schemas }: { entry: OperationEntry; schemas: Record<string, JsonSchema> }) {
  const { method, path, operation } = entry;
  const params = operation.parameters ?? [];
  const body = operation.requestBody;
  const bodySchema = body ? Object.values(body.content)[0]?.schema : undefined;
  // The request body is drawn in full here (it is what a caller writes); answers link to the shared schemas.
  const bodyName = componentName(bodySchema);
  const expanded = bodyName ? schemas[bodyName] : bodySchema;
  return (
    <article className="card" id={operation.operationId} aria-labelledby={`${operation.operationId}-title`}>
      <h3 id={`${operation.operationId}-title`}>
        <span className={`method method-${method}`}>{method.toUpperCase()}</span> <code>{path}</code>
      </h3>
      <p>{operation.summary}</p>
      <p className="muted">
        {operation.security?.length === 0 ? "No authentication." : "Needs an API key: Authorization: Bearer <key>."}
        {` Operation ID: `}
        <code>{operation.operationId}</code>
      </p>
      {params.length ? (
        <>
          <h4>Parameters</h4>
          <div className="scroll-x">
            <table>
              <thead>
                <tr><th>Name</th><th>In</th><th>Type</th><th>Required</th></tr>
              </thead>
              <tbody>
                {params.map((p) => (
                  <tr key={`${p.in}:${p.name}`}>
                    <td><code>{p.name}</code>{p.description ? <div className="muted">{p.description}</div> : null}</td>
                    <td>{p.in}</td>
                    <td>{p.schema ? <TypeLine schema={p.schema} /> : null}</td>
                    <td>{p.required ? "yes" : "no"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      {body ? (
        <>
          <h4>Request body{body.required ? " (required)" : ""}</h4>
          {body.description ? <p className="muted">{body.description}</p> : null}
          <Body content={body.content} />
          {expanded ? <SchemaView schema={expanded} /> : null}
        </>
      ) : null}
      <h4>Responses</h4>
      <div className="scroll-x">
        <table>
          <thead>
            <tr><th>Status</th><th>Meaning</th><th>Body</th></tr>
          </thead>
          <tbody>
            {Object.entries(operation.responses).map(([status, response]) => (
              <tr key={status} data-status={status}>
                <td><strong>{status}</strong></td>
                <td>
                  {response.description}
                  {response.headers ? (
                    <div className="muted">
                      {"Headers: "}
                      {Object.entries(response.headers).map(([name, header], i) => (
                        <span key={name}>
                          {i ? ", " : ""}
                          <code>{name}</code>
                          {header.description ? ` (${header.description})` : ""}
                        </span>
                      ))}
                    </div>
                  ) : null}
                </td>
                <td><Body content={response.content} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </article>
  );
}
