import { connect } from "node:net";

/**
 * The commands a server runs while watched, as MONITOR prints them (`"XINFO" "STREAM" "key"`, one
 * line each), over a plain socket: ioredis' own monitor() can lose track of its replies when the
 * server is busy before MONITOR's OK arrives ("Command queue state error").
 */
export async function watchCommands(url: string): Promise<{ stop(): Promise<string[]> }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let text = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => (text += chunk));
  socket.write("MONITOR\r\n");
  for (let i = 0; !text.startsWith("+OK\r\n"); i++) {
    if (i > 200) throw new Error(`MONITOR did not answer OK: ${text.slice(0, 100)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return {
    async stop() {
      // MONITOR lines reach the watcher after the command ran: give the last ones a moment.
      await new Promise((r) => setTimeout(r, 100));
      socket.destroy();
      return text
        .split("\r\n")
        .slice(1)
        .filter((l) => l.startsWith("+"))
        .map((l) => l.replace(/^\+[\d.]+ \[[^\]]*\] /, ""));
    },
  };
}
