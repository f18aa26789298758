"use client";
import { useSyncExternalStore } from "react";

const subscribe = () => () => undefined;

/**
 * False while React hydrates server HTML (and on the server), true afterwards and on client-side
 * navigation. Text that must differ between server and browser (the viewer's time zone, answers
 * the browser cache already holds when a streamed page segment hydrates) waits for it.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
