/** Every react-query key of the app. Mutations invalidate the prefix they changed. */
export const queryKeys = {
  health: ["health"] as const,
  streams: {
    all: ["streams"] as const,
    list: (params: Record<string, unknown>) => ["streams", "list", params] as const,
    /** Prefix of every stream-list page. */
    lists: ["streams", "list"] as const,
    summary: ["streams", "summary"] as const,
    detail: (key: string) => ["streams", "detail", key] as const,
    entries: (key: string, params: Record<string, unknown>) => ["streams", "detail", key, "entries", params] as const,
    groups: (key: string) => ["streams", "detail", key, "groups"] as const,
    group: (key: string, group: string) => ["streams", "detail", key, "groups", group] as const,
    /** Prefix of every entries page of one stream. */
    entriesAll: (key: string) => ["streams", "detail", key, "entries"] as const,
    pending: (key: string, group: string, params: Record<string, unknown>) =>
      ["streams", "detail", key, "groups", group, "pending", params] as const,
    idleHistogram: (key: string, group: string) => ["streams", "detail", key, "groups", group, "idle-histogram"] as const,
  },
  /** Dry runs of message actions: never cached past the dialog that asked. */
  actionPreview: (key: string, group: string, action: string, body: unknown) => ["action-preview", key, group, action, body] as const,
};
