/** A flag's value; a flag given more than once (`--id a --id b`) keeps every value, in order. */
export type FlagValue = string | string[];

/** `--some-flag value` pairs into { some_flag: "value" }; a flag without a value is "true". */
export function parseFlags(argv: string[]): { positional: string[]; flags: Record<string, FlagValue> } {
  const positional: string[] = [];
  const flags: Record<string, FlagValue> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const [rawKey, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const key = rawKey.replace(/-/g, "_");
    let value: string;
    if (inline !== undefined) value = inline;
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith("--")) value = argv[++i]!;
    else value = "true";
    // Repeated flags are kept rather than the last silently winning; a command that takes one value refuses a list.
    const seen = flags[key];
    flags[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return { positional, flags };
}
