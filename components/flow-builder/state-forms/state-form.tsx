"use client";
import type { StateType } from "@/server/flows/flow-schema";
import { ConditionForm } from "./condition-form";
import type { FormProps } from "./form-props";
import { HandoffForm } from "./handoff-form";
import { IntegrationForm } from "./integration-form";
import { IntentForm } from "./intent-form";
import { LlmForm } from "./llm-form";
import { ResponseForm } from "./response-form";
import { SlotFillingForm } from "./slot-filling-form";

/** The form for the state's type. */
export function StateForm(props: FormProps<StateType>) {
  const { state } = props;
  switch (state.type) {
    case "response":
      return <ResponseForm {...props} state={state} />;
    case "intent":
      return <IntentForm {...props} state={state} />;
    case "slot_filling":
      return <SlotFillingForm {...props} state={state} />;
    case "integration":
      return <IntegrationForm {...props} state={state} />;
    case "condition":
      return <ConditionForm {...props} state={state} />;
    case "llm":
      return <LlmForm {...props} state={state} />;
    case "handoff":
      return <HandoffForm {...props} state={state} />;
  }
}
