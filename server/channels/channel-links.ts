/**
 * What a tenant pastes elsewhere: the widget's snippet for their site, a messaging channel's webhook URL for its
 * platform. Pure, so the dashboard and the CLI print the same text.
 */

/** The one embed snippet: the script is loaded from the app's own origin. */
export function widgetSnippet(appUrl: string, publicKey: string): string {
  return `<script src="${new URL(appUrl).origin}/widget.js" data-key="${publicKey}" async></script>`;
}

/** A channel's webhook URL from its path (ChannelView.webhookPath). */
export function webhookUrl(appUrl: string, webhookPath: string): string {
  return `${new URL(appUrl).origin}${webhookPath}`;
}
