/** The config file the demo (and the soak) runs with: one hourly family and two group rules. */
export const DEMO_CONFIG = {
  families: [
    {
      name: "orders",
      pattern: "orders_<yyyyMMddHH>",
      groups: ["fulfillment", "analytics"],
      ttlSeconds: 7200,
      ahead: 1,
    },
  ],
  groups: [
    { stream: "payments", group: "ledger", stuckAfterMs: 30_000, policy: "alert", maxDeliveries: 5 },
    { stream: "orders_*", group: "fulfillment", stuckAfterMs: 60_000, policy: "reassign", trim: true },
  ],
};
