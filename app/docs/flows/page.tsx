import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Metadata } from "next";
import Link from "next/link";
import styles from "./docs.module.css";
import { renderMarkdown } from "./render-markdown";

export const metadata: Metadata = { title: "Flow format" };

// The document ships with the app and never changes while it runs: render it once per process.
let rendered: Promise<string> | undefined;
const flowDocs = () => (rendered ??= readFile(path.join(process.cwd(), "docs/flows.md"), "utf8").then(renderMarkdown));

export default async function FlowDocsPage() {
  return (
    <main className={styles.page}>
      <p>
        <Link href="/dashboard/flows">Back to flows</Link>
      </p>
      <article className={styles.doc} data-testid="flow-docs" dangerouslySetInnerHTML={{ __html: await flowDocs() }} />
    </main>
  );
}
