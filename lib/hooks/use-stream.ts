"use client";
import { useQuery } from "@tanstack/react-query";
import { queryKeys } from "@/lib/client/query-keys";
import { streamsClient } from "@/lib/client/streams";

/** One stream's facts and groups; `refetchInterval` in ms, or false for none. */
export function useStream(key: string, opts: { refetchInterval?: number | false; enabled?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.streams.detail(key),
    queryFn: () => streamsClient.detail(key),
    refetchInterval: opts.refetchInterval ?? 5000,
    enabled: opts.enabled ?? true,
  });
}
