import type { JsonSchema } from "@/server/http/openapi-types";
import { componentName, constraints, description, hasFields, isRequired, items, mapValues, properties, typeLabel, variantLabel, variants } from "./schema-text";

/** A schema as nested field lists; a reference to a shared schema is a link to its section below. */
export function SchemaView({ schema }: { schema: JsonSchema }) {
  if (componentName(schema)) return <TypeLine schema={schema} />;
  const options = variants(schema);
  if (options.length) {
    return (
      <ol className="schema-variants">
        {options.map((option, i) => (
          <li key={i}>
            <strong>{variantLabel(option, i)}</strong>
            <SchemaView schema={option} />
          </li>
        ))}
      </ol>
    );
  }
  const element = items(schema) ?? mapValues(schema);
  if (element && !schema.properties) {
    return hasFields(element) ? (
      <div className="schema-nested">
        <span className="muted">{items(schema) ? "Each item:" : "Each value:"}</span>
        <SchemaView schema={element} />
      </div>
    ) : (
      <TypeLine schema={schema} />
    );
  }
  const fields = properties(schema);
  if (!fields.length) return <TypeLine schema={schema} />;
  return (
    <ul className="schema-fields">
      {fields.map((field) => (
        <li key={field.name}>
          <code>{field.name}</code> <TypeLine schema={field.schema} />
          {isRequired(schema, field.name) ? <span className="badge">required</span> : null}
          {description(field.schema) ? <div className="muted">{description(field.schema)}</div> : null}
          {!componentName(field.schema) && hasFields(field.schema) ? <SchemaView schema={field.schema} /> : null}
        </li>
      ))}
    </ul>
  );
}

export function TypeLine({ schema }: { schema: JsonSchema }) {
  const component = componentName(schema);
  const rules = constraints(schema);
  return (
    <span className="schema-type">
      {component ? <a href={`#schema-${component}`}>{component}</a> : <em>{typeLabel(schema)}</em>}
      {rules.length ? <span className="muted">{` · ${rules.join(" · ")}`}</span> : null}
    </span>
  );
}
