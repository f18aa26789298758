/** Shaping for the "pending per consumer" chart: pure, tested in tests/unit/consumer-pending-data.test.ts. */

export interface ConsumerPendingInput {
  name: string;
  pending: number;
  dead?: boolean;
}

export interface ConsumerBar {
  name: string;
  pending: number;
  dead: boolean;
  /** True for the bar that sums the consumers left off. */
  other: boolean;
}

/**
 * Consumers with pending messages, most first (ties by name), at most `limit` bars: the rest are
 * summed into one "N other consumers" bar so a group with 500 consumers still draws.
 */
export function shapeConsumerPending(consumers: readonly ConsumerPendingInput[], limit = 12): ConsumerBar[] {
  const withPending = consumers
    .filter((c) => c.pending > 0)
    .sort((a, b) => b.pending - a.pending || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (withPending.length <= limit) {
    return withPending.map((c) => ({ name: c.name, pending: c.pending, dead: !!c.dead, other: false }));
  }
  const shown = withPending.slice(0, Math.max(0, limit - 1));
  const rest = withPending.slice(shown.length);
  return [
    ...shown.map((c) => ({ name: c.name, pending: c.pending, dead: !!c.dead, other: false })),
    {
      name: `${rest.length} other consumers`,
      pending: rest.reduce((n, c) => n + c.pending, 0),
      dead: false,
      other: true,
    },
  ];
}
