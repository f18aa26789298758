// Where `npm start` and `npm run demo` listen. STREAMSCOPE_HOST is the explicit setting.
// HOSTNAME is honoured only when it is an address (an IP or "localhost"): shells and Docker
// export HOSTNAME as the machine's or container's name, which must not move the server.

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const IPV6 = /^\[?[0-9a-f:.]*:[0-9a-f:.]*\]?$/i;

/** @param {Record<string, string | undefined>} env */
export function listenHost(env) {
  if (env.STREAMSCOPE_HOST) return env.STREAMSCOPE_HOST;
  const h = (env.HOSTNAME ?? "").trim();
  if (h === "localhost" || IPV4.test(h) || IPV6.test(h)) return h;
  return "127.0.0.1";
}
