import { Marked, type Tokens } from "marked";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

// Web links, mail, in-page anchors and paths on this site; anything else (javascript:, data:...) stays text.
const SAFE_HREF = /^(?:https?:\/\/|mailto:|#|\/(?!\/))/i;

/** GitHub's heading anchors ("`intent_match`" -> intent_match; a repeat gets -1, -2...), so links written for either work. */
function slugger() {
  const seen = new Map<string, number>();
  return (text: string) => {
    const base = text.toLowerCase().replace(/[^\w\s-]/g, "").trim().replace(/\s+/g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count === 0 ? base : `${base}-${count}`;
  };
}

/**
 * Markdown to HTML with no raw HTML passing through: tags in the source are shown as text, links
 * keep only safe targets and images become their alt text. Our own documents go through it, but a
 * document is one edit away from holding something that would run in the dashboard's origin.
 */
export function renderMarkdown(source: string): string {
  const slug = slugger();
  const marked = new Marked({
    gfm: true,
    renderer: {
      html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
      heading({ tokens, depth, text }: Tokens.Heading) {
        return `<h${depth} id="${slug(text)}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
      },
      link({ href, title, tokens }: Tokens.Link) {
        const text = this.parser.parseInline(tokens);
        if (!SAFE_HREF.test(href)) return text;
        return `<a href="${escapeHtml(href)}"${title ? ` title="${escapeHtml(title)}"` : ""}>${text}</a>`;
      },
      image: ({ text }: Tokens.Image) => escapeHtml(text),
    },
  });
  return marked.parse(source, { async: false });
}
