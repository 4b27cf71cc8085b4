export type MoneyMention = {
  amount: number;
  currency: "USD" | "EUR" | "GBP" | null;
  /** Phrased as a ceiling ("under $1000", "$800 max"), i.e. what a shopper means by budget. */
  isBudget: boolean;
  start: number;
  end: number;
};

const MONEY =
  /(?<![\w.])(?:(?<symbol>[$€£])\s?|(?<code>usd|eur|gbp)\s?)?(?<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s?(?<k>k)\b)?(?:\s?(?<word>dollars?|bucks|usd|euros?|eur|pounds?|gbp)\b)?/gi;

const CUE_BEFORE =
  /(?:under|below|less than|up to|max(?:imum)?|at most|no more than|not more than|within|budget(?:\s+(?:of|is))?|around|about|roughly|cheaper than|spend(?:ing)?)\s*(?:of\s*)?$/i;
const CUE_AFTER = /^\s*(?:max(?:imum)?|or less|tops|budget)\b/i;

function currencyOf(token: string | undefined): MoneyMention["currency"] {
  if (!token) return null;
  const t = token.toLowerCase();
  if (t === "$" || t.startsWith("dollar") || t === "bucks" || t === "usd") return "USD";
  if (t === "€" || t.startsWith("euro") || t === "eur") return "EUR";
  if (t === "£" || t.startsWith("pound") || t === "gbp") return "GBP";
  return null;
}

export function parseAmount(digits: string, thousands: boolean): number {
  const value = Number.parseFloat(digits.replace(/,/g, ""));
  return thousands ? Math.round(value * 1000 * 100) / 100 : value;
}

/** Amounts with a currency marker or a "k" suffix; bare numbers are not money. */
export function findMoney(text: string): MoneyMention[] {
  const found: MoneyMention[] = [];
  for (const match of text.matchAll(MONEY)) {
    const groups = match.groups ?? {};
    const { symbol, code, num, k, word } = groups;
    if (num === undefined || !(symbol || code || k || word)) continue;
    const start = match.index;
    const end = start + match[0].length;
    const isBudget = CUE_BEFORE.test(text.slice(Math.max(0, start - 30), start)) || CUE_AFTER.test(text.slice(end, end + 15));
    found.push({
      amount: parseAmount(num, k !== undefined),
      currency: currencyOf(symbol ?? code ?? word),
      isBudget,
      start,
      end,
    });
  }
  return found;
}

const PLAIN_NUMBER = /(?<![\w.])-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!\w)/;

/** Reads an answer to "what's your budget?": a money mention, else the first plain number. */
export function parseMoneyAnswer(text: string): number | null {
  const money = findMoney(text)[0];
  if (money) return money.amount;
  const plain = PLAIN_NUMBER.exec(text);
  return plain ? parseAmount(plain[0], false) : null;
}
