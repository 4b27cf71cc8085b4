"use client";
import type { CarouselItem } from "@/server/flows/flow-schema";
import { withConfig, type ConfigOf, type FormProps } from "./form-props";
import { FieldGroup, NumberField, SelectField, SmallButton, TextField, CheckboxField } from "./panel-fields";
import styles from "./state-forms.module.css";

type Carousel = NonNullable<ConfigOf<"response">["carousel"]>;

const ITEM_FIELDS = ["title", "subtitle", "image_url", "payload"] as const satisfies readonly (keyof CarouselItem)[];

/** Optional item fields left empty are removed; the title stays (it is required). */
function withItemField(item: CarouselItem, field: (typeof ITEM_FIELDS)[number], text: string): CarouselItem {
  const next = { ...item, [field]: text };
  if (text === "" && field !== "title") delete next[field];
  return next;
}

function ItemFields({ path, item, onChange }: { path: string; item: CarouselItem; onChange(item: CarouselItem, field: string): void }) {
  return (
    <>
      {ITEM_FIELDS.map((field) => (
        <TextField key={field} path={`${path}.${field}`} value={item[field] ?? ""} onChange={(text) => onChange(withItemField(item, field, text), `${path}.${field}`)} />
      ))}
    </>
  );
}

export function CarouselEditor({ state, names, edit }: FormProps<"response">) {
  const carousel = state.config.carousel;
  const set = (next: Carousel | undefined, field?: string) => edit(withConfig(state, { carousel: next }), field);
  const fromSlot = carousel?.source_slot !== undefined;
  const items = carousel?.items ?? [];
  return (
    <FieldGroup path="config.carousel">
      <CheckboxField
        path="config.carousel"
        dataField={null}
        label="Show a carousel of cards"
        checked={carousel !== undefined}
        onChange={(on) => set(on ? { items: [{ title: "" }] } : undefined)}
      />
      {carousel ? (
        <>
          <SelectField
            path="config.carousel"
            dataField={null}
            label="Cards come from"
            value={fromSlot ? "slot" : "items"}
            choices={[
              { value: "items", label: "Cards listed here" },
              { value: "slot", label: "A slot holding a list (e.g. an integration's results)" },
            ]}
            onChange={(mode) =>
              set(mode === "slot" ? { source_slot: "", item: { title: "{title}" }, max_items: carousel.max_items } : { items: [{ title: "" }], max_items: carousel.max_items })
            }
          />
          {fromSlot ? (
            <>
              <TextField path="config.carousel.source_slot" value={carousel.source_slot ?? ""} suggestions={names.slots} onChange={(slot) => set({ ...carousel, source_slot: slot }, "config.carousel.source_slot")} />
              <FieldGroup path="config.carousel.item">
                <p className={`muted ${styles.hint}`}>Each element of the list fills one card; its fields are references, e.g. {"{name}"}.</p>
                <ItemFields path="config.carousel.item" item={carousel.item ?? { title: "" }} onChange={(item, field) => set({ ...carousel, item }, field)} />
              </FieldGroup>
            </>
          ) : (
            <FieldGroup path="config.carousel.items">
              <ul className={styles.rows}>
                {items.map((item, i) => (
                  <li key={i} className={styles.rowItem}>
                    <ItemFields
                      path={`config.carousel.items.${i}`}
                      item={item}
                      onChange={(next, field) => set({ ...carousel, items: items.map((it, j) => (j === i ? next : it)) }, field)}
                    />
                    <SmallButton label="Remove card" onClick={() => set({ ...carousel, items: items.filter((_, j) => j !== i) })} />
                  </li>
                ))}
              </ul>
              <SmallButton label="Add card" onClick={() => set({ ...carousel, items: [...items, { title: "" }] })} />
            </FieldGroup>
          )}
          <NumberField
            path="config.carousel.max_items"
            min={1}
            max={10}
            step={1}
            value={carousel.max_items}
            onChange={(max) => {
              const { max_items: _, ...rest } = carousel;
              set(max === undefined ? rest : { ...rest, max_items: max }, "config.carousel.max_items");
            }}
          />
        </>
      ) : null}
    </FieldGroup>
  );
}
