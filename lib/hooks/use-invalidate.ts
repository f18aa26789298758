"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { affectedKeys, type Change } from "@/lib/client/affected-keys";

/** Marks stale exactly the queries a change affected (see affectedKeys). */
export function useInvalidateAfter() {
  const client = useQueryClient();
  return useCallback(
    (change: Change) =>
      Promise.all(affectedKeys(change).map(({ queryKey, exact }) => client.invalidateQueries({ queryKey, exact }))),
    [client],
  );
}
