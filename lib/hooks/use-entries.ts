"use client";
import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { entriesClient } from "@/lib/client/entries";
import type { EntriesQuery, SearchQuery, SearchResponse } from "@/lib/contract/entries";
import { queryKeys } from "@/lib/client/query-keys";

/** One page of a stream's entries with their per-group states. */
export function useEntries(
  key: string,
  query: EntriesQuery,
  opts: { enabled?: boolean; refetchInterval?: number | false } = {},
) {
  return useQuery({
    queryKey: queryKeys.streams.entries(key, { ...query }),
    queryFn: () => entriesClient.page(key, query),
    placeholderData: keepPreviousData,
    enabled: opts.enabled ?? true,
    refetchInterval: opts.refetchInterval ?? false,
  });
}

/** A bounded search; `fetchNextPage()` is "Search further" (continues from `next`). */
export function useEntrySearch(key: string, query: SearchQuery | null) {
  return useInfiniteQuery({
    queryKey: queryKeys.streams.search(key, { ...query }),
    queryFn: ({ pageParam }: { pageParam: string | undefined }): Promise<SearchResponse> =>
      entriesClient.search(key, { ...query!, start: pageParam ?? query!.start }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    enabled: query !== null,
    staleTime: Infinity,
  });
}
