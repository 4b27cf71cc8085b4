import { CopyButton } from "../copy-button";

const WHERE_TO_PASTE = {
  whatsapp: "Paste it as the callback URL of your Meta app's WhatsApp webhook, with the verify token below.",
  messenger: "Paste it as the callback URL of your Meta app's Messenger webhook, with the verify token below.",
  slack: "Paste it as the Request URL under Event Subscriptions of your Slack app.",
} as const;

type Props = { type: keyof typeof WHERE_TO_PASTE; url: string | null; bridge: boolean };

/** Where the platform posts this channel's events; the URL carries the channel's unguessable id. */
export function WebhookUrl({ type, url, bridge }: Props) {
  if (!url) return <p className="muted">Save the credentials to get this channel&apos;s webhook URL.</p>;
  const id = `webhook-url-${type}`;
  return (
    <div className="field">
      <strong>Webhook URL</strong>
      <p className="muted">{bridge ? "Configure your bridge to post its events here, signed with the bridge secret." : WHERE_TO_PASTE[type]}</p>
      <pre className="code" id={id} data-testid={id}>
        {url}
      </pre>
      <CopyButton text={url} targetId={id} testId={`copy-${id}`} label="Copy webhook URL" />
    </div>
  );
}
