/** Sent when a handoff's away timer hands the conversation back and the state names no away_message. Shared with the flow editor's placeholder. */
export const DEFAULT_AWAY_MESSAGE = "Our team is away right now. We'll get back to you as soon as we can.";
