"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { queryKeys } from "@/lib/client/query-keys";
import { settingsClient } from "@/lib/client/settings";
import type { SettingsUpdate } from "@/lib/contract/settings";

export function useSettings() {
  return useQuery({ queryKey: queryKeys.settings.all, queryFn: settingsClient.get });
}

export function useSaveSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (update: SettingsUpdate) => settingsClient.save(update),
    onSuccess: (data) => client.setQueryData(queryKeys.settings.all, data),
    onSettled: () => void client.invalidateQueries({ queryKey: queryKeys.settings.all }),
  });
}
