/**
 * Where to send the browser when its session has ended: the login page with `next` set to the
 * page it is on (a same-origin path, which the login page checks again). Null on the login page.
 */
export function loginUrlFor(location: { pathname: string; search: string; hash?: string }): string | null {
  if (location.pathname === "/login") return null;
  const here = `${location.pathname}${location.search}${location.hash ?? ""}`;
  return `/login?next=${encodeURIComponent(here)}`;
}
