/** Server component: shown on every page while no auth is configured. */
export function LocalModeBanner({ localMode }: { localMode: boolean }) {
  if (!localMode) return null;
  return (
    <div role="status" className="border-b border-amber-300 bg-amber-50 px-4 py-1.5 text-center text-xs text-amber-900">
      Local mode: no login. Streamscope serves 127.0.0.1 only; configure auth (see docs/security.md) to share it.
    </div>
  );
}
