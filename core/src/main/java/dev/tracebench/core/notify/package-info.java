/**
 * Sends SLO burn-rate alerts ({@link dev.tracebench.core.slo.SloAlert}) to Slack (incoming webhook, Block Kit),
 * PagerDuty (Events API v2) and generic JSON webhooks: payload builders ({@link Payloads}), delivery with retries,
 * backoff, a rate limit and grouping ({@link AlertNotifier}), and the entry points the CLI and the app use
 * ({@link Notifications}). Webhook URLs and routing keys come from environment variables named in the configuration
 * and never leave this package except in the request that needs them. No JavaFX, no JDBC. docs/notifications.md
 * documents the payloads and the configuration.
 */
package dev.tracebench.core.notify;
