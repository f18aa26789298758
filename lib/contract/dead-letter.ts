/**
 * The metadata fields a requeued or dead-lettered copy carries after the original fields (the
 * move script writes them, redrive and the reclaim job read them, the UI links the origin).
 */
export const DEAD_LETTER_FIELDS = {
  /** The stream the message was first read from; redrive sends the copy back there. */
  originStream: "streamscope-origin-stream",
  originGroup: "streamscope-origin-group",
  originId: "streamscope-origin-id",
  /** Deliveries so far, summed over earlier copies. */
  deliveries: "streamscope-deliveries",
  requeuedAt: "streamscope-requeued-at",
  deadLetteredAt: "streamscope-dead-lettered-at",
  reason: "streamscope-reason",
} as const;

export type DeadLetterField = (typeof DEAD_LETTER_FIELDS)[keyof typeof DEAD_LETTER_FIELDS];
