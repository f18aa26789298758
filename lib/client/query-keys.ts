/** Every react-query key of the app. Mutations invalidate the prefix they changed. */
export const queryKeys = {
  health: ["health"] as const,
  cluster: ["cluster"] as const,
  me: ["me"] as const,
  audit: {
    all: ["audit"] as const,
    list: (params: Record<string, unknown>) => ["audit", "list", params] as const,
  },
  streams: {
    all: ["streams"] as const,
    list: (params: Record<string, unknown>) => ["streams", "list", params] as const,
    /** Prefix of every stream-list page. */
    lists: ["streams", "list"] as const,
    /** Prefix of every overview summary (one per `match`). */
    summaries: ["streams", "summary"] as const,
    summary: (params: Record<string, unknown>) => ["streams", "summary", params] as const,
    detail: (key: string) => ["streams", "detail", key] as const,
    entries: (key: string, params: Record<string, unknown>) => ["streams", "detail", key, "entries", params] as const,
    search: (key: string, params: Record<string, unknown>) => ["streams", "detail", key, "search", params] as const,
    groups: (key: string) => ["streams", "detail", key, "groups"] as const,
    trimPreview: (key: string) => ["streams", "detail", key, "trim-preview"] as const,
    familyRetention: (pattern: string) => ["streams", "family", pattern, "retention"] as const,
    group: (key: string, group: string) => ["streams", "detail", key, "groups", group] as const,
    /** Prefix of every entries page of one stream. */
    entriesAll: (key: string) => ["streams", "detail", key, "entries"] as const,
    pending: (key: string, group: string, params: Record<string, unknown>) =>
      ["streams", "detail", key, "groups", group, "pending", params] as const,
    idleHistogram: (key: string, group: string) =>
      ["streams", "detail", key, "groups", group, "idle-histogram"] as const,
    deliveries: (key: string, group: string, over: number) =>
      ["streams", "detail", key, "groups", group, "deliveries", over] as const,
  },
  alerts: {
    all: ["alerts"] as const,
    list: ["alerts", "list"] as const,
    firing: ["alerts", "firing"] as const,
  },
  history: {
    all: ["history"] as const,
    stream: (key: string, range: string) => ["history", "stream", key, range] as const,
    group: (key: string, group: string, range: string) => ["history", "group", key, group, range] as const,
    pendingProfile: (key: string, group: string) => ["history", "pending-profile", key, group] as const,
    rates: (keys: readonly string[]) => ["history", "rates", keys] as const,
  },
  worker: {
    all: ["worker"] as const,
    status: ["worker", "status"] as const,
  },
  settings: {
    all: ["settings"] as const,
  },
  jobs: {
    all: ["jobs"] as const,
    group: (key: string, group: string) => ["jobs", "group", key, group] as const,
    detail: (id: string) => ["jobs", "detail", id] as const,
  },
  /** Dry runs of message actions: never cached past the dialog that asked. */
  actionPreview: (key: string, group: string, action: string, body: unknown) =>
    ["action-preview", key, group, action, body] as const,
};
