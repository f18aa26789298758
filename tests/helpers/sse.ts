export interface SseEvent {
  event: string;
  id?: string;
  data: unknown;
}

/** Reads SSE events from a live response until `stop` says enough. */
export async function readEvents(res: Response, stop: (events: SseEvent[]) => boolean) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const events: SseEvent[] = [];
  while (!stop(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = text.indexOf("\n\n")) >= 0) {
      const block = text.slice(0, cut);
      text = text.slice(cut + 2);
      const field = (name: string) =>
        block
          .split("\n")
          .find((l) => l.startsWith(`${name}: `))
          ?.slice(name.length + 2);
      const event = field("event");
      if (event) events.push({ event, id: field("id"), data: JSON.parse(field("data") ?? "null") as unknown });
    }
  }
  return { events, reader };
}
