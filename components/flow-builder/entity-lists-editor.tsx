"use client";
import { ConfirmButton } from "@/components/confirm-button";
import { flowDefinitionSchema } from "@/server/flows/flow-schema";
import { listEntityName } from "@/server/nlu/list-entities";
import { useFieldScope } from "./state-forms/field-scope";
import { AddField, NameField } from "./state-forms/name-fields";
import { LinesField } from "./state-forms/panel-fields";
import { titleAt } from "./state-forms/schema-fields";
import { renameKey, withoutKey } from "./state-forms/values";
import styles from "./state-forms/state-forms.module.css";

type Lists = Record<string, string[]>;

/** Refusal wording shared by renaming and adding. */
function nameProblem(name: string, lists: Lists): string | null {
  if (name === "") return "List name is required";
  return Object.hasOwn(lists, name) ? `There is already a list "${name}"` : null;
}

/** Tenant lists (products, use cases): enum slots accept their values, and the classifier treats each value as its list. */
export function EntityListsEditor({ lists, onChange }: { lists: Lists; onChange(lists: Lists, coalesceKey?: string): void }) {
  const { readOnly } = useFieldScope();
  return (
    <section className={styles.section} data-testid="entity-lists" aria-labelledby="entity-lists-title">
      <h3 id="entity-lists-title">{titleAt(flowDefinitionSchema, "entities.lists")}</h3>
      <ul className={styles.rows}>
        {Object.entries(lists).map(([name, values], i) => (
          <li key={i} className={styles.rowItem} data-testid="entity-list" data-list={name}>
            <NameField
              label="List name"
              value={name}
              hint={`A value a visitor names fills {${listEntityName(name)}}.`}
              onCommit={(to) => {
                const next = to.trim();
                const refused = next === name ? null : nameProblem(next, lists);
                if (!refused) onChange(renameKey(lists, name, next));
                return refused;
              }}
            />
            <LinesField
              path={`entities.lists.${name}`}
              label={`${titleAt(flowDefinitionSchema, `entities.lists.${name}`)}: one value per line`}
              values={values}
              onChange={(next) => onChange({ ...lists, [name]: next }, `lists:${name}`)}
            />
            {readOnly ? null : (
              <ConfirmButton
                label="Delete list"
                question={`Delete the list "${name}"? Slots that accept its values will be flagged.`}
                confirmLabel="Delete"
                testId="delete-list"
                onConfirm={async () => onChange(withoutKey(lists, name))}
              />
            )}
          </li>
        ))}
      </ul>
      <AddField
        label="New list"
        placeholder="products"
        buttonLabel="Add list"
        inputTestId="new-list-name"
        buttonTestId="add-list"
        onAdd={(name) => {
          const refused = nameProblem(name, lists);
          if (!refused) onChange({ ...lists, [name]: [] });
          return refused;
        }}
      />
    </section>
  );
}
